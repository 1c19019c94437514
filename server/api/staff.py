"""Staff endpoints: login required, roles checked, CSRF for session clients."""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from server.api import bp
from server.api.helpers import field, hub, json_body, runtime
from server.auth import CSRF_HEADER, log_in, log_out, new_csrf_token, staff_required
from server.domain.errors import InvalidInput
from server.domain.lifecycle import Action
from server.services import overview, present, tickets


@bp.post("/session")
def login() -> Any:
    data = json_body()
    log_in(field(data, "username"), field(data, "password"))
    return "", 204, {CSRF_HEADER: new_csrf_token()}


@bp.delete("/session")
def logout() -> Any:
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
    return site


@bp.post("/counters/<counter_id>/next")
@staff_required()
def call_next(counter_id: str) -> Any:
    site = _site_of_counter(counter_id)
    queue = field(json_body(), "queue", required=False)
    with runtime().db.writing() as session:
        result = tickets.next_call(
            session, site, counter_id, queue_id=queue, user_id=current_user.id
        )
        changes = [(t, "finished") for t in result.finished]
        if result.ticket is not None:
            changes.append((result.ticket, "called"))
        # Built while the rows are at hand; pushed once the change is committed.
        views = [present.ticket_views(session, site, t) for t, _kind in changes]
    for (changed, kind), (public, staff) in zip(changes, views, strict=True):
        hub().push(site, changed, kind, public, staff)
    if result.ticket is None:
        return "", 204
    return views[-1][1]


def _ticket_action(ticket_id: int, action: Action, kind: str) -> Any:
    db = runtime().db
    with db.reading() as session:
        site = runtime().site(tickets.get_ticket(session, ticket_id).site_id)
    with db.writing() as session:
        ticket = tickets.act(session, ticket_id, action, site=site, user_id=current_user.id)
        public, body = present.ticket_views(session, site, ticket)
    hub().push(site, ticket, kind, public, body)
    return body


def _action_route(path: str, action: Action, kind: str) -> None:
    def view(ticket_id: int) -> Any:
        return _ticket_action(ticket_id, action, kind)

    view.__name__ = f"ticket_{action.value}"
    bp.post(f"/tickets/<int:ticket_id>/{path}")(staff_required()(view))


for _path, _action, _kind in (
    ("recall", Action.RECALL, "recalled"),
    ("start", Action.START, "started"),
    ("finish", Action.FINISH, "finished"),
    ("no-show", Action.NO_SHOW, "no_show"),
    ("cancel", Action.CANCEL, "cancelled"),
    ("park", Action.PARK, "parked"),
    ("resume", Action.RESUME, "resumed"),
):
    _action_route(_path, _action, _kind)


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
    db = runtime().db
    with db.reading() as session:
        site = runtime().site(tickets.get_ticket(session, ticket_id).site_id)
    with db.writing() as session:
        from_queue = tickets.get_ticket(session, ticket_id).queue_id
        ticket = tickets.transfer(
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
    hub().ticket_changed(site, ticket_id, "transferred", from_queue=from_queue)
    return body


@bp.get("/tickets/<int:ticket_id>")
@staff_required()
def staff_get_ticket(ticket_id: int) -> Any:
    with runtime().db.reading() as session:
        ticket = tickets.get_ticket(session, ticket_id)
        return present.staff_ticket(session, runtime().site(ticket.site_id), ticket)


@bp.get("/counters/<counter_id>/current")
@staff_required()
def counter_current(counter_id: str) -> Any:
    site = _site_of_counter(counter_id)
    with runtime().db.reading() as session:
        return [
            present.staff_ticket(session, site, t)
            for t in tickets.counter_tickets(session, site, counter_id)
        ]


@bp.post("/tickets/reception")
@staff_required("reception")
def issue_at_reception() -> Any:
    """Reception issues a ticket for a visitor: concern or queue, language, optional priority."""
    data = json_body()
    site = runtime().site(field(data, "site"))
    with runtime().db.writing() as session:
        ticket = tickets.issue(
            session,
            site,
            concern_id=field(data, "concern", required=False),
            queue_id=field(data, "queue", required=False),
            language=field(data, "language"),
            priority_reason=field(data, "priority_reason", required=False),
            user_id=current_user.id,
        )
        body = present.staff_ticket(session, site, ticket)
    hub().ticket_changed(site, body["id"], "issued")
    return body, 201


@bp.post("/sites/<site_id>/queues/<queue_id>/state")
@staff_required("supervisor")
def set_queue_state(site_id: str, queue_id: str) -> Any:
    site = runtime().site(site_id)
    closed = field(json_body(), "closed", bool)
    with runtime().db.writing() as session:
        tickets.set_queue_closed(session, site, queue_id, closed, user_id=current_user.id)
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
