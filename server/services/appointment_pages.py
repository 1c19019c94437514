"""Appointments as the API and staff pages show them. Reads only: nothing here writes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from server.config import Site
from server.domain.appointment_codes import format_code
from server.domain.appointments import is_late, progress, shown_state
from server.models import Appointment, Ticket
from server.services import clock
from server.services.appointment_queries import bookable_slots, day_rows
from server.urls import public_url


def invitation_url(site: Site, appointment: Appointment) -> str:
    return public_url(site, "invitation", appointment.token)


def checkin_url(site: Site, appointment: Appointment) -> str:
    """What the QR code on the letter holds: a phone camera opens a short help page."""
    return public_url(site, "c", appointment.code)


def present(
    site: Site, appointment: Appointment, ticket: Ticket | None, now: datetime
) -> dict[str, Any]:
    """The appointment as staff see it (the note is internal: never on a public page).

    A booked appointment whose check-in window passed shows as a no-show at once; the
    scheduler writes that down a little later.
    """
    state = shown_state(appointment.status, appointment.start, now, site.checkin_window())
    shown = progress(state, ticket.status if ticket else None)
    checked_in = appointment.checked_in_at
    return {
        "id": appointment.id,
        "code": format_code(appointment.code),
        "start": site.local(appointment.start).isoformat(),
        "queue": appointment.queue_id,
        "language": appointment.language,
        "status": state,
        "progress": shown,
        "late": is_late(appointment.start, checked_in, shown, now),
        "checked_in_at": site.local(checked_in).isoformat() if checked_in else None,
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
        "start": site.local(appointment.start).isoformat(),
        "queue": appointment.queue_id,
        "invitation_url": invitation_url(site, appointment),
        "language": appointment.language,
        "status": appointment.status,
        "checkin_url": checkin_url(site, appointment),
    }


def day_overview(
    session: Session, site: Site, day: date, now: datetime | None = None
) -> list[dict[str, Any]]:
    """The appointments of a day, start order, with what became of each (staff only)."""
    now = now or clock.utcnow()
    return [present(site, a, t, now) for a, t in day_rows(session, site, day)]


def staff_day(
    session: Session,
    site: Site,
    day: date,
    queue_id: str | None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """What the staff day view shows: the day's appointments per queue, and bookable slots."""
    now = now or clock.utcnow()
    rows = day_overview(session, site, day, now)
    bookable = [q.id for q in site.queues if q.appointments_per_slot > 0]
    chosen = queue_id if queue_id in bookable else (bookable[0] if bookable else None)
    return {
        "day": day,
        "queues": [
            {"id": q, "appointments": [r for r in rows if r["queue"] == q]}
            for q in dict.fromkeys(bookable + [r["queue"] for r in rows])
        ],
        "bookable_queues": bookable,
        "queue": chosen,
        "slots": bookable_slots(session, site, chosen, day, now) if chosen else [],
    }
