"""Appointments: booking by staff (reception, clerk and above) and check-in at the kiosk."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import request
from flask_login import current_user

from server import printing
from server.api import bp
from server.api.helpers import field, hub, json_body, runtime
from server.audit_web import audit_appointment
from server.auth import staff_required
from server.config import Site
from server.domain import inputs
from server.domain.appointments import parse_start
from server.domain.audit import AuditAction
from server.domain.lifecycle import EventKind
from server.kiosk_access import issuing_kiosk
from server.services import appointment_pages, appointment_queries, appointments, clock, present


def parse_day(value: str | None, site: Site) -> date:
    if not value:
        return site.local(clock.utcnow()).date()
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
            start=parse_start(field(data, "start")),
            language=field(data, "language"),
            note=field(data, "note", required=False),
            user_id=current_user.id,
            override_reason=field(data, "override_reason", required=False),
        )
        audit_appointment(session, AuditAction.APPOINTMENT_BOOKED, appointment)
        body = appointment_pages.booking(site, appointment)
    hub().staff_notice(site, "appointments", {"site": site.id, "id": body["id"]})
    return body, 201


def _change(appointment_id: int, verb: str) -> Any:
    data = json_body()
    with runtime().db.writing() as session:
        site = runtime().site(appointment_queries.get(session, appointment_id).site_id)
        if verb == "cancel":
            appointment = appointments.cancel(
                session, site, appointment_id, user_id=current_user.id
            )
        else:
            appointment = appointments.rebook(
                session,
                site,
                appointment_id,
                parse_start(field(data, "start")),
                user_id=current_user.id,
                override_reason=field(data, "override_reason", required=False),
            )
        moved = verb != "cancel"
        action = AuditAction.APPOINTMENT_MOVED if moved else AuditAction.APPOINTMENT_CANCELLED
        audit_appointment(session, action, appointment)
        body = appointment_pages.booking(site, appointment)
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
        appointment = appointment_queries.get(session, appointment_id)
        site = runtime().site(appointment.site_id)
        ticket = appointment_queries.ticket_of(session, appointment)
        return appointment_pages.present(site, appointment, ticket, clock.utcnow())


@bp.get("/sites/<site_id>/appointments")
@staff_required()
def list_appointments(site_id: str) -> Any:
    site = runtime().site(site_id)
    day = parse_day(request.args.get("date"), site)
    with runtime().db.reading() as session:
        return appointment_pages.day_overview(session, site, day)


@bp.get("/sites/<site_id>/queues/<queue_id>/slots")
@staff_required()
def queue_slots(site_id: str, queue_id: str) -> Any:
    """The slots of a day with their free seats, for a booking form."""
    site = runtime().site(site_id)
    day = parse_day(request.args.get("date"), site)
    with runtime().db.reading() as session:
        slots = appointment_queries.bookable_slots(session, site, queue_id, day, clock.utcnow())
    return [{**slot, "start": slot["start"].isoformat()} for slot in slots]


@bp.post("/checkin")
def checkin() -> Any:
    data = json_body()
    site = runtime().site(field(data, "site"))
    claimed = field(data, "kiosk", required=False)
    key = request.headers.get("Idempotency-Key") or field(data, "idempotency_key", required=False)
    with runtime().db.writing() as session:
        kiosk = issuing_kiosk(session, site, claimed)
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
    hub().ticket_changed(site, ticket_id, EventKind.ISSUED)
    hub().staff_notice(site, "appointments", {"site": site.id, "ticket": ticket_id})
    if kiosk is not None:
        # Queued, never awaited: a slow or dead printer must not delay the visitor's answer.
        printing.print_ticket_for_kiosk(site, kiosk, ticket_id)
    return body, 201
