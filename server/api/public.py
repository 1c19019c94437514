"""Public endpoints: no login, never any personal data."""

from __future__ import annotations

from typing import Any

from flask import request
from sqlalchemy.exc import IntegrityError

from server import printing
from server.api import answers as a
from server.api import bp
from server.api import schemas as s
from server.api.helpers import hub, runtime
from server.api.operations import operation
from server.domain.idempotency import IssueRequest
from server.domain.lifecycle import EventKind
from server.health import database_problem
from server.kiosk_access import issuing_kiosk
from server.services import displays as screens
from server.services import idempotency, issuing, lookup, present


@bp.get("/health")
@operation("Is the database usable", {200: a.Health, 503: a.Health})
def health() -> Any:
    problem = database_problem(runtime().db)
    if problem is not None:
        return {"status": "unavailable", "problem": problem.code, "message": problem.message}, 503
    return {"status": "ok"}


@bp.get("/sites")
@operation("The sites", {200: [a.Named]})
def sites() -> Any:
    return [{"id": site.id, "name": site.name} for site in runtime().settings.sites]


@bp.get("/sites/<site_id>/concerns")
@operation("A site's concerns", {200: [a.ConcernItem]}, query=s.LanguageQuery)
def concerns(site_id: str, query: s.LanguageQuery) -> Any:
    site = runtime().site(site_id)
    language = query.lang or "de"
    if language not in runtime().settings.languages:
        language = "de"
    return [
        {
            "id": c.id,
            "label": c.label.get(language),
            "icon": c.icon,
            "queue": c.queue,
            "checkin": c.checkin,
        }
        for c in site.concerns
    ]


@bp.get("/sites/<site_id>/counters")
@operation("A site's counters", {200: [a.CounterItem]}, query=s.LanguageQuery)
def counters(site_id: str, query: s.LanguageQuery) -> Any:
    site = runtime().site(site_id)
    language = query.lang or "de"
    return [
        {"id": c.id, "label": c.label.get(language), "queues": [w.queue for w in c.serves]}
        for c in site.counters
    ]


@bp.get("/sites/<site_id>/displays")
@operation("A site's displays", {200: [a.Named]})
def displays(site_id: str) -> Any:
    return [{"id": d.id, "name": d.name} for d in runtime().site(site_id).displays]


@bp.get("/sites/<site_id>/kiosks")
@operation("A site's kiosks", {200: [a.Named]})
def kiosks(site_id: str) -> Any:
    return [{"id": k.id, "name": k.name} for k in runtime().site(site_id).kiosks]


@bp.post("/tickets")
@operation("Issue a ticket", {201: a.PublicTicket}, body=s.IssueTicket)
def issue_ticket(body: s.IssueTicket) -> Any:
    site = runtime().site(body.site)
    concern, language = body.concern, body.language
    claimed = body.kiosk
    key = request.headers.get("Idempotency-Key") or body.idempotency_key
    db = runtime().db
    try:
        with db.writing() as session:
            kiosk = issuing_kiosk(session, site, claimed)
            issued = issuing.issue_once(
                session,
                site,
                concern_id=concern,
                language=language,
                kiosk_id=kiosk,
                idempotency_key=key,
            )
            ticket = issued.ticket
            # A retried request gets its earlier ticket back, whose place is counted anew.
            answer = present.public_ticket(session, site, ticket, told_position=issued.position)
            ticket_id = ticket.id
    except IntegrityError:
        # Two retries of one tap raced past the idempotency check: the first one won.
        if not key:
            raise
        with db.reading() as session:
            ticket = lookup.ticket_by_idempotency_key(session, site, key)
            idempotency.check_retry(ticket, IssueRequest(concern, kiosk, language, None))
            answer = present.public_ticket(session, site, ticket)
            ticket_id = ticket.id
    hub().ticket_changed(site, ticket_id, EventKind.ISSUED)
    if kiosk is not None:
        # Queued, never awaited: a slow or dead printer must not delay the visitor's answer.
        printing.print_ticket_for_kiosk(site, kiosk, ticket_id)
    return answer, 201


@bp.get("/tickets/<token>")
@operation("A ticket by its token (staff: by its id)", {200: a.PublicTicket})
def get_ticket(token: str) -> Any:
    with runtime().db.reading() as session:
        ticket = lookup.ticket_by_token(session, token)
        return present.public_ticket(session, runtime().site(ticket.site_id), ticket)


@bp.get("/displays/<display_id>/state")
@operation("A display's state", {200: a.DisplayState})
def display_state(display_id: str) -> Any:
    site, display = runtime().find("display", display_id)
    with runtime().db.reading() as session:
        return screens.display_state(session, site, display)
