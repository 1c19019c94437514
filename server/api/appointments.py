"""Appointments: booking by staff (reception, clerk and above) and check-in at the kiosk."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import request
from flask_login import current_user

from server import printing
from server.api import bp
from server.api.helpers import field, hub, json_body, runtime
from server.auth import staff_required
from server.config import Site
from server.domain import inputs
from server.kiosk_access import issuing_kiosk
from server.services import appointments, present


def parse_day(value: str | None, site: Site) -> date:
    if not value:
        return appointments.local(site, appointments.clock.utcnow()).date()
    return inputs.parse_day(value)


@bp.post("/appointments")
@staff_required()
def book_appointment() -> Any:
    data = json_body()
    site = runtime().site(field(data, "site"))
    with runtime().db.writing() as session:
        appointment = appointments.book(
            session,
            site,
            queue_id=field(data, "queue"),
            start=appointments.parse_start(field(data, "start")),
            language=field(data, "language"),
            note=field(data, "note", required=False),
            user_id=current_user.id,
            override_reason=field(data, "override_reason", required=False),
        )
        body = appointments.booking(site, appointment)
    hub().staff_notice(site, "appointments", {"site": site.id, "id": body["id"]})
    return body, 201


def _change(appointment_id: int, verb: str) -> Any:
    data = json_body()
    with runtime().db.reading() as session:
        site = runtime().site(appointments.get(session, appointment_id).site_id)
    with runtime().db.writing() as session:
        if verb == "cancel":
            appointment = appointments.cancel(
                session, site, appointment_id, user_id=current_user.id
            )
        else:
            appointment = appointments.rebook(
                session,
                site,
                appointment_id,
                appointments.parse_start(field(data, "start")),
                user_id=current_user.id,
                override_reason=field(data, "override_reason", required=False),
            )
        body = appointments.booking(site, appointment)
    hub().staff_notice(site, "appointments", {"site": site.id, "id": appointment_id})
    return body


@bp.post("/appointments/<int:appointment_id>/cancel")
@staff_required()
def cancel_appointment(appointment_id: int) -> Any:
    return _change(appointment_id, "cancel")


@bp.post("/appointments/<int:appointment_id>/rebook")
@staff_required()
def rebook_appointment(appointment_id: int) -> Any:
    return _change(appointment_id, "rebook")


@bp.get("/appointments/<int:appointment_id>")
@staff_required()
def get_appointment(appointment_id: int) -> Any:
    with runtime().db.reading() as session:
        appointment = appointments.get(session, appointment_id)
        site = runtime().site(appointment.site_id)
        ticket = None
        if appointment.ticket_id is not None:
            from server.models import Ticket

            ticket = session.get(Ticket, appointment.ticket_id)
        return appointments.present(site, appointment, ticket, appointments.clock.utcnow())


@bp.get("/sites/<site_id>/appointments")
@staff_required()
def list_appointments(site_id: str) -> Any:
    site = runtime().site(site_id)
    day = parse_day(request.args.get("date"), site)
    with runtime().db.writing() as session:
        appointments.mark_missed(session, site)
        return appointments.day_overview(session, site, day)


@bp.get("/sites/<site_id>/queues/<queue_id>/slots")
@staff_required()
def queue_slots(site_id: str, queue_id: str) -> Any:
    """The slots of a day with their free seats, for a booking form."""
    site = runtime().site(site_id)
    day = parse_day(request.args.get("date"), site)
    now = appointments.clock.utcnow()
    with runtime().db.reading() as session:
        return [
            {
                "start": appointments.local(site, s.start).isoformat(),
                "free": s.free,
                "capacity": s.capacity,
            }
            for s in appointments.day_slots(session, site, queue_id, day)
            if s.start > now
        ]


@bp.post("/checkin")
def checkin() -> Any:
    data = json_body()
    site = runtime().site(field(data, "site"))
    kiosk = issuing_kiosk(site, field(data, "kiosk", required=False))
    key = request.headers.get("Idempotency-Key") or field(data, "idempotency_key", required=False)
    with runtime().db.writing() as session:
        ticket = appointments.check_in(
            session,
            site,
            field(data, "code"),
            kiosk_id=kiosk,
            language=field(data, "language", required=False),
            idempotency_key=key,
        )
        body = present.public_ticket(session, site, ticket)
        ticket_id = ticket.id
    hub().ticket_changed(site, ticket_id, "issued")
    hub().staff_notice(site, "appointments", {"site": site.id, "ticket": ticket_id})
    if kiosk is not None:
        # Queued, never awaited: a slow or dead printer must not delay the visitor's answer.
        printing.print_ticket_for_kiosk(site, kiosk, ticket_id)
    return body, 201
