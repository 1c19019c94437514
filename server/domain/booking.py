"""When an appointment may be booked: inside the queue's hours and days, within the horizon.

Reception may book outside them (an interpreter only comes on Saturdays, a court date
in half a year) by giving a reason, which the booking event records.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from server.domain.errors import InvalidInput

REASON_MAX = 200


class OutsideBookingWindow(InvalidInput):
    """This time is outside the queue's appointment hours, days or booking horizon."""

    code = "outside_booking_window"


def booking_problem(
    local_start: datetime,
    *,
    hours: tuple[time, time],
    weekdays: list[int],
    slot_minutes: int,
    horizon_days: int,
    today: date,
) -> str | None:
    """Why local_start cannot be booked without an override, or None when it can."""
    opens, closes = hours
    begins = local_start.time().replace(tzinfo=None)
    ends = (local_start + timedelta(minutes=slot_minutes)).time().replace(tzinfo=None)
    if local_start.isoweekday() not in weekdays:
        return "the queue takes no appointments on this weekday"
    if begins < opens or ends > closes or ends <= begins:
        return (
            f"the queue takes appointments from {opens.strftime('%H:%M')} "
            f"to {closes.strftime('%H:%M')}"
        )
    if local_start.date() > today + timedelta(days=horizon_days):
        return f"appointments are booked at most {horizon_days} days ahead"
    return None


def check_bookable(problem: str | None, override_reason: str | None) -> str | None:
    """Raise OutsideBookingWindow unless there is no problem or a reason overrides it.

    Returns the reason that was used (to be recorded), or None.
    """
    reason = (override_reason or "").strip() or None
    if problem is None:
        return None
    if reason is None:
        raise OutsideBookingWindow(f"{problem}; reception may book it giving a reason")
    if len(reason) > REASON_MAX:
        raise InvalidInput(f"the reason is longer than {REASON_MAX} characters")
    return reason
