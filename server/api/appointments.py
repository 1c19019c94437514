"""Appointments: booking by staff (reception, clerk and above) and check-in at the kiosk."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import request
from flask_login import current_user

from server import printing
from server.api import answers as a
from server.api import bp
from server.api import schemas as s
from server.api.helpers import hub, runtime
from server.api.operations import operation
from server.audit_web import audit_appointment
from server.auth import staff_required
from server.config import Site
from server.domain.audit import AuditAction
from server.domain.booking import Wanted, override_of
from server.domain.lifecycle import EventKind
from server.kiosk_access import issuing_kiosk
from server.services import appointment_pages, appointment_queries, appointments, clock, present


def _day(query: s.DayQuery, site: Site) -> date:
    return query.date or site.local(clock.utcnow()).date()


@bp.post("/appointments")
@staff_required()
@operation("Book an appointment", {201: a.Appointment}, body=s.Booking)
def book_appointment(body: s.Booking) -> Any:
    site = runtime().site(body.site)
    with runtime().db.writing() as session:
        reason = override_of(current_user.role, body.override_reason)
        wanted = Wanted(body.queue, body.start, body.language, body.note, reason)
        appointment = appointments.book(session, site, wanted, user_id=current_user.id)
        audit_appointment(session, AuditAction.APPOINTMENT_BOOKED, appointment)
        answer = appointment_pages.booking(site, appointment)
    hub().staff_notice(site, "appointments", {"site": site.id, "id": answer["id"]})
    return answer, 201


def _change(appointment_id: int, change: s.Rebooking | None) -> Any:
    with runtime().db.writing() as session:
        site = runtime().site(appointment_queries.get(session, appointment_id).site_id)
        if change is None:
            appointment = appointments.cancel(
                session, site, appointment_id, user_id=current_user.id
            )
        else:
            appointment = appointments.rebook(
                session,
                site,
                appointment_id,
                change.start,
                user_id=current_user.id,
                override_reason=override_of(current_user.role, change.override_reason),
            )
        moved = change is not None
        action = AuditAction.APPOINTMENT_MOVED if moved else AuditAction.APPOINTMENT_CANCELLED
        audit_appointment(session, action, appointment)
        answer = appointment_pages.booking(site, appointment)
    hub().staff_notice(site, "appointments", {"site": site.id, "id": appointment_id})
    return answer


@bp.post("/appointments/<int:appointment_id>/cancel")
@staff_required()
@operation("Cancel an appointment", {200: a.Appointment}, body=s.Nothing)
def cancel_appointment(appointment_id: int, body: s.Nothing) -> Any:
    return _change(appointment_id, None)


@bp.post("/appointments/<int:appointment_id>/rebook")
@staff_required()
@operation("Move an appointment", {200: a.Appointment}, body=s.Rebooking)
def rebook_appointment(appointment_id: int, body: s.Rebooking) -> Any:
    return _change(appointment_id, body)


@bp.get("/appointments/<int:appointment_id>")
@staff_required()
@operation("An appointment and its ticket", {200: a.AppointmentView})
def get_appointment(appointment_id: int) -> Any:
    with runtime().db.reading() as session:
        appointment = appointment_queries.get(session, appointment_id)
        site = runtime().site(appointment.site_id)
        ticket = appointment_queries.ticket_of(session, appointment)
        return appointment_pages.present(site, appointment, ticket, clock.utcnow())


@bp.get("/sites/<site_id>/appointments")
@staff_required()
@operation("A day's appointments", {200: [a.AppointmentView]}, query=s.DayQuery)
def list_appointments(site_id: str, query: s.DayQuery) -> Any:
    site = runtime().site(site_id)
    day = _day(query, site)
    with runtime().db.reading() as session:
        return appointment_pages.day_overview(session, site, day)


@bp.get("/sites/<site_id>/queues/<queue_id>/slots")
@staff_required()
@operation("A day's slots and their free seats", {200: [a.Slot]}, query=s.DayQuery)
def queue_slots(site_id: str, queue_id: str, query: s.DayQuery) -> Any:
    """The slots of a day with their free seats, for a booking form."""
    site = runtime().site(site_id)
    day = _day(query, site)
    with runtime().db.reading() as session:
        slots = appointment_queries.bookable_slots(session, site, queue_id, day, clock.utcnow())
    return [{**slot, "start": slot["start"].isoformat()} for slot in slots]


@bp.post("/checkin")
@operation("Check in with an invitation", {201: a.PublicTicket}, body=s.Checkin)
def checkin(body: s.Checkin) -> Any:
    site = runtime().site(body.site)
    claimed = body.kiosk
    key = request.headers.get("Idempotency-Key") or body.idempotency_key
    with runtime().db.writing() as session:
        kiosk = issuing_kiosk(session, site, claimed)
        ticket = appointments.check_in(
            session,
            site,
            body.code,
            kiosk_id=kiosk,
            language=body.language,
            idempotency_key=key,
        )
        answer = present.public_ticket(session, site, ticket)
        ticket_id = ticket.id
    hub().ticket_changed(site, ticket_id, EventKind.ISSUED)
    hub().staff_notice(site, "appointments", {"site": site.id, "ticket": ticket_id})
    if kiosk is not None:
        # Queued, never awaited: a slow or dead printer must not delay the visitor's answer.
        printing.print_ticket_for_kiosk(site, kiosk, ticket_id)
    return answer, 201
