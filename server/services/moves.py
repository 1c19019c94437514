"""Moves of a ticket at or between counters: recall, start, finish, no-show, cancel,
park, resume and transfer."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from server.config import Site
from server.domain import routing
from server.domain.errors import InvalidInput, InvalidTransition, NotFound
from server.domain.lifecycle import (
    IN_FRONT,
    TERMINAL,
    Action,
    EventKind,
    Status,
    check_counter_free,
    move,
)
from server.models import Ticket, Visit
from server.services import cas, events, lookup
from server.services.clock import utcnow

MAX_NOTE_LENGTH = 1000


def _claim(session: Session, ticket: Ticket, new_status: Status, **values: object) -> None:
    """Write the new status if nobody changed the ticket since we read it, else 409."""
    if not cas.compare_and_set(
        session, Ticket, ticket.id, {"status": ticket.status}, status=new_status.value, **values
    ):
        session.refresh(ticket)
        raise InvalidTransition(f"the ticket changed meanwhile; it is now {ticket.status}")
    # The compare-and-set wrote these: record them as committed state so the flush does
    # not send them a second time.
    set_committed_value(ticket, "status", new_status.value)
    for name, value in values.items():
        set_committed_value(ticket, name, value)


def apply(
    session: Session,
    ticket: Ticket,
    action: Action,
    now: datetime,
    *,
    user_id: int | None = None,
    **data: Any,
) -> Ticket:
    """Move a ticket by the lifecycle table and record the event the table names."""
    new_status, kind = move(ticket.status, action)
    values: dict[str, object] = {}
    if action in (Action.RECALL, Action.RESUME):
        values["called_at"] = now
    if action is Action.RECALL:
        values["recalls"] = ticket.recalls + 1
    if new_status in TERMINAL:
        values["finished_at"] = now
    _claim(session, ticket, new_status, **values)
    if action is Action.START:
        update_stop(session, ticket, started_at=now)
    if new_status in TERMINAL:
        update_stop(session, ticket, finished_at=now, outcome=new_status.value)
    events.of_ticket(session, ticket, kind, now, user_id=user_id, **data)
    return ticket


def _open_visit(ticket: Ticket) -> Visit | None:
    return ticket.visits[-1] if ticket.visits else None


def update_stop(session: Session, ticket: Ticket, **values: object) -> None:
    """Write to the ticket's open stop with one plain update, not the unit of work.

    The loaded stop is told the values as committed, so the answer built from it in
    this transaction shows them and no flush sends them a second time.
    """
    visit = _open_visit(ticket)
    if visit is None:
        return
    cas.set_by_id(session, Visit, visit.id, **values)
    for name, value in values.items():
        set_committed_value(visit, name, value)


def act(
    session: Session,
    ticket_id: int,
    action: Action,
    *,
    site: Site | None = None,
    user_id: int | None = None,
    now: datetime | None = None,
) -> Ticket:
    """Recall, start, finish, mark no-show, cancel, park or resume a ticket."""
    if action in (Action.CALL, Action.TRANSFER):
        raise ValueError("use calling.next_call or moves.transfer")
    ticket = lookup.get_ticket(session, ticket_id, site=site)
    if action is Action.RESUME and ticket.counter_id is not None:
        others = session.scalars(
            select(Ticket.status).where(
                Ticket.counter_id == ticket.counter_id,
                Ticket.id != ticket.id,
                Ticket.status.in_([s.value for s in IN_FRONT]),
            )
        )
        check_counter_free(others)
    return apply(session, ticket, action, now or utcnow(), user_id=user_id)


def transfer(
    session: Session,
    site: Site,
    ticket_id: int,
    *,
    queue_id: str | None = None,
    counter_id: str | None = None,
    note: str | None = None,
    keep_arrival: bool = True,
    user_id: int | None = None,
    now: datetime | None = None,
) -> Ticket:
    """Hand a ticket on to another queue or a named counter; it keeps its number.

    By default it also keeps its original arrival time, so a visitor sent on from
    reception does not start again at the back of the line.
    """
    now = now or utcnow()
    if (queue_id is None) == (counter_id is None):
        raise InvalidInput("give either a queue or a counter")
    ticket = lookup.get_ticket(session, ticket_id, site=site)
    if counter_id is not None:
        counter = site.counter(counter_id)
        if counter is None:
            raise NotFound(f"unknown counter {counter_id!r}")
        queue_id = routing.queue_of_counter((w.queue, w.weight) for w in counter.serves)
    assert queue_id is not None
    if site.queue(queue_id) is None:
        raise NotFound(f"unknown queue {queue_id!r}")
    if note is not None and len(note) > MAX_NOTE_LENGTH:
        raise InvalidInput(f"the note is longer than {MAX_NOTE_LENGTH} characters")
    from_queue, from_counter = ticket.queue_id, ticket.counter_id
    new_status, kind = move(ticket.status, Action.TRANSFER)
    _claim(session, ticket, new_status)
    visit = _open_visit(ticket)
    if visit is not None:
        visit.finished_at, visit.outcome = now, EventKind.TRANSFERRED.value
    ticket.queue_id = queue_id
    ticket.counter_id = None
    ticket.reserved_counter_id = counter_id
    ticket.called_at = None
    ticket.queued_at = now
    ticket.note = note
    if not keep_arrival:
        ticket.arrived_at = now
    # Through the relationship, so the answer built in this session lists the new stop.
    ticket.visits.append(Visit(ticket_id=ticket.id, queue_id=queue_id, queued_at=now, note=note))
    events.append(
        session,
        kind,
        now,
        site_id=site.id,
        ticket_id=ticket.id,
        queue_id=queue_id,
        counter_id=from_counter,
        user_id=user_id,
        from_queue=from_queue,
        to_queue=queue_id,
        to_counter=counter_id,
        keep_arrival=keep_arrival,
    )
    return ticket
