"""Ticket numbers and the service day they belong to."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo


def service_day(now: datetime, timezone: str = "Europe/Berlin") -> date:
    """The local calendar day of `now` at the site: numbering resets at local midnight."""
    if now.tzinfo is None:
        raise ValueError("service_day needs an aware datetime")
    return now.astimezone(ZoneInfo(timezone)).date()


def format_number(prefix: str, sequence: int) -> str:
    """`B-042`: zone prefix, hyphen, at least three digits (Western digits in every language)."""
    if sequence < 1:
        raise ValueError("sequence starts at 1")
    return f"{prefix}-{sequence:03d}"
