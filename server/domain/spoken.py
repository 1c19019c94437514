"""How a ticket number is said aloud: the letters apart, then the digits as one number."""

from __future__ import annotations

import re

NUMBER = re.compile(r"^([A-Z]{1,2})-(\d{3,4})$")


def spoken_number(number: str) -> str:
    """`B-042` → `B, 42`: the letter apart, then the digits as one number, no leading zeros."""
    match = NUMBER.fullmatch(number)
    if match is None:
        raise ValueError(f"not a ticket number: {number!r}")
    return f"{' '.join(match[1])}, {int(match[2])}"
