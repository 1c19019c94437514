"""Staff endpoints: login required, roles checked, CSRF for session clients."""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from server.api import answers as a
from server.api import bp, languages
from server.api import schemas as s
from server.api.helpers import hub, runtime
from server.api.operations import operation
from server.audit_web import audit_staff, audit_ticket
from server.auth import (
    CSRF_HEADER,
    log_in,
    log_out,
    new_csrf_token,
    require_site,
    staff_required,
)
from server.domain.audit import AuditAction, ticket_target
from server.domain.lifecycle import Action, EventKind, event_of
from server.services import calling, issuing, lookup, moves, overview, present
from server.services import queues as queue_days


@bp.post("/session")
@operation("Log in", {204: None}, body=s.Login)
def login(body: s.Login) -> Any:
    log_in(body.username, body.password)
    return "", 204, {CSRF_HEADER: new_csrf_token()}


@bp.delete("/session")
@operation("Log out", {204: None})
def logout() -> Any:
    if current_user.is_authenticated:
        languages.close_counters_of(current_user.id)
    log_out()
    return "", 204


@bp.get("/session")
@staff_required()
@operation("Who is logged in", {200: a.Whoami})
def whoami() -> Any:
    return (
        {"username": current_user.username, "role": current_user.role},
        200,
        {CSRF_HEADER: new_csrf_token()},
    )


@bp.get("/sites/<site_id>/queues")
@staff_required()
@operation("Queues (staff)", {200: [a.QueueItem]})
def queues(site_id: str) -> Any:
    site = runtime().site(site_id)
    with runtime().db.reading() as session:
        return present.queues_overview(session, site)


def _site_of_counter(counter_id: str):
    site, _counter = runtime().find("counter", counter_id)
    return require_site(site)


@bp.post("/counters/<counter_id>/next")
@staff_required()
@operation("Call the next visitor", {200: a.StaffTicket, 204: None}, body=s.CallNext)
def call_next(counter_id: str, body: s.CallNext) -> Any:
    site = _site_of_counter(counter_id)
    with runtime().db.writing() as session:
        user = current_user
        result = calling.next_call(
            session, site, counter_id, queue_id=body.queue, user_id=user.id, speaks=user.languages
        )
        changes = [(t, EventKind.FINISHED) for t in result.finished]
        if result.ticket is not None:
            changes.append((result.ticket, EventKind.CALLED))
            audit_ticket(session, result.ticket, EventKind.CALLED, counter_id)
        # Built while the rows are at hand; pushed once the change is committed.
        views = [present.ticket_views(session, site, t) for t, _kind in changes]
    for (changed, kind), (public, staff) in zip(changes, views, strict=True):
        hub().push(site, changed, kind, public, staff)
    if result.ticket is None:
        return "", 204
    return views[-1][1]


def _ticket_action(ticket_id: int, action: Action) -> Any:
    with runtime().db.writing() as session:
        # Held, so that moves.act finds it in the session's identity map (held weakly).
        loaded = lookup.get_ticket(session, ticket_id, stops=True)
        site = require_site(runtime().site(loaded.site_id))
        ticket = moves.act(session, ticket_id, action, site=site, user_id=current_user.id)
        audit_ticket(session, ticket, event_of(action))
        public, body = present.ticket_views(session, site, ticket)
    hub().push(site, ticket, event_of(action), public, body)
    return body


def _action_route(action: Action) -> None:
    def view(ticket_id: int) -> Any:
        return _ticket_action(ticket_id, action)

    view.__name__ = f"ticket_{action.value}"
    summary = f"{action.value.replace('_', ' ').capitalize()} a ticket"
    declared = operation(summary, {200: a.StaffTicket})
    route = staff_required()(declared(view))
    # The URL spells the action as the enum does (`no_show`); v1 of the contract also
    # lists `/no-show`, which stays as an alias for the clients built against it.
    bp.post(f"/tickets/<int:ticket_id>/{action.value}")(route)
    if "_" in action.value:
        bp.post(f"/tickets/<int:ticket_id>/{action.value.replace('_', '-')}")(route)


for _action in Action:
    if _action not in (Action.CALL, Action.TRANSFER):
        _action_route(_action)


@bp.post("/tickets/<int:ticket_id>/transfer")
@staff_required()
@operation("Transfer a ticket to a queue or a counter", {200: a.StaffTicket}, body=s.Transfer)
def transfer(ticket_id: int, body: s.Transfer) -> Any:
    queue, counter = body.queue, body.counter
    with runtime().db.writing() as session:
        ticket = lookup.get_ticket(session, ticket_id)
        site, from_queue = require_site(runtime().site(ticket.site_id)), ticket.queue_id
        ticket = moves.transfer(
            session,
            site,
            ticket_id,
            queue_id=queue,
            counter_id=counter,
            note=body.note,
            keep_arrival=body.keep_arrival,
            user_id=current_user.id,
        )
        answer = present.staff_ticket(session, site, ticket)
        audit_ticket(session, ticket, EventKind.TRANSFERRED, f"to {counter or queue}")
    hub().ticket_changed(site, ticket_id, EventKind.TRANSFERRED, from_queue=from_queue)
    return answer


@bp.get("/tickets/<int:ticket_id>")
@staff_required()
# Digits are an id: staff get the staff ticket; the description holds the path once.
@operation("A ticket by its id (staff)", {200: a.StaffTicket}, described_by="api.get_ticket")
def staff_get_ticket(ticket_id: int) -> Any:
    with runtime().db.reading() as session:
        ticket = lookup.get_ticket(session, ticket_id)
        site = require_site(runtime().site(ticket.site_id))
        return present.staff_ticket(session, site, ticket)


@bp.get("/counters/<counter_id>/current")
@staff_required()
@operation("The tickets at a counter now", {200: [a.StaffTicket]})
def counter_current(counter_id: str) -> Any:
    site = _site_of_counter(counter_id)
    with runtime().db.reading() as session:
        return [
            present.staff_ticket(session, site, t)
            for t in lookup.counter_tickets(session, site, counter_id)
        ]


@bp.post("/tickets/reception")
@staff_required("reception")
@operation("Reception issues a ticket", {201: a.StaffTicket}, body=s.ReceptionTicket)
def issue_at_reception(body: s.ReceptionTicket) -> Any:
    """Reception issues a ticket for a visitor: concern or queue, language, optional priority."""
    site = require_site(runtime().site(body.site))
    with runtime().db.writing() as session:
        ticket = issuing.issue(
            session,
            site,
            concern_id=body.concern,
            queue_id=body.queue,
            language=body.language,
            priority_reason=body.priority_reason,
            user_id=current_user.id,
        )
        answer = present.staff_ticket(session, site, ticket)
        audit_ticket(session, ticket, EventKind.ISSUED, ticket.queue_id)
        if ticket.priority_reason:
            target = ticket_target(ticket.id, ticket.number, ticket.priority_reason)
            audit_staff(session, AuditAction.PRIORITY, target, site_id=site.id)
    hub().ticket_changed(site, answer["id"], EventKind.ISSUED)
    return answer, 201


@bp.post("/sites/<site_id>/queues/<queue_id>/state")
@staff_required("supervisor")
@operation("Open or close a queue for the day", {200: a.QueueStateAnswer}, body=s.QueueState)
def set_queue_state(site_id: str, queue_id: str, body: s.QueueState) -> Any:
    site = runtime().site(site_id)
    closed = body.closed
    with runtime().db.writing() as session:
        queue_days.set_closed(session, site, queue_id, closed, user_id=current_user.id)
        state = "closed" if closed else "open"
        audit_staff(session, AuditAction.QUEUE_STATE, f"{queue_id} {state}", site_id=site.id)
    hub().staff_notice(site, "queue_state", {"queue": queue_id, "closed": closed})
    return {"queue": queue_id, "closed": closed}


@bp.get("/sites/<site_id>/overview")
@staff_required()
@operation("Queues, counters and waiting tickets of a site", {200: a.SiteOverview})
def site_overview(site_id: str) -> Any:
    """Queues against targets, counters' live state and today's waiting tickets."""
    site = runtime().site(site_id)
    with runtime().db.reading() as session:
        return overview.site_overview(session, site)


@bp.get("/sites/<site_id>/counters/state")
@staff_required()
@operation("What each counter is doing", {200: [dict]})
def counters_state(site_id: str) -> Any:
    site = runtime().site(site_id)
    with runtime().db.reading() as session:
        return overview.counters_state(session, site)
