"""What the retention periods make due, as of a moment: plain rules, no database.

Personal and linkable data (tokens, codes, notes, client addresses, idempotency keys)
is pseudonymised after `personal_days`; anonymous visit rows (queue, times, outcome,
language) are deleted after `statistics_days`; audit rows after `audit_days`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

# Tokens and codes that were pseudonymised start with this mark; live ones never do
# (tokens are URL-safe base64, codes come from an alphabet of letters and digits).
GONE = "~"


@dataclass(frozen=True)
class Periods:
    personal_days: int = 30
    statistics_days: int = 730
    audit_days: int = 365


@dataclass(frozen=True)
class Cutoffs:
    """Rows older than these moments are due."""

    personal: datetime
    statistics: datetime
    audit: datetime


def cutoffs(periods: Periods, as_of: datetime) -> Cutoffs:
    return Cutoffs(
        personal=as_of - timedelta(days=periods.personal_days),
        statistics=as_of - timedelta(days=periods.statistics_days),
        audit=as_of - timedelta(days=periods.audit_days),
    )


def period_problems(periods: Periods, checkin_minutes: int) -> list[tuple[str, str]]:
    """(key, problem) for periods that are negative or shorter than the check-in window.

    An invitation must stay valid for its whole check-in window, so no period that removes
    codes may be shorter than it.
    """
    problems = []
    for key in ("personal_days", "statistics_days", "audit_days"):
        days = getattr(periods, key)
        if days < 0:
            problems.append((key, f"must not be negative (got {days})"))
        elif days * 24 * 60 < checkin_minutes:
            problems.append(
                (key, f"{days} days is shorter than the check-in window of {checkin_minutes} min")
            )
    return problems


def appointment_expires(start: datetime, minutes_after: int) -> datetime:
    """An invitation code is valid until its appointment plus the check-in window."""
    return start + timedelta(minutes=minutes_after)


def appointment_due(start: datetime, minutes_after: int, cutoff: datetime) -> bool:
    """An appointment's personal data is due once it expired before the cutoff."""
    return appointment_expires(start, minutes_after) < cutoff


def is_pseudonymised(value: str | None) -> bool:
    return value is not None and value.startswith(GONE)


def new_pseudonym(length: int = 40) -> str:
    """A random stand-in for a token: unique, linked to nothing."""
    return GONE + secrets.token_hex(length // 2)[: length - 1]


def code_pseudonym(code: str, key: str) -> str:
    """A keyed digest standing in for an invitation code (16 characters).

    It lets the kiosk tell an old letter "this invitation has expired" instead of
    "unknown code", while the code itself is no longer stored.
    """
    digest = hmac.new(key.encode(), code.encode(), hashlib.sha256).hexdigest()
    return GONE + digest[:15]
