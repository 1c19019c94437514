"""What a waiting-room screen receives: calls and waiting totals per zone, nothing else.

Invariant 4: a public channel carries no more than the screen shows. A call is a
number, a counter and a time; waiting is a total per zone (the zone's prefixes are what
the screen shows), never per queue, and never a concern, a language or an authority.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.config import Display, Site
from server.domain.lifecycle import CALL_KINDS, EventKind
from server.domain.numbering import service_day
from server.models import Event, Ticket
from server.services import present
from server.services.clock import utcnow


def shows(display: Display, zone: str | None) -> bool:
    """Whether a display shows a zone (a display without zones shows them all)."""
    return not display.zones or zone in display.zones


def counter_zone(site: Site, counter_id: str | None) -> str | None:
    counter = site.counter(counter_id) if counter_id else None
    return counter.zone if counter else None


def call_event(
    site: Site, number: str, counter_id: str | None, at: datetime, *, recall: bool = False
) -> dict[str, Any]:
    """What a display receives for a call: number, counter, time. Nothing else."""
    return {
        "number": number,
        "counter": present.counter_label(site, counter_id, "de"),
        "called_at": at.isoformat(),
        "recall": recall,
    }


def displays_for_call(site: Site, counter_id: str | None) -> list[Display]:
    zone = counter_zone(site, counter_id)
    return [d for d in site.displays if shows(d, zone)]


def waiting_by_zone(
    site: Site, display: Display, waiting: dict[str, tuple[int, datetime | None]]
) -> dict[str, int]:
    """Waiting totals per zone the display shows."""
    totals: dict[str, int] = {}
    for queue in site.queues:
        if shows(display, queue.zone):
            totals[queue.zone] = totals.get(queue.zone, 0) + waiting[queue.id][0]
    return totals


def display_state(
    session: Session, site: Site, display: Display, now: datetime | None = None
) -> dict[str, Any]:
    """The full snapshot a display gets on connect: latest calls and waiting per zone."""
    now = now or utcnow()
    day = service_day(now, site.timezone)
    zone_counters = [c.id for c in site.counters if shows(display, c.zone)]
    rows = session.execute(
        select(Event.kind, Event.at, Event.counter_id, Ticket.number)
        .join(Ticket, Ticket.id == Event.ticket_id)
        .where(
            Event.site_id == site.id,
            Event.kind.in_([k.value for k in CALL_KINDS]),
            Ticket.service_day == day,
            Event.counter_id.in_(zone_counters),
        )
        .order_by(Event.id.desc())
        .limit(display.recent_calls * 3)
    ).all()
    calls: list[dict[str, Any]] = []
    seen: set[str] = set()
    for kind, at, counter_id, number in rows:
        if number in seen:
            continue
        seen.add(number)
        calls.append(
            call_event(site, number, counter_id, at, recall=kind == EventKind.RECALLED.value)
        )
        if len(calls) >= display.recent_calls:
            break
    waiting = present.waiting_by_queue(session, site, now)
    return {"calls": calls, "waiting": waiting_by_zone(site, display, waiting)}
