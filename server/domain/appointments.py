"""An appointment's rules: its states and moves, the slot grid, due, missed, check-in window."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from typing import NamedTuple

from server.domain.errors import (
    AlreadyCheckedIn,
    AppointmentCancelled,
    CheckinTooEarly,
    CheckinTooLate,
    InvalidInput,
    InvalidTransition,
    SlotInPast,
    SlotMisaligned,
)
from server.domain.inputs import check_time
from server.domain.lifecycle import AT_COUNTER, Status

# An appointment counts as due (goes ahead of walk-ins) from this long before its start.
APPOINTMENT_DUE_BEFORE = timedelta(minutes=10)


class AppointmentState(StrEnum):
    BOOKED = "booked"
    CHECKED_IN = "checked_in"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"


class AppointmentAction(StrEnum):
    CANCEL = "cancel"
    REBOOK = "rebook"
    CHECK_IN = "check_in"
    MISS = "miss"  # the check-in window passed without a check-in


class Progress(StrEnum):
    """What became of an appointment, as staff follow it through the day."""

    EXPECTED = "expected"
    CHECKED_IN = "checked_in"
    CALLED = "called"
    DONE = "done"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"


class AppointmentEvent(StrEnum):
    """What the event log calls each change of an appointment."""

    BOOKED = "appt_booked"
    CANCELLED = "appt_cancelled"
    REBOOKED = "appt_rebooked"
    CHECKED_IN = "appt_checkin"
    NO_SHOW = "appt_no_show"


class Move(NamedTuple):
    state: AppointmentState
    event: AppointmentEvent


_BOOKED = AppointmentState.BOOKED

# (current state, action) -> (new state, what the event log records). Anything not listed
# is impossible: only a booked appointment can be cancelled, moved, checked in or missed.
MOVES: dict[tuple[AppointmentState, AppointmentAction], Move] = {
    (_BOOKED, AppointmentAction.CANCEL): Move(
        AppointmentState.CANCELLED, AppointmentEvent.CANCELLED
    ),
    (_BOOKED, AppointmentAction.REBOOK): Move(_BOOKED, AppointmentEvent.REBOOKED),
    (_BOOKED, AppointmentAction.CHECK_IN): Move(
        AppointmentState.CHECKED_IN, AppointmentEvent.CHECKED_IN
    ),
    (_BOOKED, AppointmentAction.MISS): Move(AppointmentState.NO_SHOW, AppointmentEvent.NO_SHOW),
}


def move(state: str, action: AppointmentAction) -> Move:
    """The state after `action` and its event, or InvalidTransition when the table has none."""
    found = MOVES.get((AppointmentState(state), action))
    if found is None:
        raise InvalidTransition(f"cannot {action} an appointment that is {state}")
    return found


def is_due(start: datetime | None, now: datetime) -> bool:
    """An appointment ticket is due from APPOINTMENT_DUE_BEFORE before its start on."""
    return start is not None and now >= start - APPOINTMENT_DUE_BEFORE


@dataclass(frozen=True)
class CheckinWindow:
    """How long before and after its start a visitor may check in at the kiosk."""

    minutes_before: int
    minutes_after: int

    def opens(self, start: datetime) -> datetime:
        return start - timedelta(minutes=self.minutes_before)

    def closes(self, start: datetime) -> datetime:
        return start + timedelta(minutes=self.minutes_after)

    def missed_if_before(self, now: datetime) -> datetime:
        """A booked appointment that starts before this moment can no longer check in."""
        return now - timedelta(minutes=self.minutes_after)

    def is_missed(self, state: str, start: datetime, now: datetime) -> bool:
        return state == _BOOKED and now > self.closes(start)


def shown_state(state: str, start: datetime, now: datetime, window: CheckinWindow) -> str:
    """The state to show: a booked appointment whose window passed shows as a no-show,
    even before the scheduler has written that down."""
    return AppointmentState.NO_SHOW if window.is_missed(state, start, now) else state


def check_checkin(
    state: str, start: datetime, now: datetime, window: CheckinWindow, zone: tzinfo
) -> AppointmentState:
    """May this appointment check in now? Its new state, or the reason why not."""
    if state == AppointmentState.CANCELLED:
        raise AppointmentCancelled()
    if state == AppointmentState.CHECKED_IN:
        raise AlreadyCheckedIn()
    opens = window.opens(start).astimezone(zone)
    if now < opens:
        raise CheckinTooEarly(
            f"check-in opens at {opens.strftime('%H:%M')}", come_back_at=opens.isoformat()
        )
    if now > window.closes(start) or state == AppointmentState.NO_SHOW:
        raise CheckinTooLate()
    return move(state, AppointmentAction.CHECK_IN).state


def progress(state: str, ticket_status: str | None) -> Progress:
    """Expected until checked in; then it follows the ticket the check-in gave."""
    if state in (AppointmentState.CANCELLED, AppointmentState.NO_SHOW):
        return Progress(state)
    if ticket_status is None:
        return Progress.EXPECTED
    if ticket_status == Status.WAITING:
        return Progress.CHECKED_IN
    if ticket_status in AT_COUNTER:
        return Progress.CALLED
    if ticket_status in (Status.NO_SHOW, Status.CANCELLED):
        return Progress(ticket_status)
    return Progress.DONE


def is_late(
    start: datetime, checked_in_at: datetime | None, shown: Progress, now: datetime
) -> bool:
    """Arrived after the start, or still expected although the start has passed."""
    if checked_in_at is not None:
        return checked_in_at > start
    return shown == Progress.EXPECTED and now > start


# --- the slot grid --------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """One appointment slot of a queue and how many of its seats are taken."""

    start: datetime
    capacity: int
    taken: int

    @property
    def free(self) -> int:
        return max(self.capacity - self.taken, 0)


@dataclass(frozen=True)
class SlotGrid:
    """A queue's appointment hours: slots every `minutes` from local midnight."""

    minutes: int
    opens: time
    closes: time
    weekdays: Collection[int]  # ISO weekdays, Monday = 1
    zone: tzinfo

    def starts(self, day: date) -> list[datetime]:
        """The start of every slot of the day (UTC) that ends by closing time."""
        if day.isoweekday() not in self.weekdays:
            return []
        first = datetime.combine(day, self.opens, tzinfo=self.zone)
        last = datetime.combine(day, self.closes, tzinfo=self.zone)
        step = timedelta(minutes=self.minutes)
        since_midnight = self.opens.hour * 60 + self.opens.minute
        first += timedelta(minutes=-since_midnight % self.minutes)
        starts = []
        moment = first
        while moment + step <= last:
            utc = moment.astimezone(UTC)
            starts.append(utc)
            # Step in UTC and read the wall clock again, so a DST change moves no slot.
            moment = (utc + step).astimezone(self.zone)
        return starts

    def check_start(self, start: datetime, now: datetime, queue_id: str) -> None:
        """A booking's start must lie on the grid and in the future."""
        if start.tzinfo is None:
            raise InvalidInput("the start time needs a UTC offset, e.g. 2026-11-24T09:30:00+01:00")
        moment = start.astimezone(self.zone)
        minutes = moment.hour * 60 + moment.minute
        if moment.second or moment.microsecond or minutes % self.minutes:
            raise SlotMisaligned(
                f"appointments of queue {queue_id!r} start every {self.minutes} minutes "
                f"from midnight (local time); {moment.strftime('%H:%M:%S')} is not a start"
            )
        if start <= now:
            raise SlotInPast(f"the start time {moment.isoformat()} lies in the past")


def first_free_seat(taken: Collection[int], capacity: int) -> int | None:
    """The lowest seat number of a slot that nobody holds, or None when it is full."""
    return next((n for n in range(1, capacity + 1) if n not in taken), None)


def parse_start(value: str) -> datetime:
    """An ISO 8601 time with its UTC offset (`2026-11-24T09:30:00+01:00` or `...Z`)."""
    try:
        start = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise InvalidInput("field 'start' is not an ISO 8601 time") from None
    if start.tzinfo is None:
        raise InvalidInput("field 'start' needs a UTC offset, e.g. +01:00")
    return check_time(start)
