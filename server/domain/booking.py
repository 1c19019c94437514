"""When an appointment may be booked: inside the queue's hours and days, within the horizon.

Reception may book outside them (an interpreter only comes on Saturdays, a court date
in half a year) by giving a reason, which the booking event records.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from server.domain.errors import InvalidInput

REASON_MAX = 200


class Outside(StrEnum):
    """Which of the rules a start breaks (staff pages say it in their language)."""

    WEEKDAY = "weekday"
    HOURS = "hours"
    HORIZON = "horizon"


@dataclass(frozen=True)
class BookingProblem:
    kind: Outside
    message: str
    opens: time | None = None
    closes: time | None = None
    horizon_days: int | None = None


class OutsideBookingWindow(InvalidInput):
    """This time is outside the queue's appointment hours, days or booking horizon."""

    code = "outside_booking_window"

    def __init__(self, problem: BookingProblem) -> None:
        super().__init__(f"{problem.message}; reception may book it giving a reason")
        self.problem = problem


def booking_problem(
    local_start: datetime,
    *,
    hours: tuple[time, time],
    weekdays: list[int],
    slot_minutes: int,
    horizon_days: int,
    today: date,
) -> BookingProblem | None:
    """Why local_start cannot be booked without an override, or None when it can."""
    opens, closes = hours
    begins = local_start.time().replace(tzinfo=None)
    ends = (local_start + timedelta(minutes=slot_minutes)).time().replace(tzinfo=None)
    if local_start.isoweekday() not in weekdays:
        return BookingProblem(Outside.WEEKDAY, "the queue takes no appointments on this weekday")
    if begins < opens or ends > closes or ends <= begins:
        message = (
            f"the queue takes appointments from {opens.strftime('%H:%M')} "
            f"to {closes.strftime('%H:%M')}"
        )
        return BookingProblem(Outside.HOURS, message, opens=opens, closes=closes)
    if local_start.date() > today + timedelta(days=horizon_days):
        message = f"appointments are booked at most {horizon_days} days ahead"
        return BookingProblem(Outside.HORIZON, message, horizon_days=horizon_days)
    return None


def may_book_outside_window(role: str) -> bool:
    """Reception decides exceptions at the desk; supervisors and admins may too, clerks not."""
    return role in ("reception", "supervisor", "admin")


def override_of(role: str, reason: str | None) -> str | None:
    """The override reason a user of this role may give: a clerk's counts for nothing, so
    the booking is checked against the window as if none were given (page and API)."""
    return reason if may_book_outside_window(role) else None


def check_bookable(problem: BookingProblem | None, override_reason: str | None) -> str | None:
    """Raise OutsideBookingWindow unless there is no problem or a reason overrides it.

    Returns the reason that was used (to be recorded), or None.
    """
    reason = (override_reason or "").strip() or None
    if problem is None:
        return None
    if reason is None:
        raise OutsideBookingWindow(problem)
    if len(reason) > REASON_MAX:
        raise InvalidInput(f"the reason is longer than {REASON_MAX} characters")
    return reason


@dataclass(frozen=True)
class Wanted:
    """A booking as staff ask for it: a seat at `start` in a queue, in a language.

    `override_reason`: why it may lie outside the window (see override_of).
    """

    queue_id: str
    start: datetime
    language: str
    note: str | None = None
    override_reason: str | None = None
