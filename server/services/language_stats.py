"""Language statistics: demand per hour by visitor language and a fairness audit.

Demand reads the tickets (the language the visitor chose, or the one reception marked
as needed); the audit reads the visits (waits per stop, by the ticket's language) and
the `called` events, which record whether the clerk's language decided the call.
"""

from __future__ import annotations

from collections import Counter
from collections import Counter as Tally
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.config import Site
from server.domain import summary
from server.domain.lifecycle import EventKind
from server.models import Event, Ticket, Visit
from server.services.statistics import MAX_DAYS

Period = tuple[date, date, datetime, datetime]


def period(site: Site, first: date, last: date) -> Period:
    """The days asked for (at most MAX_DAYS) and their local bounds as instants."""
    if last < first:
        first, last = last, first
    last = min(last, first + timedelta(days=MAX_DAYS - 1))
    zone = ZoneInfo(site.timezone)
    start = datetime.combine(first, time.min, zone)
    return first, last, start, datetime.combine(last + timedelta(days=1), time.min, zone)


def demand_per_hour(session: Session, site: Site, span: Period) -> list[dict[str, Any]]:
    """Arrivals per local day, hour, queue and language."""
    zone = ZoneInfo(site.timezone)
    rows = session.execute(
        select(Ticket.arrived_at, Ticket.queue_id, Ticket.language, Ticket.needs_language).where(
            Ticket.site_id == site.id, Ticket.arrived_at >= span[2], Ticket.arrived_at < span[3]
        )
    ).all()
    tally: Tally[tuple[str, int, str, str]] = Tally()
    for arrived_at, queue_id, language, needs in rows:
        local = arrived_at.astimezone(zone)
        tally[(local.date().isoformat(), local.hour, queue_id, needs or language)] += 1
    return [
        {"day": day, "hour": hour, "queue": queue, "language": language, "arrivals": count}
        for (day, hour, queue, language), count in sorted(tally.items())
    ]


def _minutes(values: list[float], fraction: float | None = None) -> float | None:
    if not values:
        return None
    if fraction is not None:
        # The statistics' own percentile: "so many % waited at most k whole minutes".
        histogram = Counter(summary.bucket(v) for v in values)
        return summary.percentile(histogram, fraction)
    value = sum(values) / len(values)
    return None if value is None else round(value, 1)


def fairness(session: Session, site: Site, span: Period) -> list[dict[str, Any]]:
    """Per queue and visitor language: calls and waits; per queue: calls language decided."""
    visits = session.execute(
        select(
            Visit.queue_id, Ticket.language, Ticket.needs_language, Visit.queued_at, Visit.called_at
        )
        .join(Ticket, Ticket.id == Visit.ticket_id)
        .where(Ticket.site_id == site.id, Visit.queued_at >= span[2], Visit.queued_at < span[3])
    ).all()
    waits: dict[tuple[str, str], list[float]] = {}
    stops: Tally[tuple[str, str]] = Tally()
    for queue_id, language, needs, queued_at, called_at in visits:
        stops[(queue_id, needs or language)] += 1
        bucket = waits.setdefault((queue_id, needs or language), [])
        if called_at is not None:
            bucket.append((called_at - queued_at).total_seconds() / 60)
    calls = session.execute(
        select(Event.queue_id, Event.data).where(
            Event.site_id == site.id,
            Event.kind == EventKind.CALLED.value,
            Event.at >= span[2],
            Event.at < span[3],
        )
    ).all()
    called, preferred = Tally[str](), Tally[str]()
    for queue_id, data in calls:
        called[queue_id] += 1
        preferred[queue_id] += bool(data and data.get("language_preference"))
    rows = []
    for (queue_id, language), values in sorted(waits.items()):
        rows.append(
            {
                "queue": queue_id,
                "language": language,
                "visits": stops[(queue_id, language)],
                "called": len(values),
                "mean_wait_minutes": _minutes(values),
                "p90_wait_minutes": _minutes(values, 0.9),
                "queue_calls": called[queue_id],
                "language_preference_calls": preferred[queue_id],
                "language_preference_share": round(preferred[queue_id] / called[queue_id], 3)
                if called[queue_id]
                else None,
            }
        )
    return rows


def language_statistics(session: Session, site: Site, first: date, last: date) -> dict[str, Any]:
    span = period(site, first, last)
    return {
        "from": span[0].isoformat(),
        "to": span[1].isoformat(),
        "demand": demand_per_hour(session, site, span),
        "fairness": fairness(session, site, span),
    }
