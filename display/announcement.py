"""What the waiting room hears for a call: one short sentence per language."""

from __future__ import annotations

import re

from flask_babel import force_locale, gettext

from server.config import Counter

NUMBER = re.compile(r"^([A-Z]{1,2})-(\d{3,4})$")


def spoken_number(number: str) -> str:
    """`B-042` → `B, 42`: the letter apart, then the digits as one number, no leading zeros."""
    match = NUMBER.fullmatch(number)
    if match is None:
        raise ValueError(f"not a ticket number: {number!r}")
    return f"{' '.join(match[1])}, {int(match[2])}"


def call_phrase(number: str, counter: Counter, language: str) -> str:
    """Say "Nummer B, 42, bitte zu Schalter 3." in `language`, with the counter's own label."""
    with force_locale(language):
        return gettext(
            "Number %(number)s, please go to %(counter)s.",
            number=spoken_number(number),
            counter=counter.label.get(language),
        )
