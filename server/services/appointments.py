"""Appointment verbs: book, cancel, rebook, check in, mark missed. One function per verb.

Each takes the caller's session (the caller owns the transaction), asks the domain
(`server.domain.appointments`) whether the move is allowed, and persists it with a
compare-and-set on the state, so that of two clerks or two scans at once only one wins.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server.config import LANGUAGES, Queue, Site
from server.domain.appointment_codes import new_code
from server.domain.appointments import (
    AppointmentAction,
    AppointmentEvent,
    AppointmentState,
    check_checkin,
    first_free_seat,
    move,
)
from server.domain.booking import Wanted, booking_problem, check_bookable
from server.domain.errors import AlreadyCheckedIn, InvalidInput, InvalidTransition, SlotFull
from server.models import Appointment, Ticket
from server.services import clock, events, issuing
from server.services.appointment_queries import (
    by_code,
    free_slots,
    get,
    queue_for_appointments,
    taken_seats,
    ticket_of,
)
from server.services.cas import compare_and_set

TOKEN_BYTES = 24  # the letter's address: long and random, so letters cannot be enumerated
NOTE_MAX = 1000
BOOKING_ATTEMPTS = 8


def book(
    session: Session,
    site: Site,
    wanted: Wanted,
    *,
    user_id: int | None = None,
    now: datetime | None = None,
) -> Appointment:
    """Book a seat in a slot of a queue; the visitor gets a letter with code and QR."""
    now = now or clock.utcnow()
    queue_id, start, language, note = wanted.queue_id, wanted.start, wanted.language, wanted.note
    if language not in LANGUAGES:
        raise InvalidInput(f"unknown language {language!r}; use one of {', '.join(LANGUAGES)}")
    if note is not None and len(note) > NOTE_MAX:
        raise InvalidInput(f"the note is longer than {NOTE_MAX} characters")
    queue = queue_for_appointments(site, queue_id)
    override = _bookable(site, queue, start, now, wanted.override_reason)
    appointment = Appointment(
        site_id=site.id,
        queue_id=queue.id,
        start=start,
        language=language,
        code=new_code(),
        token=secrets.token_urlsafe(TOKEN_BYTES),
        status=AppointmentState.BOOKED,
        note=note or None,
        created_at=now,
        created_by=user_id,
    )
    _take_seat(session, site, queue, start, now, appointment, fresh=True)
    _event(
        session,
        appointment,
        AppointmentEvent.BOOKED,
        now,
        user_id=user_id,
        start=start.isoformat(),
        override_reason=override,
    )
    return appointment


def _bookable(
    site: Site, queue: Queue, start: datetime, now: datetime, override_reason: str | None
) -> str | None:
    """Raise unless `start` can be booked; returns the override reason that allowed it.

    On the slot grid and in the future always; inside the queue's hours, weekdays and the
    site's booking horizon unless reception gives a reason (recorded with the booking).
    """
    site.slot_grid(queue).check_start(start, now, queue.id)
    problem = booking_problem(
        site.local(start),
        hours=queue.appointment_hours,
        weekdays=queue.appointment_weekdays,
        slot_minutes=queue.appointment_slot_minutes,
        horizon_days=site.appointment_horizon_days,
        today=site.local(now).date(),
    )
    return check_bookable(problem, override_reason)


def cancel(
    session: Session,
    site: Site,
    appointment_id: int,
    *,
    user_id: int | None = None,
    now: datetime | None = None,
) -> Appointment:
    """Cancel a booked appointment; its seat is free again."""
    now = now or clock.utcnow()
    appointment = get(session, appointment_id, site)
    _apply(session, appointment, AppointmentAction.CANCEL)
    appointment.seat, appointment.cancelled_at = None, now
    _event(session, appointment, AppointmentEvent.CANCELLED, now, user_id=user_id)
    return appointment


def rebook(
    session: Session,
    site: Site,
    appointment_id: int,
    start: datetime,
    *,
    user_id: int | None = None,
    now: datetime | None = None,
    override_reason: str | None = None,
) -> Appointment:
    """Move a booked appointment to another slot of its queue; code and letter stay valid."""
    now = now or clock.utcnow()
    appointment = get(session, appointment_id, site)
    move(appointment.status, AppointmentAction.REBOOK)
    queue = queue_for_appointments(site, appointment.queue_id)
    override = _bookable(site, queue, start, now, override_reason)
    old_start, old_seat = appointment.start, appointment.seat
    if start == old_start:
        return appointment
    try:
        _take_seat(session, site, queue, start, now, appointment, fresh=False)
    except SlotFull:
        appointment.start, appointment.seat = old_start, old_seat
        raise
    _event(
        session,
        appointment,
        AppointmentEvent.REBOOKED,
        now,
        user_id=user_id,
        start=start.isoformat(),
        override_reason=override,
        previous_start=old_start.isoformat(),
    )
    return appointment


def check_in(
    session: Session,
    site: Site,
    raw_code: str,
    *,
    kiosk_id: str | None = None,
    language: str | None = None,
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> Ticket:
    """Turn an invitation into a ticket of its queue, within the check-in window.

    A kiosk that retries a scan with the same idempotency key gets the same ticket back.
    """
    now = now or clock.utcnow()
    appointment = by_code(session, site, raw_code)
    if appointment.status == AppointmentState.CHECKED_IN and idempotency_key:
        ticket = ticket_of(session, appointment)
        if ticket is not None and ticket.idempotency_key == idempotency_key:
            return ticket
    check_checkin(
        appointment.status, appointment.start, now, site.checkin_window(), site.timezone_info
    )
    if language is not None and language not in LANGUAGES:
        raise InvalidInput(f"unknown language {language!r}")
    # Compare-and-set: of two scans of one letter at once, only the first one wins.
    if not _compare_and_set(session, appointment, AppointmentAction.CHECK_IN):
        raise AlreadyCheckedIn()
    ticket = issuing.issue(
        session,
        site,
        concern_id=None,
        queue_id=appointment.queue_id,
        language=language or appointment.language,
        kiosk_id=kiosk_id,
        appointment=appointment,
        idempotency_key=idempotency_key,
        now=now,
    )
    appointment.ticket_id, appointment.checked_in_at = ticket.id, now
    _event(
        session,
        appointment,
        AppointmentEvent.CHECKED_IN,
        now,
        ticket_id=ticket.id,
        late=now > appointment.start or None,
    )
    return ticket


def mark_missed(session: Session, site: Site, now: datetime | None = None) -> list[int]:
    """Mark booked appointments whose check-in window has passed as no-shows.

    The scheduler (server/scheduler.py) runs this; pages only show the state
    (`domain.appointments.shown_state`) and never write on a GET.
    """
    now = now or clock.utcnow()
    missed = session.scalars(
        select(Appointment).where(
            Appointment.site_id == site.id,
            Appointment.status == AppointmentState.BOOKED,
            Appointment.start < site.checkin_window().missed_if_before(now),
        )
    ).all()
    marked = []
    for appointment in missed:
        if _compare_and_set(session, appointment, AppointmentAction.MISS):
            _event(session, appointment, AppointmentEvent.NO_SHOW, now)
            marked.append(appointment.id)
    return marked


def _take_seat(
    session: Session,
    site: Site,
    queue: Queue,
    start: datetime,
    now: datetime,
    appointment: Appointment,
    *,
    fresh: bool,
) -> None:
    """Give the appointment a free seat of its slot, or raise SlotFull with suggestions."""
    for _attempt in range(BOOKING_ATTEMPTS):
        taken = taken_seats(session, site, queue.id, start)
        seat = first_free_seat(taken, queue.appointments_per_slot)
        if seat is None:
            suggestions = free_slots(session, site, queue.id, max(start, now))
            raise SlotFull(
                f"the slot {site.local(start).isoformat()} of queue {queue.id!r} is full",
                free_slots=[site.local(s).isoformat() for s in suggestions],
            )
        appointment.start, appointment.seat = start, seat
        try:
            # A savepoint: losing a race for the seat (or drawing a code that exists)
            # undoes only this attempt, and we try again.
            with session.begin_nested():
                session.add(appointment)
                session.flush()
            return
        except IntegrityError:
            if fresh:
                appointment.code = new_code()
    raise SlotFull("the slot is contested; please try again")


def _apply(session: Session, appointment: Appointment, action: AppointmentAction) -> None:
    """Make the move or raise: the table forbids it, or someone else moved it first."""
    move(appointment.status, action)
    if not _compare_and_set(session, appointment, action):
        session.refresh(appointment)
        raise InvalidTransition(f"the appointment is now {appointment.status}")


def _compare_and_set(session: Session, appointment: Appointment, action: AppointmentAction) -> bool:
    """Write the move only if the row still has the state it was read with."""
    current = AppointmentState(appointment.status)
    new = move(current, action).state
    if not compare_and_set(session, Appointment, appointment.id, {"status": current}, status=new):
        return False
    appointment.status = new
    return True


def _event(
    session: Session,
    appointment: Appointment,
    kind: AppointmentEvent,
    now: datetime,
    *,
    user_id: int | None = None,
    ticket_id: int | None = None,
    **data: object,
) -> None:
    events.append(
        session,
        kind,  # type: ignore[arg-type]  # events.append takes EventKind; widen it to StrEnum
        now,
        site_id=appointment.site_id,
        ticket_id=ticket_id,
        queue_id=appointment.queue_id,
        user_id=user_id,
        appointment=appointment.id,
        **cast(dict[str, Any], data),
    )
