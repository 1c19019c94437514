"""Appointments only inside the queue's hours and days and the horizon, unless overridden."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from server.domain.booking import OutsideBookingWindow, booking_problem, check_bookable

BERLIN = ZoneInfo("Europe/Berlin")
RULES = {
    "hours": (time(8, 0), time(16, 0)),
    "weekdays": [1, 2, 3, 4, 5],
    "slot_minutes": 15,
    "horizon_days": 90,
}
TODAY = date(2026, 12, 3)  # a Thursday


def _problem(day: date, hour: int, minute: int = 0) -> str | None:
    start = datetime(day.year, day.month, day.day, hour, minute, tzinfo=BERLIN)
    return booking_problem(start, today=TODAY, **RULES)  # type: ignore[arg-type]


def test_only_slots_inside_hours_days_and_horizon_are_bookable():
    monday = date(2026, 12, 7)
    assert _problem(monday, 8) is None
    assert _problem(monday, 15, 45) is None  # ends at 16:00
    assert "08:00" in (_problem(monday, 3) or "")
    assert "08:00" in (_problem(monday, 16) or "")
    assert "weekday" in (_problem(date(2026, 12, 5), 10) or "")  # Saturday
    assert "90 days" in (_problem(TODAY + timedelta(days=95), 10) or "")
    assert _problem(date(2027, 3, 3), 10) is None  # day 90, a Wednesday


def test_a_reason_overrides_and_is_returned_for_the_record():
    assert check_bookable(None, None) is None
    with pytest.raises(OutsideBookingWindow):
        check_bookable("closed", None)
    with pytest.raises(OutsideBookingWindow):
        check_bookable("closed", "   ")
    assert check_bookable("closed", " interpreter only on Saturdays ") == (
        "interpreter only on Saturdays"
    )


def _weekday(days_ahead: int, hour: int) -> datetime:
    day = datetime.now(BERLIN).date() + timedelta(days=days_ahead)
    while day.isoweekday() > 5:
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=BERLIN)


def _saturday() -> datetime:
    day = datetime.now(BERLIN).date() + timedelta(days=2)
    while day.isoweekday() != 6:
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=BERLIN)


@pytest.mark.parametrize(
    "start",
    [
        pytest.param(lambda: _weekday(3, 3), id="03:00"),
        pytest.param(_saturday, id="saturday"),
        pytest.param(lambda: _weekday(120, 10), id="beyond-horizon"),
    ],
)
def test_reception_books_outside_the_window_only_with_a_recorded_reason(login, db, start):
    from server.models import Event

    staff = login("reception")
    body = {
        "site": "musterstadt",
        "queue": "core-abh",
        "start": start().isoformat(),
        "language": "ar",
    }
    refused = staff.post("/api/v1/appointments", json=body)
    assert refused.status_code == 422
    assert refused.get_json()["error"]["code"] == "outside_booking_window"
    booked = staff.post("/api/v1/appointments", json={**body, "override_reason": "court date"})
    assert booked.status_code == 201, booked.data
    with db.reading() as session:
        events = session.scalars(select(Event).where(Event.kind == "appt_booked")).all()
    assert [e.data.get("override_reason") for e in events] == ["court date"]
