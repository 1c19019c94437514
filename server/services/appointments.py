"""Appointment verbs: book, cancel, rebook, check in, mark missed; and the day's overview."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import CursorResult, Result, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server.config import LANGUAGES, Queue, Site
from server.domain.booking import booking_problem, check_bookable
from server.domain.errors import (
    AlreadyCheckedIn,
    AppointmentCancelled,
    AppointmentsNotOffered,
    CheckinTooEarly,
    CheckinTooLate,
    InvalidInput,
    InvalidTransition,
    NotFound,
    SlotFull,
    SlotInPast,
    SlotMisaligned,
    UnknownCode,
)
from server.domain.inputs import check_time
from server.models import Appointment, Event, Ticket
from server.services import clock, tickets

# No 0/O, 1/I, 2/Z, 5/S, 8/B, G/6, Q: a code read aloud or typed from paper is typed right.
CODE_ALPHABET = "ACDEFHJKLMNPRTUVWXY34679"
CODE_LENGTH = 8
TOKEN_BYTES = 24  # the letter's address: long and random, so letters cannot be enumerated
NOTE_MAX = 1000
FREE_SLOT_SUGGESTIONS = 5
SUGGESTION_DAYS = 28
BOOKING_ATTEMPTS = 8

BOOKED, CHECKED_IN, NO_SHOW, CANCELLED = "booked", "checked_in", "no_show", "cancelled"
# Seats of appointments that still hold their slot (a no-show's slot is past anyway).
LIVE = (BOOKED, CHECKED_IN, NO_SHOW)

_CODE_IN_TEXT = re.compile(r"/c/([A-Za-z0-9-]+)/?$")


@dataclass(frozen=True)
class Slot:
    """One appointment slot of a queue and how many of its seats are taken."""

    start: datetime
    capacity: int
    taken: int

    @property
    def free(self) -> int:
        return max(self.capacity - self.taken, 0)


def format_code(code: str) -> str:
    """`ACDE-FH34`: the form printed on the letter and shown to staff."""
    return f"{code[:4]}-{code[4:]}"


def normalize_code(raw: str) -> str:
    """The bare 8-character code from what a visitor typed or a scanner sent.

    Accepts `acde-fh34`, `ACDEFH34` and the full check-in URL `https://…/c/ACDEFH34`
    (the QR code on the letter). Anything else is an unknown code.
    """
    text = (raw or "").strip()
    match = _CODE_IN_TEXT.search(text)
    if match:
        text = match.group(1)
    code = re.sub(r"[\s-]", "", text).upper()
    if len(code) != CODE_LENGTH or any(char not in CODE_ALPHABET for char in code):
        raise UnknownCode()
    return code


def parse_start(value: str) -> datetime:
    """An ISO 8601 time with its UTC offset (`2026-11-24T09:30:00+01:00` or `...Z`)."""
    try:
        start = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise InvalidInput("field 'start' is not an ISO 8601 time") from None
    if start.tzinfo is None:
        raise InvalidInput("field 'start' needs a UTC offset, e.g. +01:00")
    return check_time(start)


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def invitation_url(site: Site, appointment: Appointment) -> str:
    return f"{site.public_url.rstrip('/')}/invitation/{appointment.token}"


def checkin_url(site: Site, appointment: Appointment) -> str:
    """What the QR code on the letter holds: a phone camera opens a short help page."""
    return f"{site.public_url.rstrip('/')}/c/{appointment.code}"


def local(site: Site, moment: datetime) -> datetime:
    return moment.astimezone(ZoneInfo(site.timezone))


def checkin_window(site: Site, appointment: Appointment) -> tuple[datetime, datetime]:
    """From when until when the visitor may check in at the kiosk."""
    return (
        appointment.start - timedelta(minutes=site.checkin.minutes_before),
        appointment.start + timedelta(minutes=site.checkin.minutes_after),
    )


def _queue_for_appointments(site: Site, queue_id: str) -> Queue:
    queue = site.queue(queue_id)
    if queue is None:
        raise NotFound(f"unknown queue {queue_id!r}")
    if queue.appointments_per_slot <= 0:
        raise AppointmentsNotOffered(f"queue {queue_id!r} takes no appointments")
    return queue


def _check_start(
    site: Site, queue: Queue, start: datetime, now: datetime, override_reason: str | None = None
) -> str | None:
    """Raise unless start can be booked; returns the override reason that allowed it."""
    if start.tzinfo is None:
        raise InvalidInput("the start time needs a UTC offset, e.g. 2026-11-24T09:30:00+01:00")
    moment = local(site, start)
    minutes = moment.hour * 60 + moment.minute
    if moment.second or moment.microsecond or minutes % queue.appointment_slot_minutes:
        raise SlotMisaligned(
            f"appointments of queue {queue.id!r} start every {queue.appointment_slot_minutes} "
            f"minutes from midnight (local time); {moment.strftime('%H:%M:%S')} is not a start"
        )
    if start <= now:
        raise SlotInPast(f"the start time {moment.isoformat()} lies in the past")
    problem = booking_problem(
        moment,
        hours=queue.appointment_hours,
        weekdays=queue.appointment_weekdays,
        slot_minutes=queue.appointment_slot_minutes,
        horizon_days=site.appointment_horizon_days,
        today=local(site, now).date(),
    )
    return check_bookable(problem, override_reason)


def _taken_seats(session: Session, site: Site, queue_id: str, start: datetime) -> set[int]:
    return {
        seat
        for seat in session.scalars(
            select(Appointment.seat).where(
                Appointment.site_id == site.id,
                Appointment.queue_id == queue_id,
                Appointment.start == start,
                Appointment.seat.is_not(None),
            )
        )
        if seat is not None
    }


def day_slots(session: Session, site: Site, queue_id: str, day: date) -> list[Slot]:
    """Every slot of the queue's appointment hours on a day, with its taken seats."""
    queue = _queue_for_appointments(site, queue_id)
    if day.isoweekday() not in queue.appointment_weekdays:
        return []
    zone = ZoneInfo(site.timezone)
    opens, closes = queue.appointment_hours
    first = datetime.combine(day, opens, tzinfo=zone)
    last = datetime.combine(day, closes, tzinfo=zone)
    step = timedelta(minutes=queue.appointment_slot_minutes)
    # Align the first slot on the queue's grid of slots from midnight.
    since_midnight = opens.hour * 60 + opens.minute
    first += timedelta(minutes=-since_midnight % queue.appointment_slot_minutes)
    counts = dict(
        session.execute(
            select(Appointment.start, func.count())
            .where(
                Appointment.site_id == site.id,
                Appointment.queue_id == queue.id,
                Appointment.seat.is_not(None),
                Appointment.start >= first,
                Appointment.start < last,
            )
            .group_by(Appointment.start)
        ).all()
    )
    slots = []
    moment = first
    while moment + step <= last:
        key = moment.astimezone(UTC)
        slots.append(Slot(key, queue.appointments_per_slot, int(counts.get(key, 0))))
        moment = (key + step).astimezone(zone)
    return slots


def free_slots(
    session: Session,
    site: Site,
    queue_id: str,
    after: datetime,
    *,
    limit: int = FREE_SLOT_SUGGESTIONS,
) -> list[datetime]:
    """The next slots after `after` with a free seat, within the queue's hours."""
    found: list[datetime] = []
    day = local(site, after).date()
    for offset in range(SUGGESTION_DAYS):
        for slot in day_slots(session, site, queue_id, day + timedelta(days=offset)):
            if slot.start > after and slot.free > 0:
                found.append(slot.start)
                if len(found) >= limit:
                    return found
    return found


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
        taken = _taken_seats(session, site, queue.id, start)
        seat = next((n for n in range(1, queue.appointments_per_slot + 1) if n not in taken), None)
        if seat is None:
            suggestions = free_slots(session, site, queue.id, max(start, now))
            raise SlotFull(
                f"the slot {local(site, start).isoformat()} of queue {queue.id!r} is full",
                free_slots=[local(site, s).isoformat() for s in suggestions],
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


def book(
    session: Session,
    site: Site,
    *,
    queue_id: str,
    start: datetime,
    language: str,
    note: str | None = None,
    user_id: int | None = None,
    now: datetime | None = None,
    override_reason: str | None = None,
) -> Appointment:
    """Book a seat in a slot of a queue; the visitor gets a letter with code and QR."""
    now = now or clock.utcnow()
    if language not in LANGUAGES:
        raise InvalidInput(f"unknown language {language!r}; use one of {', '.join(LANGUAGES)}")
    if note is not None and len(note) > NOTE_MAX:
        raise InvalidInput(f"the note is longer than {NOTE_MAX} characters")
    queue = _queue_for_appointments(site, queue_id)
    override = _check_start(site, queue, start, now, override_reason)
    appointment = Appointment(
        site_id=site.id,
        queue_id=queue.id,
        start=start,
        language=language,
        code=new_code(),
        token=secrets.token_urlsafe(TOKEN_BYTES),
        status=BOOKED,
        note=note or None,
        created_at=now,
        created_by=user_id,
    )
    _take_seat(session, site, queue, start, now, appointment, fresh=True)
    _event(
        session,
        appointment,
        "appt_booked",
        now,
        user_id=user_id,
        start=appointment.start.isoformat(),
        override_reason=override,
    )
    return appointment


def get(session: Session, appointment_id: int, site: Site | None = None) -> Appointment:
    appointment = session.get(Appointment, appointment_id)
    if appointment is None or (site is not None and appointment.site_id != site.id):
        raise NotFound(f"no appointment {appointment_id}")
    return appointment


def by_token(session: Session, token: str) -> Appointment:
    appointment = session.scalars(select(Appointment).where(Appointment.token == token)).first()
    if appointment is None:
        raise NotFound("no invitation with this address")
    return appointment


def by_code(session: Session, site: Site | None, raw_code: str) -> Appointment:
    code = normalize_code(raw_code)
    statement = select(Appointment).where(Appointment.code == code)
    if site is not None:
        statement = statement.where(Appointment.site_id == site.id)
    appointment = session.scalars(statement).first()
    if appointment is None:
        raise UnknownCode()
    return appointment


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
    if appointment.status != BOOKED:
        raise InvalidTransition(f"cannot cancel an appointment that is {appointment.status}")
    _set_status(session, appointment, BOOKED, CANCELLED)
    appointment.seat, appointment.cancelled_at = None, now
    _event(session, appointment, "appt_cancelled", now, user_id=user_id)
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
    if appointment.status != BOOKED:
        raise InvalidTransition(f"cannot rebook an appointment that is {appointment.status}")
    queue = _queue_for_appointments(site, appointment.queue_id)
    override = _check_start(site, queue, start, now, override_reason)
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
        "appt_rebooked",
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
    if appointment.status == CANCELLED:
        raise AppointmentCancelled()
    if appointment.status == CHECKED_IN:
        ticket = session.get(Ticket, appointment.ticket_id) if appointment.ticket_id else None
        if idempotency_key and ticket is not None and ticket.idempotency_key == idempotency_key:
            return ticket
        raise AlreadyCheckedIn()
    opens, closes = checkin_window(site, appointment)
    if now < opens:
        raise CheckinTooEarly(
            f"check-in opens at {local(site, opens).strftime('%H:%M')}",
            come_back_at=local(site, opens).isoformat(),
        )
    if now > closes or appointment.status == NO_SHOW:
        raise CheckinTooLate()
    if language is not None and language not in LANGUAGES:
        raise InvalidInput(f"unknown language {language!r}")
    # Compare-and-set: of two scans of one letter at once, only the first one wins.
    _set_status(session, appointment, BOOKED, CHECKED_IN, AlreadyCheckedIn())
    ticket = tickets.issue(
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
        "appt_checkin",
        now,
        ticket_id=ticket.id,
        late=now > appointment.start or None,
    )
    return ticket


def mark_missed(session: Session, site: Site, now: datetime | None = None) -> list[int]:
    """Mark booked appointments whose check-in window has passed as no-shows."""
    now = now or clock.utcnow()
    deadline = now - timedelta(minutes=site.checkin.minutes_after)
    missed = list(
        session.scalars(
            select(Appointment).where(
                Appointment.site_id == site.id,
                Appointment.status == BOOKED,
                Appointment.start < deadline,
            )
        )
    )
    marked = []
    for appointment in missed:
        changed = _rowcount(
            session.execute(
                update(Appointment)
                .where(Appointment.id == appointment.id, Appointment.status == BOOKED)
                .values(status=NO_SHOW)
                .execution_options(synchronize_session=False)
            )
        )
        if changed == 1:
            appointment.status = NO_SHOW
            _event(session, appointment, "appt_no_show", now)
            marked.append(appointment.id)
    return marked


def day_overview(
    session: Session, site: Site, day: date, now: datetime | None = None
) -> list[dict[str, Any]]:
    """The appointments of a day, start order, with what became of each (staff only)."""
    now = now or clock.utcnow()
    zone = ZoneInfo(site.timezone)
    first = datetime.combine(day, datetime.min.time(), tzinfo=zone)
    last = first + timedelta(days=1)
    rows = session.execute(
        select(Appointment, Ticket)
        .outerjoin(Ticket, Ticket.id == Appointment.ticket_id)
        .where(Appointment.site_id == site.id, Appointment.start >= first, Appointment.start < last)
        .order_by(Appointment.start, Appointment.queue_id, Appointment.id)
    ).all()
    return [present(site, appointment, ticket, now) for appointment, ticket in rows]


def progress(appointment: Appointment, ticket: Ticket | None) -> str:
    """expected, checked_in, called, done, no_show or cancelled."""
    if appointment.status in (CANCELLED, NO_SHOW):
        return appointment.status
    if ticket is None:
        return "expected"
    if ticket.status == "waiting":
        return "checked_in"
    if ticket.status in ("called", "serving", "parked"):
        return "called"
    if ticket.status == "no_show":
        return "no_show"
    if ticket.status == "cancelled":
        return "cancelled"
    return "done"


def present(
    site: Site, appointment: Appointment, ticket: Ticket | None, now: datetime
) -> dict[str, Any]:
    """The appointment as staff see it (the note is internal: never on a public page)."""
    state = progress(appointment, ticket)
    checked_in = appointment.checked_in_at
    return {
        "id": appointment.id,
        "code": format_code(appointment.code),
        "start": local(site, appointment.start).isoformat(),
        "queue": appointment.queue_id,
        "language": appointment.language,
        "status": appointment.status,
        "progress": state,
        # Arrived after the start, or still expected although the start has passed.
        "late": bool(
            (checked_in and checked_in > appointment.start)
            or (state == "expected" and now > appointment.start)
        ),
        "checked_in_at": local(site, checked_in).isoformat() if checked_in else None,
        "ticket": (
            {"id": ticket.id, "number": ticket.number, "status": ticket.status} if ticket else None
        ),
        "note": appointment.note,
        "invitation_url": invitation_url(site, appointment),
        # Staff open the letter on the server they are using, whatever the public address.
        "invitation_path": f"/invitation/{appointment.token}",
    }


def booking(site: Site, appointment: Appointment) -> dict[str, Any]:
    """The answer to a booking, as the API contract fixes it (plus a few extras)."""
    return {
        "id": appointment.id,
        "code": format_code(appointment.code),
        "start": local(site, appointment.start).isoformat(),
        "queue": appointment.queue_id,
        "invitation_url": invitation_url(site, appointment),
        "language": appointment.language,
        "status": appointment.status,
        "checkin_url": checkin_url(site, appointment),
    }


def _set_status(
    session: Session,
    appointment: Appointment,
    current: str,
    new: str,
    error: Exception | None = None,
) -> None:
    changed = _rowcount(
        session.execute(
            update(Appointment)
            .where(Appointment.id == appointment.id, Appointment.status == current)
            .values(status=new)
            .execution_options(synchronize_session=False)
        )
    )
    if changed != 1:
        session.refresh(appointment)
        raise error or InvalidTransition(f"the appointment is now {appointment.status}")
    appointment.status = new


def _rowcount(result: Result[Any]) -> int:
    return int(cast(CursorResult[Any], result).rowcount)


def _event(
    session: Session,
    appointment: Appointment,
    kind: str,
    now: datetime,
    *,
    user_id: int | None = None,
    ticket_id: int | None = None,
    **data: object,
) -> None:
    session.add(
        Event(
            site_id=appointment.site_id,
            ticket_id=ticket_id,
            kind=kind,
            at=now,
            queue_id=appointment.queue_id,
            user_id=user_id,
            data={
                "appointment": appointment.id,
                **{k: v for k, v in data.items() if v is not None},
            },
        )
    )


def staff_day(
    session: Session,
    site: Site,
    day: date,
    queue_id: str | None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """What the staff day view shows: the day's appointments per queue, and bookable slots.

    Appointments whose check-in window passed are marked as no-shows first, so the view
    never shows someone as still expected who can no longer check in.
    """
    now = now or clock.utcnow()
    mark_missed(session, site, now)
    rows = day_overview(session, site, day, now)
    bookable = [q.id for q in site.queues if q.appointments_per_slot > 0]
    chosen = queue_id if queue_id in bookable else (bookable[0] if bookable else None)
    slots = [s for s in day_slots(session, site, chosen, day) if s.start > now] if chosen else []
    return {
        "day": day,
        "queues": [
            {"id": q, "appointments": [r for r in rows if r["queue"] == q]}
            for q in dict.fromkeys(bookable + [r["queue"] for r in rows])
        ],
        "bookable_queues": bookable,
        "queue": chosen,
        "slots": [
            {"start": local(site, s.start), "free": s.free, "capacity": s.capacity} for s in slots
        ],
    }
