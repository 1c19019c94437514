"""The current time, in one place so tests can travel."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)
