"""Calling: a counter presses "next" and gets the best waiting ticket for it."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import CompoundSelect, Select, bindparam, select, union_all, update
from sqlalchemy.orm import Session, joinedload

from server.config import Site
from server.domain import policy
from server.domain.errors import InvalidInput, NotFound
from server.domain.lifecycle import Action, EventKind, Status, finished_by_next
from server.domain.numbering import service_day
from server.models import Appointment, Ticket
from server.services import cas, events, lookup, moves, presence
from server.services.clock import utcnow

# Within one queue the line is ordered (policy.line_key), so only the head of each queue
# (plus every ticket that may jump the line, which are few) can win: the rest is not read.
HEAD = 8
CLAIM_ATTEMPTS = 5


@dataclass
class NextCall:
    """What pressing "next" did: the ticket called and the visitors finished on the way.

    `ticket` is None when nothing waits; `finished` are the counter's previous visitors.
    """

    ticket: Ticket | None
    finished: list[Ticket]


def work_profile(
    site: Site, counter_id: str, only_queue: str | None = None
) -> dict[str, policy.QueueWeight]:
    """The queues a counter serves with its weights, or just one of them when chosen."""
    counter = site.counter(counter_id)
    if counter is None:
        raise NotFound(f"unknown counter {counter_id!r}")
    profile = {}
    for item in counter.serves:
        queue = site.queue(item.queue)
        assert queue is not None  # the config validator guarantees it
        profile[item.queue] = policy.QueueWeight(item.weight, queue.target.minutes * 60.0)
    if only_queue is not None:
        if only_queue not in profile:
            if site.queue(only_queue) is None:
                raise NotFound(f"unknown queue {only_queue!r}")
            raise InvalidInput(f"counter {counter_id!r} does not serve queue {only_queue!r}")
        profile = {only_queue: profile[only_queue]}
    return profile


def next_call(
    session: Session,
    site: Site,
    counter_id: str,
    *,
    queue_id: str | None = None,
    user_id: int | None = None,
    speaks: Sequence[str] | None = None,
    now: datetime | None = None,
) -> NextCall:
    """Call the best waiting ticket for a counter, finishing its previous visitor first.

    `speaks`: the clerk's languages when the caller has them (the logged-in user does).
    """
    now = now or utcnow()
    profile = work_profile(site, counter_id, queue_id)
    clerk = presence.before_call(session, site, counter_id, user_id, now, speaks)
    finished = [
        moves.apply(session, current, Action.FINISH, now, user_id=user_id, auto=True)
        for current in _in_front(session, site, counter_id)
    ]
    return NextCall(_claim_next(session, site, counter_id, profile, clerk, user_id, now), finished)


@functools.cache
def _at_counter_statement() -> Select[str]:
    return select(Ticket.status).where(lookup.at_counter(bindparam("site"), bindparam("counter")))


def _in_front(session: Session, site: Site, counter_id: str) -> list[Ticket]:
    """The visitors "next" finishes; most presses find none, which one plain read tells."""
    params = {"site": site.id, "counter": counter_id}
    statuses = session.connection().execute(_at_counter_statement(), params).scalars()
    if not any(finished_by_next(status) for status in statuses):
        return []
    return [
        current
        for current in lookup.counter_tickets(session, site, counter_id)
        if finished_by_next(current.status)
    ]


def _claim_next(
    session: Session,
    site: Site,
    counter_id: str,
    profile: dict[str, policy.QueueWeight],
    clerk: policy.Clerk,
    user_id: int | None,
    now: datetime,
) -> Ticket | None:
    day = service_day(now, site.timezone)
    postgres = session.get_bind().dialect.name == "postgresql"
    for _attempt in range(CLAIM_ATTEMPTS):
        candidates = _candidates(session, site, counter_id, list(profile), clerk, day)
        if not candidates:
            return None
        order = policy.call_order(candidates, profile, now, clerk)
        for candidate in order.order:
            if postgres and not _lock_if_free(session, candidate.ticket_id):
                continue  # another counter holds it right now: take the next one
            # On SQLite the write lock taken by BEGIN IMMEDIATE already serialises the
            # whole call; the compare-and-set is what holds across every database.
            claimed = cas.compare_and_set(
                session,
                Ticket,
                candidate.ticket_id,
                {"status": Status.WAITING.value},
                status=Status.CALLED.value,
                counter_id=counter_id,
                called_at=now,
                reserved_counter_id=None,
            )
            if not claimed:
                continue
            preferred = candidate is order.preferred
            if preferred:
                _mark_passed_over(session, order.passed, now)
            return _called(session, candidate, counter_id, user_id, now, preferred)
    return None


@functools.cache
def _called_statement() -> Select[Ticket]:
    return (
        select(Ticket)
        .where(Ticket.id == bindparam("id"))
        .options(joinedload(Ticket.visits))
        .execution_options(populate_existing=True)
    )


def _called(
    session: Session,
    candidate: policy.Candidate,
    counter_id: str,
    user_id: int | None,
    now: datetime,
    preferred: bool = False,
) -> Ticket:
    # The update bypassed the identity map: load the row as it is now, with its stops
    # (the open one gets the counter) in the same statement.
    ticket = session.scalars(_called_statement(), {"id": candidate.ticket_id}).unique().one()
    moves.update_stop(session, ticket, counter_id=counter_id, called_at=now, user_id=user_id)
    events.of_ticket(
        session,
        ticket,
        EventKind.CALLED,
        now,
        user_id=user_id,
        due_appointment=policy.is_due(candidate, now) or None,
        priority=candidate.priority or None,
        # Statistics' fairness audit: the clerk's language decided this call.
        language_preference=preferred or None,
    )
    return ticket


@functools.cache
def _candidates_statement(queue_count: int) -> CompoundSelect:
    """A counter's candidates in one statement, built once per number of queues.

    The head of each queue plus the waiting tickets of those queues that may jump the
    line; run with bound values, so a call pays neither for building nor for hashing.
    """
    waiting = (
        (Ticket.site_id == bindparam("site"))
        & (Ticket.service_day == bindparam("day", type_=Ticket.service_day.type))
        & (Ticket.status == Status.WAITING.value)
        & (
            Ticket.reserved_counter_id.is_(None)
            | (Ticket.reserved_counter_id == bindparam("counter"))
        )
        # Invariant 6: a ticket that needs a language is only for a clerk who speaks it.
        & (
            Ticket.needs_language.is_(None)
            | Ticket.needs_language.in_(bindparam("speaks", expanding=True))
        )
    )
    base = select(*CANDIDATE_COLUMNS).outerjoin(
        Appointment, Appointment.id == Ticket.appointment_id
    )
    jumpers = base.where(
        waiting,
        Ticket.queue_id.in_(bindparam("queues", expanding=True)),
        Ticket.priority.is_(True) | Ticket.appointment_id.is_not(None),
    )
    heads = [
        select(
            base.where(waiting, Ticket.queue_id == bindparam(f"queue_{i}"))
            .order_by(Ticket.arrived_at, Ticket.id)
            .limit(HEAD)
            .subquery()
        )
        for i in range(queue_count)
    ]
    return union_all(jumpers, *heads)


CANDIDATE_COLUMNS = (
    Ticket.id,
    Ticket.queue_id,
    Ticket.arrived_at,
    Ticket.priority,
    Appointment.start,
    Ticket.language,
    Ticket.needs_language,
    Ticket.passed_over_at,
)


def candidate(row: Any) -> policy.Candidate:
    """A fetched row of CANDIDATE_COLUMNS as the policy sees it."""
    return policy.Candidate(*row)


def _candidates(
    session: Session,
    site: Site,
    counter_id: str,
    queues: list[str],
    clerk: policy.Clerk,
    day: date,
) -> list[policy.Candidate]:
    params: dict[str, Any] = {
        "site": site.id,
        "day": day,
        "counter": counter_id,
        "queues": queues,
        "speaks": sorted(clerk.languages),
    }
    params.update({f"queue_{i}": queue for i, queue in enumerate(queues)})
    rows = session.connection().execute(_candidates_statement(len(queues)), params).all()
    return [candidate(r) for r in {r[0]: r for r in rows}.values()]


def _lock_if_free(session: Session, ticket_id: int) -> bool:
    """PostgreSQL: lock the row unless another transaction holds it (no waiting in line)."""
    row = session.execute(
        select(Ticket.id)
        .where(Ticket.id == ticket_id, Ticket.status == Status.WAITING.value)
        .with_for_update(skip_locked=True)
    ).first()
    return row is not None


def _mark_passed_over(
    session: Session, passed: tuple[policy.Candidate, ...], now: datetime
) -> None:
    """The language window of a ticket starts the first time a call goes past it."""
    first_time = [c.ticket_id for c in passed if c.passed_over_at is None]
    if first_time:
        session.execute(
            update(Ticket)
            .where(Ticket.id.in_(first_time), Ticket.passed_over_at.is_(None))
            .values(passed_over_at=now)
        )
