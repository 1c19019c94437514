"""Ticket verbs: issue, call next, recall, start, finish, no-show, cancel, transfer, park."""

from __future__ import annotations

import functools
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    CompoundSelect,
    CursorResult,
    Select,
    bindparam,
    func,
    insert,
    select,
    union_all,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from server.config import LANGUAGES, Site
from server.domain import policy
from server.domain.errors import (
    CapacityExhausted,
    InvalidInput,
    InvalidTransition,
    NotFound,
    QueueClosed,
)
from server.domain.idempotency import IssueRequest
from server.domain.lifecycle import AT_COUNTER, Action, Status, next_status
from server.domain.numbering import format_number, service_day
from server.models import Appointment, DaySequence, Event, QueueDay, Ticket, Visit
from server.services import idempotency
from server.services.clock import utcnow

TOKEN_BYTES = 24  # 192 bits: the status page URL must not be guessable.
_EVENT_INSERT = insert(Event)


def append_event(
    session: Session,
    ticket: Ticket | None,
    kind: str,
    now: datetime,
    *,
    site_id: str | None = None,
    counter_id: str | None = None,
    user_id: int | None = None,
    **data: object,
) -> None:
    """Append one state change to the event log, in the caller's transaction.

    A plain insert rather than a new ORM object: nothing reads an event back in the
    transaction that writes it, and the unit of work would cost more than the insert.
    The ticket is already a row (flushed), so the foreign key holds.
    """
    if ticket is not None and ticket.id is None:
        session.flush()
    row = {
        "site_id": site_id or (ticket.site_id if ticket else ""),
        "ticket_id": ticket.id if ticket else None,
        "kind": kind,
        "at": now,
        "queue_id": ticket.queue_id if ticket else None,
        "counter_id": counter_id if counter_id is not None else (ticket and ticket.counter_id),
        "user_id": user_id,
        "data": {k: v for k, v in data.items() if v is not None} or None,
    }
    session.connection().execute(_EVENT_INSERT, row)


@functools.cache
def _next_sequence_statement(dialect: str) -> Any:
    """The atomic upsert that takes a number, built once per database dialect."""
    upsert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return (
        upsert(DaySequence)
        .values(
            site_id=bindparam("site"),
            service_day=bindparam("day", type_=DaySequence.service_day.type),
            prefix=bindparam("prefix"),
            last=1,
        )
        .on_conflict_do_update(
            index_elements=["site_id", "service_day", "prefix"],
            set_={"last": DaySequence.last + 1},
        )
        .returning(DaySequence.last)
    )


def _next_sequence(session: Session, site_id: str, day: object, prefix: str) -> int:
    """Atomically take the next number of the day for a prefix (row lock / write lock)."""
    statement = _next_sequence_statement(session.get_bind().dialect.name)
    params = {"site": site_id, "day": day, "prefix": prefix}
    return int(session.execute(statement, params).scalar_one())


@functools.cache
def _queue_closed_statement() -> Select[bool]:
    return select(QueueDay.closed).where(
        QueueDay.site_id == bindparam("site"),
        QueueDay.queue_id == bindparam("queue"),
        QueueDay.service_day == bindparam("day", type_=QueueDay.service_day.type),
    )


def queue_closed(session: Session, site: Site, queue_id: str, now: datetime) -> bool:
    params = {"site": site.id, "queue": queue_id, "day": service_day(now, site.timezone)}
    return bool(session.scalar(_queue_closed_statement(), params))


def set_queue_closed(
    session: Session,
    site: Site,
    queue_id: str,
    closed: bool,
    *,
    user_id: int | None = None,
    now: datetime | None = None,
) -> None:
    """Open or close a queue for new tickets for the rest of the day."""
    now = now or utcnow()
    if site.queue(queue_id) is None:
        raise NotFound(f"unknown queue {queue_id!r}")
    day = service_day(now, site.timezone)
    row = session.get(QueueDay, (site.id, queue_id, day))
    if row is None:
        session.add(QueueDay(site_id=site.id, queue_id=queue_id, service_day=day, closed=closed))
    else:
        row.closed = closed
    append_event(
        session,
        None,
        "queue_closed" if closed else "queue_opened",
        now,
        site_id=site.id,
        user_id=user_id,
        queue=queue_id,
    )


def issue(
    session: Session,
    site: Site,
    *,
    concern_id: str | None,
    language: str,
    queue_id: str | None = None,
    kiosk_id: str | None = None,
    idempotency_key: str | None = None,
    priority_reason: str | None = None,
    appointment: Appointment | None = None,
    user_id: int | None = None,
    now: datetime | None = None,
) -> Ticket:
    """Give a visitor a numbered ticket in the concern's first queue (or a given queue)."""
    now = now or utcnow()
    if language not in LANGUAGES:
        raise InvalidInput(f"unknown language {language!r}; use one of {', '.join(LANGUAGES)}")
    if concern_id is not None:
        concern = site.concern(concern_id)
        if concern is None:
            raise NotFound(f"unknown concern {concern_id!r}")
        queue_id = queue_id or concern.queue
    if queue_id is None:
        raise InvalidInput("a concern or a queue is required")
    queue = site.queue(queue_id)
    if queue is None:
        raise NotFound(f"unknown queue {queue_id!r}")
    if kiosk_id is not None and site.kiosk(kiosk_id) is None:
        raise NotFound(f"unknown kiosk {kiosk_id!r}")
    if priority_reason is not None and priority_reason not in site.priority_reasons:
        raise InvalidInput(f"unknown priority reason {priority_reason!r}")
    if idempotency_key is not None:
        if len(idempotency_key) > 80:
            raise InvalidInput("the idempotency key is longer than 80 characters")
        try:
            earlier = ticket_by_idempotency_key(session, site, idempotency_key)
        except NotFound:
            earlier = None
        if earlier is not None:
            asked = IssueRequest(
                concern_id, kiosk_id, language, appointment.id if appointment else None
            )
            return idempotency.check_retry(earlier, asked)
    day = service_day(now, site.timezone)
    if appointment is None:
        if queue_closed(session, site, queue.id, now):
            raise QueueClosed(f"queue {queue.id!r} takes no new tickets today")
        if queue.daily_capacity is not None:
            issued = session.scalar(
                select(func.count())
                .select_from(Ticket)
                .where(
                    Ticket.site_id == site.id,
                    Ticket.service_day == day,
                    Ticket.queue_id == queue.id,
                    Ticket.appointment_id.is_(None),
                )
            )
            if (issued or 0) >= queue.daily_capacity:
                raise CapacityExhausted(f"queue {queue.id!r} has no tickets left today")
    sequence = _next_sequence(session, site.id, day, queue.prefix)
    ticket = Ticket(
        site_id=site.id,
        service_day=day,
        number=format_number(queue.prefix, sequence),
        token=secrets.token_urlsafe(TOKEN_BYTES),
        language=language,
        concern_id=concern_id,
        queue_id=queue.id,
        status=Status.WAITING.value,
        priority=priority_reason is not None,
        priority_reason=priority_reason,
        appointment_id=appointment.id if appointment else None,
        kiosk_id=kiosk_id,
        idempotency_key=idempotency_key,
        arrived_at=now,
        queued_at=now,
        recalls=0,
    )
    session.add(ticket)
    session.flush()
    # The first stop, as a plain insert: `ticket.visits` is not loaded yet, so whoever
    # reads it later in this transaction loads it with this row.
    session.connection().execute(
        insert(Visit), {"ticket_id": ticket.id, "queue_id": queue.id, "queued_at": now}
    )
    append_event(
        session,
        ticket,
        "issued",
        now,
        user_id=user_id,
        kiosk=kiosk_id,
        priority_reason=priority_reason,
        appointment=appointment.id if appointment else None,
    )
    return ticket


def get_ticket(session: Session, ticket_id: int, *, for_update: bool = False) -> Ticket:
    statement = select(Ticket).where(Ticket.id == ticket_id)
    if for_update:
        statement = statement.with_for_update()
    ticket = session.scalars(statement).first()
    if ticket is None:
        raise NotFound(f"no ticket {ticket_id}")
    return ticket


def ticket_by_token(session: Session, token: str) -> Ticket:
    ticket = session.scalars(select(Ticket).where(Ticket.token == token)).first()
    if ticket is None:
        raise NotFound("no ticket with this token")
    return ticket


def ticket_by_idempotency_key(session: Session, site: Site, key: str) -> Ticket:
    ticket = session.scalars(
        select(Ticket).where(Ticket.site_id == site.id, Ticket.idempotency_key == key)
    ).first()
    if ticket is None:
        raise NotFound("no ticket for this request")
    return ticket


def _rowcount(result: Any) -> int:
    """Rows an UPDATE matched: the compare-and-set answer."""
    return int(cast(CursorResult[Any], result).rowcount)


def _open_visit(ticket: Ticket) -> Visit | None:
    return ticket.visits[-1] if ticket.visits else None


def counter_tickets(session: Session, site: Site, counter_id: str) -> list[Ticket]:
    """Tickets currently at a counter (called, serving or parked)."""
    return list(
        session.scalars(
            select(Ticket)
            .where(
                Ticket.site_id == site.id,
                Ticket.counter_id == counter_id,
                Ticket.status.in_([s.value for s in AT_COUNTER]),
            )
            .order_by(Ticket.called_at)
        )
    )


def _profile(site: Site, counter_id: str, only_queue: str | None) -> dict[str, policy.QueueWeight]:
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


@dataclass
class NextCall:
    """What pressing "next" did: the ticket called and the visitors finished on the way.

    `ticket` is None when nothing waits; `finished` are the counter's previous visitors.
    """

    ticket: Ticket | None
    finished: list[Ticket]


def call_next(
    session: Session,
    site: Site,
    counter_id: str,
    *,
    queue_id: str | None = None,
    user_id: int | None = None,
    now: datetime | None = None,
) -> Ticket | None:
    """Call the best waiting ticket for a counter; None when nothing waits."""
    return next_call(session, site, counter_id, queue_id=queue_id, user_id=user_id, now=now).ticket


def next_call(
    session: Session,
    site: Site,
    counter_id: str,
    *,
    queue_id: str | None = None,
    user_id: int | None = None,
    now: datetime | None = None,
) -> NextCall:
    """Call the best waiting ticket for a counter, finishing its previous visitor first.

    Pressing "next" means the previous visitor (called or serving) is done. Parked
    visitors stay parked.
    """
    now = now or utcnow()
    profile = _profile(site, counter_id, queue_id)
    finished = [
        _apply(session, current, Action.FINISH, now, user_id=user_id, auto=True)
        for current in counter_tickets(session, site, counter_id)
        if current.status in (Status.CALLED, Status.SERVING)
    ]
    return NextCall(_claim_next(session, site, counter_id, profile, user_id, now), finished)


def _claim_next(
    session: Session,
    site: Site,
    counter_id: str,
    profile: dict[str, policy.QueueWeight],
    user_id: int | None,
    now: datetime,
) -> Ticket | None:
    day = service_day(now, site.timezone)
    postgres = session.get_bind().dialect.name == "postgresql"
    for _attempt in range(5):
        candidates = _candidates(session, site, counter_id, list(profile), day)
        if not candidates:
            return None
        for candidate in policy.rank(candidates, profile, now):
            if postgres and not _lock_if_free(session, candidate.ticket_id):
                continue  # another counter holds it right now: take the next one
            # Compare-and-set: of two counters racing for one ticket only the first
            # update matches `status = waiting` (invariant 2); on SQLite the write lock
            # taken by BEGIN IMMEDIATE already serialises the whole call.
            claimed = _rowcount(
                session.execute(
                    update(Ticket)
                    .where(Ticket.id == candidate.ticket_id, Ticket.status == Status.WAITING.value)
                    .values(
                        status=Status.CALLED.value,
                        counter_id=counter_id,
                        called_at=now,
                        reserved_counter_id=None,
                    )
                    .execution_options(synchronize_session=False)
                )
            )
            if claimed != 1:
                continue
            # The update bypassed the identity map: load the row as it is now.
            ticket = session.scalars(
                select(Ticket)
                .where(Ticket.id == candidate.ticket_id)
                .execution_options(populate_existing=True)
            ).one()
            visit = _open_visit(ticket)
            if visit is not None:
                visit.counter_id, visit.called_at, visit.user_id = counter_id, now, user_id
            append_event(
                session,
                ticket,
                "called",
                now,
                counter_id=counter_id,
                user_id=user_id,
                due_appointment=policy.is_due(candidate, now) or None,
                priority=candidate.priority or None,
            )
            return ticket
    return None


# Within one queue the policy prefers earlier arrivals, so only the head of each queue
# (plus every priority or appointment ticket, which are few) can win: the rest is not read.
HEAD = 8


@functools.cache
def _candidates_statement(queue_count: int) -> CompoundSelect:
    """A counter's candidates in one statement, built once per number of queues.

    The head of each queue plus the waiting tickets of those queues that jump the line;
    run with bound values, so a call pays neither for building nor for hashing the SQL.
    """
    waiting = (
        (Ticket.site_id == bindparam("site"))
        & (Ticket.service_day == bindparam("day", type_=Ticket.service_day.type))
        & (Ticket.status == Status.WAITING.value)
        & (
            Ticket.reserved_counter_id.is_(None)
            | (Ticket.reserved_counter_id == bindparam("counter"))
        )
    )
    columns = (Ticket.id, Ticket.queue_id, Ticket.arrived_at, Ticket.priority, Appointment.start)

    base = select(*columns).outerjoin(Appointment, Appointment.id == Ticket.appointment_id)
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


def _candidates(
    session: Session, site: Site, counter_id: str, queues: list[str], day: object
) -> list[policy.Candidate]:
    params: dict[str, Any] = {"site": site.id, "day": day, "counter": counter_id, "queues": queues}
    params.update({f"queue_{i}": queue for i, queue in enumerate(queues)})
    rows = session.execute(_candidates_statement(len(queues)), params).all()
    unique = {r[0]: r for r in rows}
    return [
        policy.Candidate(
            ticket_id=r[0], queue=r[1], arrived_at=r[2], priority=r[3], appointment_start=r[4]
        )
        for r in unique.values()
    ]


def _lock_if_free(session: Session, ticket_id: int) -> bool:
    """PostgreSQL: lock the row unless another transaction holds it (no waiting in line)."""
    row = session.execute(
        select(Ticket.id)
        .where(Ticket.id == ticket_id, Ticket.status == Status.WAITING.value)
        .with_for_update(skip_locked=True)
    ).first()
    return row is not None


def _apply(
    session: Session,
    ticket: Ticket,
    action: Action,
    now: datetime,
    *,
    user_id: int | None = None,
    **data: Any,
) -> Ticket:
    new_status = next_status(ticket.status, action)
    # Guard against a concurrent change between our read and this write.
    changed = _rowcount(
        session.execute(
            update(Ticket)
            .where(Ticket.id == ticket.id, Ticket.status == ticket.status)
            .values(status=new_status.value)
            .execution_options(synchronize_session=False)
        )
    )
    if changed != 1:
        session.refresh(ticket)
        raise InvalidTransition(f"the ticket changed meanwhile; it is now {ticket.status}")
    # The compare-and-set above already wrote the status: record it as committed state so
    # the flush does not send it a second time.
    set_committed_value(ticket, "status", new_status.value)
    visit = _open_visit(ticket)
    kind = action.value
    if action is Action.RECALL:
        ticket.recalls += 1
        ticket.called_at = now
        kind = "recalled"
    elif action is Action.START:
        kind = "started"
        if visit is not None:
            visit.started_at = now
    elif action is Action.RESUME:
        kind = "resumed"
        ticket.called_at = now
    elif action is Action.PARK:
        kind = "parked"
    elif new_status in (Status.DONE, Status.NO_SHOW, Status.CANCELLED):
        kind = {"done": "finished", "no_show": "no_show", "cancelled": "cancelled"}[new_status]
        ticket.finished_at = now
        if visit is not None:
            visit.finished_at, visit.outcome = now, new_status.value
    append_event(session, ticket, kind, now, user_id=user_id, **data)
    return ticket


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
        raise ValueError("use call_next or transfer")
    ticket = get_ticket(session, ticket_id)
    if site is not None and ticket.site_id != site.id:
        raise NotFound(f"no ticket {ticket_id}")
    if action is Action.RESUME and ticket.counter_id is not None:
        busy = session.scalar(
            select(func.count())
            .select_from(Ticket)
            .where(
                Ticket.counter_id == ticket.counter_id,
                Ticket.id != ticket.id,
                Ticket.status.in_([Status.CALLED.value, Status.SERVING.value]),
            )
        )
        if busy:
            # One visitor at a counter at a time: the clerk parks or finishes first.
            raise InvalidTransition("finish or park the current visitor before resuming another")
    return _apply(session, ticket, action, now or utcnow(), user_id=user_id)


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
    ticket = get_ticket(session, ticket_id)
    if ticket.site_id != site.id:
        raise NotFound(f"no ticket {ticket_id}")
    if counter_id is not None:
        counter = site.counter(counter_id)
        if counter is None:
            raise NotFound(f"unknown counter {counter_id!r}")
        queue_id = max(counter.serves, key=lambda w: w.weight).queue
    assert queue_id is not None
    if site.queue(queue_id) is None:
        raise NotFound(f"unknown queue {queue_id!r}")
    if note is not None and len(note) > 1000:
        raise InvalidInput("the note is longer than 1000 characters")
    from_queue, from_counter = ticket.queue_id, ticket.counter_id
    new_status = next_status(ticket.status, Action.TRANSFER)
    changed = _rowcount(
        session.execute(
            update(Ticket)
            .where(Ticket.id == ticket.id, Ticket.status == ticket.status)
            .values(status=new_status.value)
            .execution_options(synchronize_session=False)
        )
    )
    if changed != 1:
        raise InvalidTransition("the ticket changed meanwhile")
    visit = _open_visit(ticket)
    if visit is not None:
        visit.finished_at, visit.outcome = now, "transferred"
    ticket.status = new_status.value
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
    append_event(
        session,
        ticket,
        "transferred",
        now,
        counter_id=from_counter,
        user_id=user_id,
        from_queue=from_queue,
        to_queue=queue_id,
        to_counter=counter_id,
        keep_arrival=keep_arrival,
    )
    return ticket
