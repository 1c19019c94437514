"""Plain-data views of tickets, queues and displays, built inside a session."""

from __future__ import annotations

import functools
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Integer, Select, and_, bindparam, func, or_, select, tuple_
from sqlalchemy.orm import Session

from server.config import Display, Site
from server.domain import estimate
from server.domain.lifecycle import Status, allowed_actions, public_status
from server.domain.numbering import service_day
from server.domain.policy import APPOINTMENT_DUE_BEFORE
from server.models import Appointment, Event, Ticket, Visit
from server.services.clock import utcnow

RECENT_SERVICE_SAMPLES = 20


def status_url(site: Site, token: str) -> str:
    return f"{site.public_url.rstrip('/')}/t/{token}"


def counter_label(site: Site, counter_id: str | None, language: str) -> dict[str, str] | None:
    if counter_id is None:
        return None
    counter = site.counter(counter_id)
    label = counter.label.get(language) if counter else counter_id
    return {"id": counter_id, "label": label}


@functools.cache
def _ahead_statement(part: str) -> Select[int]:
    """One count of people ahead, built once and run with bound values."""
    waiting = and_(
        Ticket.site_id == bindparam("site"),
        Ticket.service_day == bindparam("day", type_=Ticket.service_day.type),
        Ticket.queue_id == bindparam("queue"),
        Ticket.status == Status.WAITING.value,
    )
    mine = tuple_(Ticket.arrived_at, Ticket.id)
    position = tuple_(
        bindparam("arrived", type_=Ticket.arrived_at.type), bindparam("id", type_=Integer)
    )
    due = and_(
        Ticket.appointment_id.is_not(None),
        Appointment.start <= bindparam("due_by", type_=Appointment.start.type),
    )
    jumps = or_(due, Ticket.priority.is_(True))
    start = bindparam("start", type_=Appointment.start.type)
    # The parts of the line that people_ahead adds up.
    conditions: dict[str, tuple[Any, ...]] = {
        "due_before_mine": (due, Appointment.start < start),  # mine is due too
        "earlier_jumpers": (mine < position, jumps),
        "later_due": (mine > position, due),
        "earlier": (mine < position,),
        "later_jumpers": (mine > position, jumps),
    }
    statement = select(func.count()).select_from(Ticket)
    if part != "earlier":
        statement = statement.outerjoin(Appointment, Appointment.id == Ticket.appointment_id)
    return statement.where(waiting, *conditions[part])


def people_ahead(session: Session, ticket: Ticket, now: datetime, *, newest: bool = False) -> int:
    """Waiting tickets of the same queue that the call-next policy would take first.

    Due appointments and priority tickets go first; among the rest, earlier arrivals.
    Counted in two index-friendly parts: earlier arrivals (an index-only range count),
    and later arrivals that jump the line (priority or due appointment, which are few).
    `newest`: the ticket was issued in this very transaction, so nobody (bar a ticket
    issued in the same instant) arrived after it and the second part is empty: the
    kiosk's hot path saves a query.
    Tickets handed on to one named counter are counted like the others: a small,
    pessimistic error the visitor does not mind.
    """
    due_by = now + APPOINTMENT_DUE_BEFORE
    start = ticket.appointment.start if ticket.appointment is not None else None
    params = {
        "site": ticket.site_id,
        "day": ticket.service_day,
        "queue": ticket.queue_id,
        "arrived": ticket.arrived_at,
        "id": ticket.id,
        "due_by": due_by,
        "start": start,
    }

    def count(part: str) -> int:
        return int(session.scalar(_ahead_statement(part), params) or 0)

    if start is not None and start <= due_by:
        return count("due_before_mine")
    if ticket.priority:
        earlier = count("earlier_jumpers")
        return earlier if newest else earlier + count("later_due")
    if newest:
        return count("earlier")
    return count("earlier") + count("later_jumpers")


@functools.cache
def _recent_visits_statement() -> Select[datetime | None, datetime | None]:
    return (
        select(Visit.called_at, Visit.finished_at)
        .where(
            Visit.queue_id == bindparam("queue"),
            Visit.outcome == "done",
            Visit.finished_at >= bindparam("since", type_=Visit.finished_at.type),
            Visit.called_at.is_not(None),
        )
        .order_by(Visit.finished_at.desc())
        .limit(RECENT_SERVICE_SAMPLES)
    )


def mean_service_minutes(session: Session, site: Site, queue_id: str, now: datetime) -> float:
    queue = site.queue(queue_id)
    default = queue.default_service_minutes if queue else 8.0
    rows = session.execute(
        _recent_visits_statement(), {"queue": queue_id, "since": now - timedelta(hours=4)}
    ).all()
    durations = [(f - c).total_seconds() for c, f in rows if c and f]
    return estimate.mean_service_minutes(durations, default)


def effective_counters(site: Site, queue_id: str) -> float:
    shares: list[float] = []
    for counter in site.counters_serving(queue_id):
        total = sum(w.weight for w in counter.serves)
        shares.extend(w.weight / total for w in counter.serves if w.queue == queue_id)
    return estimate.effective_counters(shares)


def public_ticket(
    session: Session,
    site: Site,
    ticket: Ticket,
    now: datetime | None = None,
    *,
    newest: bool = False,
) -> dict[str, Any]:
    """The ticket as the visitor and the public API see it: no personal data.

    `newest`: the ticket was issued in this transaction (see `people_ahead`).
    """
    now = now or utcnow()
    waiting = ticket.status == Status.WAITING.value
    position = wait = None
    if waiting:
        ahead = people_ahead(session, ticket, now, newest=newest)
        position = ahead + 1
        wait = estimate.estimated_wait_minutes(
            ahead,
            mean_service_minutes(session, site, ticket.queue_id, now),
            effective_counters(site, ticket.queue_id),
        )
    at_counter = ticket.status in (Status.CALLED.value, Status.SERVING.value, "parked")
    return {
        "number": ticket.number,
        "token": ticket.token,
        "status": public_status(ticket.status),
        "queue": ticket.queue_id,
        "position": position,
        "estimated_wait_minutes": wait,
        "counter": counter_label(site, ticket.counter_id, ticket.language) if at_counter else None,
        "language": ticket.language,
        "status_url": status_url(site, ticket.token),
        "appointment": ticket.appointment_id is not None,
        "called_at": ticket.called_at.isoformat() if ticket.called_at else None,
        "recalls": ticket.recalls,
        "issued_at": ticket.arrived_at.isoformat(),
    }


def staff_ticket(
    session: Session,
    site: Site,
    ticket: Ticket,
    now: datetime | None = None,
    *,
    public: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The public ticket plus what staff need: id, concern, note, priority, earlier stops.

    `public`: the ticket's public view, when the caller has built it already.
    """
    now = now or utcnow()
    data = dict(public) if public is not None else public_ticket(session, site, ticket, now)
    data["status"] = ticket.status
    data["counter"] = counter_label(site, ticket.counter_id, "de")
    concern = site.concern(ticket.concern_id) if ticket.concern_id else None
    data.update(
        id=ticket.id,
        concern={"id": concern.id, "label": concern.label.de} if concern else None,
        note=ticket.note,
        priority=ticket.priority,
        priority_reason=ticket.priority_reason,
        reserved_counter=ticket.reserved_counter_id,
        # What the lifecycle table allows now, so staff pages need no copy of it.
        actions=[action.value for action in allowed_actions(ticket.status)],
        waiting_seconds=int((now - ticket.arrived_at).total_seconds()),
        stops=[
            {
                "queue": v.queue_id,
                "counter": v.counter_id,
                "queued_at": v.queued_at.isoformat(),
                "called_at": v.called_at.isoformat() if v.called_at else None,
                "finished_at": v.finished_at.isoformat() if v.finished_at else None,
                "outcome": v.outcome,
                "note": v.note,
            }
            for v in ticket.visits
        ],
    )
    return data


def ticket_views(
    session: Session, site: Site, ticket: Ticket, now: datetime | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The ticket's public view and its staff view, as one push sends them."""
    now = now or utcnow()
    public = public_ticket(session, site, ticket, now)
    return public, staff_ticket(session, site, ticket, now, public=public)


def waiting_counts(session: Session, site: Site, now: datetime | None = None) -> dict[str, int]:
    now = now or utcnow()
    day = service_day(now, site.timezone)
    counts = dict(
        session.execute(
            select(Ticket.queue_id, func.count())
            .where(
                Ticket.site_id == site.id,
                Ticket.service_day == day,
                Ticket.status == Status.WAITING.value,
            )
            .group_by(Ticket.queue_id)
        ).all()
    )
    return {q.id: int(counts.get(q.id, 0)) for q in site.queues}


def queues_overview(
    session: Session, site: Site, now: datetime | None = None
) -> list[dict[str, Any]]:
    now = now or utcnow()
    day = service_day(now, site.timezone)
    rows = {
        queue_id: (count, oldest)
        for queue_id, count, oldest in session.execute(
            select(Ticket.queue_id, func.count(), func.min(Ticket.arrived_at))
            .where(
                Ticket.site_id == site.id,
                Ticket.service_day == day,
                Ticket.status == Status.WAITING.value,
            )
            .group_by(Ticket.queue_id)
        ).all()
    }
    result = []
    for queue in site.queues:
        count, oldest = rows.get(queue.id, (0, None))
        result.append(
            {
                "id": queue.id,
                "kind": queue.kind,
                "name": queue.name,
                "waiting": int(count),
                "oldest_wait_seconds": int((now - oldest).total_seconds()) if oldest else 0,
                "target": {"percent": queue.target.percent, "minutes": queue.target.minutes},
            }
        )
    return result


def call_event(site: Site, ticket: Ticket, *, recall: bool = False) -> dict[str, Any]:
    """What a display receives for a call: number, counter, time. Nothing else."""
    return {
        "number": ticket.number,
        "counter": counter_label(site, ticket.counter_id, "de"),
        "counter_labels": _counter_labels(site, ticket.counter_id),
        "called_at": (ticket.called_at or utcnow()).isoformat(),
        "recall": recall,
        "zone": _counter_zone(site, ticket.counter_id),
        "language": ticket.language,
    }


def _counter_labels(site: Site, counter_id: str | None) -> dict[str, str]:
    counter = site.counter(counter_id) if counter_id else None
    return counter.label.model_dump() if counter else {}


def _counter_zone(site: Site, counter_id: str | None) -> str | None:
    counter = site.counter(counter_id) if counter_id else None
    return counter.zone if counter else None


def display_state(
    session: Session, site: Site, display: Display, now: datetime | None = None
) -> dict[str, Any]:
    """The full snapshot a display gets on connect: latest calls and waiting counts."""
    now = now or utcnow()
    day = service_day(now, site.timezone)
    zone_counters = [c.id for c in site.counters if not display.zones or c.zone in display.zones]
    events = session.execute(
        select(Event.kind, Event.at, Event.counter_id, Ticket.number, Ticket.language)
        .join(Ticket, Ticket.id == Event.ticket_id)
        .where(
            Event.site_id == site.id,
            Event.kind.in_(["called", "recalled", "resumed"]),
            Ticket.service_day == day,
            Event.counter_id.in_(zone_counters),
        )
        .order_by(Event.id.desc())
        .limit(display.recent_calls * 3)
    ).all()
    calls: list[dict[str, Any]] = []
    seen: set[str] = set()
    for kind, at, counter_id, number, language in events:
        if number in seen:
            continue
        seen.add(number)
        calls.append(
            {
                "number": number,
                "counter": counter_label(site, counter_id, "de"),
                "counter_labels": _counter_labels(site, counter_id),
                "called_at": at.isoformat(),
                "recall": kind == "recalled",
                "zone": _counter_zone(site, counter_id),
                "language": language,
            }
        )
        if len(calls) >= display.recent_calls:
            break
    counts = waiting_counts(session, site, now)
    zone_queues = {q.id for q in site.queues if not display.zones or q.zone in display.zones}
    return {"calls": calls, "waiting": {q: n for q, n in counts.items() if q in zone_queues}}
