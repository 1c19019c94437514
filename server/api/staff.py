"""Staff endpoints: login required, roles checked, CSRF for session clients."""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from server.api import bp, languages
from server.api.helpers import field, hub, json_body, runtime
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
from server.domain.errors import InvalidInput
from server.domain.lifecycle import Action, EventKind, event_of
from server.services import calling, issuing, lookup, moves, overview, present
from server.services import queues as queue_days


@bp.post("/session")
def login() -> Any:
    data = json_body()
    log_in(field(data, "username"), field(data, "password"))
    return "", 204, {CSRF_HEADER: new_csrf_token()}


@bp.delete("/session")
def logout() -> Any:
    if current_user.is_authenticated:
        languages.close_counters_of(current_user.id)
    log_out()
    return "", 204


@bp.get("/session")
@staff_required()
def whoami() -> Any:
    return (
        {"username": current_user.username, "role": current_user.role},
        200,
        {CSRF_HEADER: new_csrf_token()},
    )


@bp.get("/sites/<site_id>/queues")
@staff_required()
def queues(site_id: str) -> Any:
    site = runtime().site(site_id)
    with runtime().db.reading() as session:
        return present.queues_overview(session, site)


def _site_of_counter(counter_id: str):
    site, _counter = runtime().find("counter", counter_id)
    return require_site(site)


@bp.post("/counters/<counter_id>/next")
@staff_required()
def call_next(counter_id: str) -> Any:
    site = _site_of_counter(counter_id)
    queue = field(json_body(), "queue", required=False)
    with runtime().db.writing() as session:
        result = calling.next_call(
            session, site, counter_id, queue_id=queue, user_id=current_user.id
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
        site = require_site(runtime().site(lookup.get_ticket(session, ticket_id).site_id))
        ticket = moves.act(session, ticket_id, action, site=site, user_id=current_user.id)
        audit_ticket(session, ticket, event_of(action))
        public, body = present.ticket_views(session, site, ticket)
    hub().push(site, ticket, event_of(action), public, body)
    return body


def _action_route(action: Action) -> None:
    def view(ticket_id: int) -> Any:
        return _ticket_action(ticket_id, action)

    view.__name__ = f"ticket_{action.value}"
    route = staff_required()(view)
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
def transfer(ticket_id: int) -> Any:
    data = json_body()
    queue = field(data, "queue", required=False)
    counter = field(data, "counter", required=False)
    note = field(data, "note", required=False)
    keep = data.get("keep_arrival", True)
    if not isinstance(keep, bool):
        raise InvalidInput("field 'keep_arrival' must be true or false")
    with runtime().db.writing() as session:
        ticket = lookup.get_ticket(session, ticket_id)
        site, from_queue = require_site(runtime().site(ticket.site_id)), ticket.queue_id
        ticket = moves.transfer(
            session,
            site,
            ticket_id,
            queue_id=queue,
            counter_id=counter,
            note=note,
            keep_arrival=keep,
            user_id=current_user.id,
        )
        body = present.staff_ticket(session, site, ticket)
        audit_ticket(session, ticket, EventKind.TRANSFERRED, f"to {counter or queue}")
    hub().ticket_changed(site, ticket_id, EventKind.TRANSFERRED, from_queue=from_queue)
    return body


@bp.get("/tickets/<int:ticket_id>")
@staff_required()
def staff_get_ticket(ticket_id: int) -> Any:
    with runtime().db.reading() as session:
        ticket = lookup.get_ticket(session, ticket_id)
        site = require_site(runtime().site(ticket.site_id))
        return present.staff_ticket(session, site, ticket)


@bp.get("/counters/<counter_id>/current")
@staff_required()
def counter_current(counter_id: str) -> Any:
    site = _site_of_counter(counter_id)
    with runtime().db.reading() as session:
        return [
            present.staff_ticket(session, site, t)
            for t in lookup.counter_tickets(session, site, counter_id)
        ]


@bp.post("/tickets/reception")
@staff_required("reception")
def issue_at_reception() -> Any:
    """Reception issues a ticket for a visitor: concern or queue, language, optional priority."""
    data = json_body()
    site = require_site(runtime().site(field(data, "site")))
    with runtime().db.writing() as session:
        ticket = issuing.issue(
            session,
            site,
            concern_id=field(data, "concern", required=False),
            queue_id=field(data, "queue", required=False),
            language=field(data, "language"),
            priority_reason=field(data, "priority_reason", required=False),
            user_id=current_user.id,
        )
        body = present.staff_ticket(session, site, ticket)
        audit_ticket(session, ticket, EventKind.ISSUED, ticket.queue_id)
        if ticket.priority_reason:
            target = ticket_target(ticket.id, ticket.number, ticket.priority_reason)
            audit_staff(session, AuditAction.PRIORITY, target, site_id=site.id)
    hub().ticket_changed(site, body["id"], EventKind.ISSUED)
    return body, 201


@bp.post("/sites/<site_id>/queues/<queue_id>/state")
@staff_required("supervisor")
def set_queue_state(site_id: str, queue_id: str) -> Any:
    site = runtime().site(site_id)
    closed = field(json_body(), "closed", bool)
    with runtime().db.writing() as session:
        queue_days.set_closed(session, site, queue_id, closed, user_id=current_user.id)
        state = "closed" if closed else "open"
        audit_staff(session, AuditAction.QUEUE_STATE, f"{queue_id} {state}", site_id=site.id)
    hub().staff_notice(site, "queue_state", {"queue": queue_id, "closed": closed})
    return {"queue": queue_id, "closed": closed}


@bp.get("/sites/<site_id>/overview")
@staff_required()
def site_overview(site_id: str) -> Any:
    """Queues against targets, counters' live state and today's waiting tickets."""
    site = runtime().site(site_id)
    with runtime().db.reading() as session:
        return overview.site_overview(session, site)


@bp.get("/sites/<site_id>/counters/state")
@staff_required()
def counters_state(site_id: str) -> Any:
    site = runtime().site(site_id)
    with runtime().db.reading() as session:
        return overview.counters_state(session, site)
