"""The check-in code on an invitation letter: how it is drawn, printed and read back."""

from __future__ import annotations

import re
import secrets

from server.domain.errors import UnknownCode

# No 0/O, 1/I, 2/Z, 5/S, 8/B, G/6, Q: a code read aloud or typed from paper is typed right.
CODE_ALPHABET = "ACDEFHJKLMNPRTUVWXY34679"
CODE_LENGTH = 8

_CODE_IN_TEXT = re.compile(r"/c/([A-Za-z0-9-]+)/?$")


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """`ACDE-FH34`: the form printed on the letter and shown to staff."""
    return f"{code[:4]}-{code[4:]}"


def normalize_code(raw: str) -> str:
    """The bare 8-character code from what a visitor typed or a scanner sent.

    Accepts `acde-fh34`, `ACDEFH34` and the full check-in URL `https://…/c/ACDEFH34`
    (the QR code on the letter). Anything else is an unknown code.
    """
    text = (raw or "").strip()
    match = _CODE_IN_TEXT.search(text)
    if match:
        text = match.group(1)
    code = re.sub(r"[\s-]", "", text).upper()
    if len(code) != CODE_LENGTH or any(char not in CODE_ALPHABET for char in code):
        raise UnknownCode()
    return code
