"""The site at a glance for staff: queues against targets, counters' live state, who waits."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.config import Site
from server.domain.lifecycle import AT_COUNTER, Status
from server.domain.numbering import service_day
from server.domain.policy import appointment_due
from server.models import Appointment, Event, QueueDay, Ticket, User, Visit
from server.services import lookup, present
from server.services.clock import utcnow


def _seconds(later: datetime, earlier: datetime) -> int:
    return max(int((later - earlier).total_seconds()), 0)


def target_shares(session: Session, site: Site, now: datetime) -> dict[str, dict[str, Any]]:
    """Per queue: stops called today, how many within the target, and that share.

    A stop still waiting beyond its target already counts as a miss: otherwise a queue
    that calls nobody would look perfect. Waits are measured per stop (from when the
    ticket joined this queue), since the target is the queue's promise.
    """
    day = service_day(now, site.timezone)
    targets = {q.id: timedelta(minutes=q.target.minutes) for q in site.queues}
    rows = session.execute(
        select(Visit.queue_id, Visit.queued_at, Visit.called_at)
        .join(Ticket, Ticket.id == Visit.ticket_id)
        .where(Ticket.site_id == site.id, Ticket.service_day == day)
    ).all()
    counts = {q.id: {"called": 0, "within": 0, "late_waiting": 0} for q in site.queues}
    for queue_id, queued_at, called_at in rows:
        entry, target = counts.get(queue_id), targets.get(queue_id)
        if entry is None or target is None:
            continue
        if called_at is not None:
            entry["called"] += 1
            entry["within"] += int(called_at - queued_at <= target)
        elif now - queued_at > target:
            entry["late_waiting"] += 1
    result = {}
    for queue_id, entry in counts.items():
        judged = entry["called"] + entry["late_waiting"]
        result[queue_id] = {
            "called_today": entry["called"],
            "called_within_target": entry["within"],
            "within_target_share": round(entry["within"] / judged, 3) if judged else None,
        }
    return result


def closed_queues(session: Session, site: Site, now: datetime) -> set[str]:
    day = service_day(now, site.timezone)
    return set(
        session.scalars(
            select(QueueDay.queue_id).where(
                QueueDay.site_id == site.id, QueueDay.service_day == day, QueueDay.closed.is_(True)
            )
        )
    )


def waiting_tickets(session: Session, site: Site, now: datetime) -> list[dict[str, Any]]:
    """Today's waiting tickets, longest waiting first: numbers and flags, no personal data."""
    rows = session.execute(
        select(Ticket, Appointment.start)
        .outerjoin(Appointment, Appointment.id == Ticket.appointment_id)
        .where(lookup.waiting_today(site, now))
        .order_by(Ticket.arrived_at, Ticket.id)
    ).all()
    return [
        {
            "id": ticket.id,
            "number": ticket.number,
            "queue": ticket.queue_id,
            "concern": ticket.concern_id,
            "language": ticket.language,
            "needs_language": ticket.needs_language,
            "priority": ticket.priority,
            "priority_reason": ticket.priority_reason,
            "appointment": ticket.appointment_id is not None,
            "appointment_start": start.isoformat() if start else None,
            "appointment_due": appointment_due(start, now),
            "reserved_counter": ticket.reserved_counter_id,
            "note": ticket.note,
            "waiting_seconds": _seconds(now, ticket.arrived_at),
            "queue_seconds": _seconds(now, ticket.queued_at),
        }
        for ticket, start in rows
    ]


def counters_state(
    session: Session, site: Site, now: datetime | None = None
) -> list[dict[str, Any]]:
    """Each counter: idle, or whom it is calling or serving, and who is parked there."""
    now = now or utcnow()
    day = service_day(now, site.timezone)
    at_counter = session.scalars(
        select(Ticket)
        .where(
            Ticket.site_id == site.id,
            Ticket.counter_id.is_not(None),
            Ticket.status.in_([s.value for s in AT_COUNTER]),
        )
        .order_by(Ticket.called_at)
    ).all()
    last_activity = dict(
        session.execute(
            select(Event.counter_id, func.max(Event.at))
            .where(
                Event.site_id == site.id,
                Event.counter_id.is_not(None),
                Event.at >= now - timedelta(hours=24),
            )
            .group_by(Event.counter_id)
        ).all()
    )
    user_ids = {v.user_id for t in at_counter for v in t.visits[-1:] if v.user_id}
    names = (
        dict(session.execute(select(User.id, User.username).where(User.id.in_(user_ids))).all())
        if user_ids
        else {}
    )
    by_counter: dict[str, list[Ticket]] = {}
    for ticket in at_counter:
        by_counter.setdefault(str(ticket.counter_id), []).append(ticket)
    result = []
    for counter in site.counters:
        here = by_counter.get(counter.id, [])
        active = next((t for t in here if t.status != Status.PARKED.value), None)
        visit = active.visits[-1] if active is not None and active.visits else None
        last = last_activity.get(counter.id)
        result.append(
            {
                "id": counter.id,
                "label": counter.label.model_dump(),
                "zone": counter.zone,
                "queues": [w.queue for w in counter.serves],
                "status": active.status if active is not None else "idle",
                "current": None
                if active is None
                else {
                    "id": active.id,
                    "number": active.number,
                    "status": active.status,
                    "queue": active.queue_id,
                    "language": active.language,
                    "called_at": active.called_at.isoformat() if active.called_at else None,
                    "since_seconds": _seconds(now, active.called_at) if active.called_at else 0,
                    "today": active.service_day == day,
                },
                "user": names.get(visit.user_id) if visit is not None and visit.user_id else None,
                "parked": [
                    {"id": t.id, "number": t.number, "queue": t.queue_id}
                    for t in here
                    if t.status == Status.PARKED.value
                ],
                "last_activity_at": last.isoformat() if last else None,
            }
        )
    return result


def site_overview(session: Session, site: Site, now: datetime | None = None) -> dict[str, Any]:
    """Everything the staff pages show besides one counter's own tickets."""
    now = now or utcnow()
    shares = target_shares(session, site, now)
    closed = closed_queues(session, site, now)
    queues = present.queues_overview(session, site, now)
    for queue in queues:
        queue.update(shares[queue["id"]], closed=queue["id"] in closed)
    return {
        "site": site.id,
        "now": now.isoformat(),
        "queues": queues,
        "counters": counters_state(session, site, now),
        "waiting": waiting_tickets(session, site, now),
    }
