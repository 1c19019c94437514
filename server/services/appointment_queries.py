"""Reading appointments: one by id, token or code; a day's list; a queue's slots and seats."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.config import Queue, Site
from server.domain.appointment_codes import normalize_code
from server.domain.appointments import Slot
from server.domain.errors import AppointmentsNotOffered, NotFound
from server.models import Appointment, Ticket
from server.services import rows
from server.services.invitation_expiry import expired_or_unknown

FREE_SLOT_SUGGESTIONS = 5
SUGGESTION_DAYS = 28


def get(session: Session, appointment_id: int, site: Site | None = None) -> Appointment:
    return rows.of_site(session, Appointment, appointment_id, site, "appointment")


def by_token(session: Session, token: str) -> Appointment:
    error = NotFound("no invitation with this address")
    return rows.first_where(session, Appointment, error, Appointment.token == token)


def by_code(session: Session, site: Site | None, raw_code: str) -> Appointment:
    code = normalize_code(raw_code)
    where = [Appointment.code == code]
    if site is not None:
        where.append(Appointment.site_id == site.id)
    found = session.scalars(select(Appointment).where(*where)).first()
    if found is None:
        # A letter whose code retention replaced answers "expired", not "unknown".
        raise expired_or_unknown(session, site, code)
    return found


def ticket_of(session: Session, appointment: Appointment) -> Ticket | None:
    """The ticket the check-in gave, if any."""
    return session.get(Ticket, appointment.ticket_id) if appointment.ticket_id else None


def day_rows(session: Session, site: Site, day: date) -> list[tuple[Appointment, Ticket | None]]:
    """The appointments of a local day in start order, each with its ticket (or None)."""
    first = datetime.combine(day, datetime.min.time(), tzinfo=site.timezone_info)
    last = first + timedelta(days=1)
    rows = session.execute(
        select(Appointment, Ticket)
        .outerjoin(Ticket, Ticket.id == Appointment.ticket_id)
        .where(
            Appointment.site_id == site.id,
            Appointment.start >= first,
            Appointment.start < last,
        )
        .order_by(Appointment.start, Appointment.queue_id, Appointment.id)
    )
    return [(appointment, ticket) for appointment, ticket in rows]


def queue_for_appointments(site: Site, queue_id: str) -> Queue:
    queue = site.queue(queue_id)
    if queue is None:
        raise NotFound(f"unknown queue {queue_id!r}")
    if queue.appointments_per_slot <= 0:
        raise AppointmentsNotOffered(f"queue {queue_id!r} takes no appointments")
    return queue


def taken_seats(session: Session, site: Site, queue_id: str, start: datetime) -> set[int]:
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
    queue = queue_for_appointments(site, queue_id)
    starts = site.slot_grid(queue).starts(day)
    if not starts:
        return []
    step = timedelta(minutes=queue.appointment_slot_minutes)
    counts = dict(
        session.execute(
            select(Appointment.start, func.count())
            .where(
                Appointment.site_id == site.id,
                Appointment.queue_id == queue.id,
                Appointment.seat.is_not(None),
                Appointment.start >= starts[0],
                Appointment.start < starts[-1] + step,
            )
            .group_by(Appointment.start)
        ).all()
    )
    return [Slot(s, queue.appointments_per_slot, int(counts.get(s, 0))) for s in starts]


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
    day = site.local(after).date()
    for offset in range(SUGGESTION_DAYS):
        for slot in day_slots(session, site, queue_id, day + timedelta(days=offset)):
            if slot.start > after and slot.free > 0:
                found.append(slot.start)
                if len(found) >= limit:
                    return found
    return found


def bookable_slots(
    session: Session, site: Site, queue_id: str, day: date, now: datetime
) -> list[dict[str, Any]]:
    """The day's slots still to come, for a booking form: start (local), free, capacity."""
    return [
        {"start": site.local(s.start), "free": s.free, "capacity": s.capacity}
        for s in day_slots(session, site, queue_id, day)
        if s.start > now
    ]
