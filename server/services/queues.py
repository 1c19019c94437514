"""A queue's day: numbers given out, closed for new tickets, walk-ins issued so far."""

from __future__ import annotations

import functools
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from server.config import Site
from server.domain.errors import NotFound
from server.domain.lifecycle import EventKind
from server.domain.numbering import service_day
from server.models import DaySequence, QueueDay, Ticket
from server.services import events
from server.services.clock import utcnow


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


def next_sequence(session: Session, site_id: str, day: date, prefix: str) -> int:
    """Atomically take the next number of the day for a prefix.

    The upsert holds the row (PostgreSQL) or the database (SQLite) until commit, so
    whoever takes number n+1 does so after number n's transaction ended.
    """
    statement = _next_sequence_statement(session.get_bind().dialect.name)
    params = {"site": site_id, "day": day, "prefix": prefix}
    return int(session.connection().execute(statement, params).scalar_one())


@functools.cache
def _closed_statement() -> Select[bool]:
    return select(QueueDay.closed).where(
        QueueDay.site_id == bindparam("site"),
        QueueDay.queue_id == bindparam("queue"),
        QueueDay.service_day == bindparam("day", type_=QueueDay.service_day.type),
    )


def is_closed(session: Session, site: Site, queue_id: str, day: date) -> bool:
    params = {"site": site.id, "queue": queue_id, "day": day}
    return bool(session.connection().scalar(_closed_statement(), params))


@functools.cache
def _walk_ins_statement() -> Select[int]:
    return (
        select(func.count())
        .select_from(Ticket)
        .where(
            Ticket.site_id == bindparam("site"),
            Ticket.service_day == bindparam("day", type_=Ticket.service_day.type),
            Ticket.queue_id == bindparam("queue"),
            Ticket.appointment_id.is_(None),
        )
    )


def walk_ins_issued(session: Session, site: Site, queue_id: str, day: date) -> int:
    """Walk-in tickets the queue gave out today (what its daily capacity counts)."""
    params = {"site": site.id, "queue": queue_id, "day": day}
    return int(session.connection().scalar(_walk_ins_statement(), params) or 0)


def set_closed(
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
    kind = EventKind.QUEUE_CLOSED if closed else EventKind.QUEUE_OPENED
    events.append(session, kind, now, site_id=site.id, user_id=user_id, queue=queue_id)
