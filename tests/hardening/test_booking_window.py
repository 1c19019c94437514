"""Appointments only inside the queue's hours and days and the horizon, unless overridden."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from server.domain.booking import (
    BookingProblem,
    Outside,
    OutsideBookingWindow,
    booking_problem,
    check_bookable,
    may_book_outside_window,
    override_of,
)

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
    problem = booking_problem(start, today=TODAY, **RULES)  # type: ignore[arg-type]
    return None if problem is None else problem.message


def test_the_problem_names_the_rule_broken_for_the_staff_pages():
    saturday = datetime(2026, 12, 5, 10, 0, tzinfo=BERLIN)
    night = datetime(2026, 12, 7, 3, 0, tzinfo=BERLIN)
    far = datetime(2027, 6, 7, 10, 0, tzinfo=BERLIN)
    kinds = [booking_problem(s, today=TODAY, **RULES) for s in (saturday, night, far)]  # type: ignore[arg-type]
    assert [p.kind if p else None for p in kinds] == [
        Outside.WEEKDAY,
        Outside.HOURS,
        Outside.HORIZON,
    ]
    assert (kinds[1].opens, kinds[1].closes) == (time(8, 0), time(16, 0))  # type: ignore[union-attr]
    assert kinds[2].horizon_days == 90  # type: ignore[union-attr]


def test_only_reception_and_above_book_outside_the_window():
    assert [
        r for r in ("clerk", "reception", "supervisor", "admin") if may_book_outside_window(r)
    ] == [
        "reception",
        "supervisor",
        "admin",
    ]


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
    closed = BookingProblem(Outside.WEEKDAY, "closed")
    assert check_bookable(None, None) is None
    with pytest.raises(OutsideBookingWindow) as refused:
        check_bookable(closed, None)
    assert refused.value.problem is closed
    with pytest.raises(OutsideBookingWindow):
        check_bookable(closed, "   ")
    assert check_bookable(closed, " interpreter only on Saturdays ") == (
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


def test_a_clerks_reason_does_not_override_the_window_on_the_api(login):
    clerk = login("clerk")
    body = {
        "site": "musterstadt",
        "queue": "core-abh",
        "start": _saturday().isoformat(),
        "language": "ar",
        "override_reason": "a clerk may not decide this",
    }
    refused = clerk.post("/api/v1/appointments", json=body)
    assert refused.status_code == 422
    assert refused.get_json()["error"]["code"] == "outside_booking_window"


def test_the_override_reason_counts_only_for_reception_and_above():
    assert override_of("reception", "court date") == "court date"
    assert override_of("supervisor", "court date") == "court date"
    assert override_of("clerk", "court date") is None
