"""A waiting ticket's place in its queue's line and its estimated wait.

The place comes from the same rule that counters call by (`policy.line_key`): the
waiting tickets of the queue are fetched and ranked by the domain, never counted by a
second, hand-written copy of the order in SQL.
"""

from __future__ import annotations

import functools
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session

from server.config import Site
from server.domain import estimate, policy
from server.domain.lifecycle import Status
from server.models import Appointment, Ticket, Visit
from server.services import presence
from server.services.calling import CANDIDATE_COLUMNS, candidate

RECENT_SERVICE_SAMPLES = 20
RECENT_SERVICE_WINDOW = timedelta(hours=4)


def _waiting(*columns: Any) -> Select[Any]:
    return (
        select(*columns)
        .select_from(Ticket)
        .where(
            Ticket.site_id == bindparam("site"),
            Ticket.service_day == bindparam("day", type_=Ticket.service_day.type),
            Ticket.queue_id == bindparam("queue"),
            Ticket.status == Status.WAITING.value,
        )
    )


@functools.cache
def _line_statement() -> Select[Any]:
    return _waiting(*CANDIDATE_COLUMNS).outerjoin(
        Appointment, Appointment.id == Ticket.appointment_id
    )


@functools.cache
def _count_statement() -> Select[Any]:
    return _waiting(func.count())


def waiting_line(
    session: Session, site_id: str, day: date, queue_id: str
) -> list[policy.Candidate]:
    """The queue's waiting tickets as the policy sees them, unordered."""
    params = {"site": site_id, "day": day, "queue": queue_id}
    return [candidate(r) for r in session.connection().execute(_line_statement(), params)]


def as_candidate(ticket: Ticket) -> policy.Candidate:
    start = ticket.appointment.start if ticket.appointment is not None else None
    return policy.Candidate(
        ticket_id=ticket.id,
        queue=ticket.queue_id,
        arrived_at=ticket.arrived_at,
        priority=ticket.priority,
        appointment_start=start,
        language=ticket.language,
        needs_language=ticket.needs_language,
        passed_over_at=ticket.passed_over_at,
    )


def position(session: Session, ticket: Ticket, now: datetime) -> int:
    """1 + the waiting tickets of its queue that a counter calls before this one.

    The plain line: the order of a clerk who speaks none of the preferred languages
    (see `policy.call_order`); a clerk who speaks the visitor's language may come sooner.
    Tickets handed on to one named counter are counted like the others: a small,
    pessimistic error the visitor does not mind. (A ticket being issued is told its
    place by `told_at_issue`.)
    """
    waiting = waiting_line(session, ticket.site_id, ticket.service_day, ticket.queue_id)
    return policy.position(as_candidate(ticket), waiting, now)


def told_at_issue(
    session: Session, site: Site, newcomer: policy.Candidate, day: date, now: datetime
) -> tuple[int, int]:
    """Position and wait told to a ticket about to be inserted (it is not a row yet).

    Taken before the insert so the told wait is written with the ticket itself; the
    newcomer arrived after every waiting ticket (its id stands above theirs).
    """
    params = {"site": site.id, "day": day, "queue": newcomer.queue}
    if policy.last_in_line(newcomer, now, newest=True):
        position = int(session.connection().scalar(_count_statement(), params) or 0) + 1
    else:
        waiting = waiting_line(session, site.id, day, newcomer.queue)
        position = policy.position(newcomer, waiting, now)
    return position, estimated_wait_minutes(session, site, newcomer.queue, position - 1, now)


@functools.cache
def _recent_visits_statement() -> Select[datetime | None, datetime | None]:
    return (
        select(Visit.called_at, Visit.finished_at)
        .where(
            Visit.queue_id == bindparam("queue"),
            Visit.outcome == Status.DONE.value,
            Visit.finished_at >= bindparam("since", type_=Visit.finished_at.type),
            Visit.called_at.is_not(None),
        )
        .order_by(Visit.finished_at.desc())
        .limit(RECENT_SERVICE_SAMPLES)
    )


def mean_service_minutes(session: Session, site: Site, queue_id: str, now: datetime) -> float:
    queue = site.queue(queue_id)
    default = queue.default_service_minutes if queue else 8.0
    params = {"queue": queue_id, "since": now - RECENT_SERVICE_WINDOW}
    rows = session.connection().execute(_recent_visits_statement(), params).all()
    durations = [(f - c).total_seconds() for c, f in rows if c and f]
    return estimate.mean_service_minutes(durations, default)


def effective_counters(session: Session, site: Site, queue_id: str, now: datetime) -> float:
    """The open counters serving the queue, each counted by its share of weight for it."""
    shares: list[float] = []
    for counter in presence.open_counters(session, site, now):
        if not any(w.queue == queue_id for w in counter.serves):
            continue
        total = sum(w.weight for w in counter.serves)
        shares.extend(w.weight / total for w in counter.serves if w.queue == queue_id)
    return estimate.effective_counters(shares)


def estimated_wait_minutes(
    session: Session, site: Site, queue_id: str, ahead: int, now: datetime
) -> int:
    return estimate.estimated_wait_minutes(
        ahead,
        mean_service_minutes(session, site, queue_id, now),
        effective_counters(session, site, queue_id, now),
    )
