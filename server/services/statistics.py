"""Statistics over days: waits against the queue's target, service times, outcomes.

Read from the visits (one row per stop of a ticket at a queue), so a transferred
visitor counts once per queue they waited in.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.config import Site
from server.models import Ticket, Visit

MAX_DAYS = 93


def _percentile(values: list[float], fraction: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def queue_statistics(session: Session, site: Site, first: date, last: date) -> dict[str, Any]:
    """Per queue and day: visits, called, within target, waits and service times (minutes)."""
    if last < first:
        first, last = last, first
    last = min(last, first + timedelta(days=MAX_DAYS - 1))
    zone = site.timezone_info
    start = datetime.combine(first, time.min, zone)
    end = datetime.combine(last + timedelta(days=1), time.min, zone)
    rows = session.execute(
        select(Visit.queue_id, Visit.queued_at, Visit.called_at, Visit.finished_at, Visit.outcome)
        .join(Ticket, Ticket.id == Visit.ticket_id)
        .where(Ticket.site_id == site.id, Visit.queued_at >= start, Visit.queued_at < end)
    ).all()
    buckets: dict[tuple[str, str], dict[str, Any]] = {}
    for queue_id, queued_at, called_at, finished_at, outcome in rows:
        day = queued_at.astimezone(zone).date().isoformat()
        b = buckets.setdefault(
            (day, queue_id),
            {
                "waits": [],
                "services": [],
                "visits": 0,
                "no_show": 0,
                "cancelled": 0,
                "transferred": 0,
            },
        )
        b["visits"] += 1
        if outcome in ("no_show", "cancelled", "transferred"):
            b[outcome] += 1
        if called_at is not None:
            b["waits"].append((called_at - queued_at).total_seconds() / 60)
            if finished_at is not None and outcome == "done":
                b["services"].append((finished_at - called_at).total_seconds() / 60)
    days = []
    for (day, queue_id), b in sorted(buckets.items()):
        queue = site.queue(queue_id)
        target = queue.target.minutes if queue else None
        waits, services = b["waits"], b["services"]
        within = sum(1 for w in waits if target is not None and w <= target)
        days.append(
            {
                "day": day,
                "queue": queue_id,
                "visits": b["visits"],
                "called": len(waits),
                "no_show": b["no_show"],
                "cancelled": b["cancelled"],
                "transferred": b["transferred"],
                "mean_wait_minutes": round(sum(waits) / len(waits), 1) if waits else None,
                "p90_wait_minutes": _round(_percentile(waits, 0.9)),
                "mean_service_minutes": round(sum(services) / len(services), 1)
                if services
                else None,
                "within_target_percent": round(100 * within / len(waits), 1) if waits else None,
                "target": {"percent": queue.target.percent, "minutes": target} if queue else None,
            }
        )
    return {"from": first.isoformat(), "to": last.isoformat(), "days": days}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
