"""Which passwords staff may choose: long enough, not a common one, not the user name."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

MIN_LENGTH = 10
MAX_LENGTH = 200


@cache
def common_passwords() -> frozenset[str]:
    """The list shipped with the package (one a line, lower case)."""
    text = files("server.domain").joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and line[0] != "#"
    )


def password_problem(password: str, username: str = "") -> str | None:
    """Why a password may not be used, or None when it may."""
    if len(password) < MIN_LENGTH:
        return f"the password must have at least {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"the password must have at most {MAX_LENGTH} characters"
    lowered = password.lower()
    if lowered in common_passwords():
        return "this password is on the list of common passwords; choose another one"
    if username and username.lower() in lowered:
        return "the password must not contain the user name"
    if len(set(password)) < 4:
        return "the password repeats too few different characters"
    return None
