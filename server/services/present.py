"""Plain-data views of tickets and queues for visitors and staff, built inside a session."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.config import Site
from server.domain import languages
from server.domain.lifecycle import AT_COUNTER, Status, allowed_actions, public_status
from server.models import Ticket
from server.services import line, lookup
from server.services.clock import utcnow


def status_url(site: Site, token: str) -> str:
    return f"{site.public_url.rstrip('/')}/t/{token}"


def counter_label(site: Site, counter_id: str | None, language: str) -> dict[str, str] | None:
    if counter_id is None:
        return None
    counter = site.counter(counter_id)
    label = counter.label.get(language) if counter else counter_id
    return {"id": counter_id, "label": label}


def public_ticket(
    session: Session,
    site: Site,
    ticket: Ticket,
    now: datetime | None = None,
    *,
    told_position: int | None = None,
) -> dict[str, Any]:
    """The ticket as the visitor and the public API see it: no personal data.

    `told_position`: the ticket was issued in this transaction and told this place in
    line (issuing.issue_told); it shows that and the wait stored with it at issue.
    """
    now = now or utcnow()
    waiting = ticket.status == Status.WAITING.value
    position = wait = None
    if waiting and told_position is not None:
        position, wait = told_position, ticket.estimated_wait_minutes
    elif waiting:
        position = line.position(session, ticket, now)
        wait = line.estimated_wait_minutes(session, site, ticket.queue_id, position - 1, now)
    at_counter = Status(ticket.status) in AT_COUNTER
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
        # The language to serve in (interpreter need first), named in German and in itself.
        needs_language=ticket.needs_language,
        language_names=languages.display_names(ticket.needs_language or ticket.language),
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


def waiting_by_queue(
    session: Session, site: Site, now: datetime
) -> dict[str, tuple[int, datetime | None]]:
    """Per queue: how many wait today and since when the longest has waited."""
    rows = session.execute(
        select(Ticket.queue_id, func.count(), func.min(Ticket.arrived_at))
        .where(lookup.waiting_today(site, now))
        .group_by(Ticket.queue_id)
    ).all()
    found = {queue_id: (int(count), oldest) for queue_id, count, oldest in rows}
    return {q.id: found.get(q.id, (0, None)) for q in site.queues}


def queues_overview(
    session: Session,
    site: Site,
    now: datetime | None = None,
    waiting: dict[str, tuple[int, datetime | None]] | None = None,
) -> list[dict[str, Any]]:
    """Staff's view of every queue: waiting, the longest wait, the target."""
    now = now or utcnow()
    waiting = waiting if waiting is not None else waiting_by_queue(session, site, now)
    return [
        {
            "id": queue.id,
            "kind": queue.kind,
            "name": queue.name,
            "waiting": waiting[queue.id][0],
            "oldest_wait_seconds": _seconds_since(waiting[queue.id][1], now),
            "target": {"percent": queue.target.percent, "minutes": queue.target.minutes},
        }
        for queue in site.queues
    ]


def _seconds_since(then: datetime | None, now: datetime) -> int:
    return int((now - then).total_seconds()) if then else 0
