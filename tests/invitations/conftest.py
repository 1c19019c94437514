"""Helpers for the invitation tests: slot times on the queue's grid, bookings in the past."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

BERLIN = ZoneInfo("Europe/Berlin")
QUEUE = "core-abh"  # 2 seats per 15-minute slot, 08:00-16:00, Monday to Friday
SLOT = timedelta(minutes=15)


def next_boundary(after: datetime, step: timedelta = SLOT) -> datetime:
    """The first slot start (local grid from midnight) strictly after `after`."""
    local = after.astimezone(BERLIN)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    steps = (local - midnight) // step + 1
    return (midnight + steps * step).astimezone(BERLIN)


def weekday_at(days_ahead: int, hour: int, minute: int = 0) -> datetime:
    """A local time on the first Monday-to-Friday day at least `days_ahead` days ahead."""
    day = datetime.now(BERLIN).date() + timedelta(days=days_ahead)
    while day.isoweekday() > 5:
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BERLIN)


@pytest.fixture
def book(db, site) -> Callable[..., dict]:
    """Factory: book(start, language=..., now=...) books through the service, returns its data."""
    from server.domain.booking import Wanted
    from server.services import appointment_pages, appointments

    def make(
        start: datetime,
        *,
        language: str = "ar",
        queue: str = QUEUE,
        now: datetime | None = None,
        note: str | None = None,
        # Check-in tests need a slot soon, whatever the hour the suite runs at: reception's
        # override of the appointment hours.
        override_reason: str | None = "test run outside the appointment hours",
    ) -> dict:
        with db.writing() as session:
            wanted = Wanted(queue, start, language, note, override_reason)
            appointment = appointments.book(session, site, wanted, now=now)
            return {
                **appointment_pages.booking(site, appointment),
                "token": appointment.token,
                "raw_code": appointment.code,
            }

    return make


@pytest.fixture
def past_booking(book, monkeypatch: pytest.MonkeyPatch) -> Callable[..., dict]:
    """Factory: an appointment whose slot began at least `minutes_ago`, booked the day before.

    Slots lie on a 15-minute grid and the check-in window closes 15 minutes after the start,
    so against the real clock "5 minutes late" could land 5 or 19 minutes late. The service
    clock is therefore frozen half-way through a slot: the appointment then starts exactly
    at the last slot start at least `minutes_ago` before it (1 to 14 → 7.5 minutes late,
    30 → 37.5, 40 → 52.5).
    """
    from server.services import clock

    frozen = next_boundary(datetime.now(UTC) - SLOT / 2 - SLOT) + SLOT / 2
    monkeypatch.setattr(clock, "utcnow", lambda: frozen)

    def make(minutes_ago: int, **kwargs: object) -> dict:
        start = next_boundary(frozen - timedelta(minutes=minutes_ago) - SLOT)
        return book(start, now=start - timedelta(days=1), **kwargs)

    return make
