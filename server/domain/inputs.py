"""What input from outside may look like: ids, days, times and text the store can hold.

Bounds are checked before a value reaches the database or date arithmetic, so that an
absurd value is a clear 4xx, never an OverflowError, an out-of-range integer on
PostgreSQL or a NUL character the driver refuses.
"""

from __future__ import annotations

from datetime import date, datetime

from server.domain.errors import InvalidInput

# The largest id either database stores (PostgreSQL INTEGER, 32 bits signed).
MAX_ID = 2**31 - 1
# Statistics, appointment lists and bookings: no agency plans or looks back further.
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2099, 12, 31)
# JSON bodies of this API are flat objects; anything deeper is not a request of ours.
MAX_DEPTH = 8


def valid_id(value: int) -> bool:
    return 1 <= value <= MAX_ID


def check_day(value: date, name: str = "date") -> date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise InvalidInput(f"{name} must lie between {FIRST_DAY} and {LAST_DAY}")
    return value


def parse_day(value: str, name: str = "date") -> date:
    """A calendar day written YYYY-MM-DD within the sane window."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{name} must be a date like 2026-11-24") from None
    return check_day(day, name)


def check_time(value: datetime, name: str = "start") -> datetime:
    check_day(value.date(), name)
    return value


def has_control_character(text: str) -> bool:
    """True for NUL and other C0/C1 control characters (tab, newline and return allowed)."""
    return any((ord(c) < 0x20 and c not in "\t\n\r") or 0x7F <= ord(c) <= 0x9F for c in text)


def depth(value: object, limit: int = MAX_DEPTH) -> int:
    """Nesting depth of a parsed JSON value, counted only up to limit + 1."""
    if limit < 0 or not isinstance(value, dict | list):
        return 0
    children = value.values() if isinstance(value, dict) else value
    return 1 + max((depth(child, limit - 1) for child in children), default=0)


def strings_in(value: object) -> list[str]:
    """Every string (keys included) inside a parsed JSON value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*strings_in(k), *strings_in(v))]
    if isinstance(value, list):
        return [s for item in value for s in strings_in(item)]
    return []
