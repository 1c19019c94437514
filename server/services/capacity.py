"""Arrival forecast, staffing advice and what-if runs from the statistics' summaries."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from server.config import Site
from server.db import Database
from server.domain import capacity, erlang, forecast, simulation
from server.domain.aggregate import HourKey
from server.domain.errors import InvalidInput
from server.domain.summary import Summary
from server.services.rollup import summaries
from server.services.statistics import check_queue

# History the forecast learns from; at DECAY 0.8 a week 12 weeks back weighs 7 %.
HISTORY_WEEKS = 12
MAX_FORECAST_DAYS = 28


def planned(site: Site) -> dict[str, float]:
    """Counters per queue from the configured counters' work profiles.

    Presence (open/break/closed) narrows the counters passed here once it exists.
    """
    return capacity.counters_planned(
        {item.queue: item.weight for item in counter.serves} for counter in site.counters
    )


def _service_minutes(site: Site, hours: dict[HourKey, Summary]) -> dict[str, float]:
    """Mean service time per queue over the history; the configured default without one."""
    totals: dict[str, Summary] = {}
    for (queue_id, _, _), summary in hours.items():
        totals.setdefault(queue_id, Summary()).merge(summary)
    result = {}
    for q in site.queues:
        total = totals.get(q.id)
        served = total.served if total else 0
        result[q.id] = (
            round(total.service_sum / served, 1) if total and served else q.default_service_minutes
        )
    return result


def forecast_rows(
    db: Database, site: Site, first: date, days: int, today: date, queue: str | None = None
) -> list[dict[str, Any]]:
    """Per queue, day and open hour: expected arrivals, service time, counters needed/planned."""
    if not 1 <= days <= MAX_FORECAST_DAYS:
        raise InvalidInput(f"days must be between 1 and {MAX_FORECAST_DAYS}")
    check_queue(site, queue)
    history = first - timedelta(weeks=HISTORY_WEEKS), first - timedelta(days=1)
    found = summaries(db, site, *history, today=today, queue=queue, by_day=True)
    profile = forecast.fit(found.arrivals, first)
    service = _service_minutes(site, found.summaries)
    counters = planned(site)
    rows = []
    for (queue_id, day, hour), arrivals in sorted(
        forecast.forecast(profile, first, days, site.closed_days).items()
    ):
        config = site.queue(queue_id)
        if arrivals <= 0 or config is None:
            continue
        rows.append(
            {
                "queue": queue_id,
                "day": day.isoformat(),
                "hour": hour,
                "arrivals": round(arrivals, 1),
                "service_minutes": service[queue_id],
                "target": {"percent": config.target.percent, "minutes": config.target.minutes},
                "counters_needed": erlang.counters_needed(
                    arrivals, service[queue_id], config.target.percent, config.target.minutes
                ),
                "counters_planned": counters.get(queue_id, 0.0),
            }
        )
    return rows


def shortfalls(rows: list[dict[str, Any]]) -> list[capacity.Shortfall]:
    return capacity.shortfalls(
        [
            (
                r["queue"],
                date.fromisoformat(r["day"]),
                r["hour"],
                r["counters_needed"],
                r["counters_planned"],
            )
            for r in rows
        ]
    )


def what_if(
    rows: list[dict[str, Any]], site: Site, queue: str, day: date, counters: dict[int, int]
) -> simulation.Outcome:
    """Simulated waits of `queue` on `day` for its forecast and `counters` open per hour."""
    config = site.queue(queue)
    if config is None:
        raise InvalidInput(f"unknown queue {queue!r}")
    mine = [r for r in rows if r["queue"] == queue and r["day"] == day.isoformat()]
    arrivals = {r["hour"]: r["arrivals"] for r in mine}
    service = mine[0]["service_minutes"] if mine else config.default_service_minutes
    return simulation.simulate(arrivals, service, counters, config.target.minutes)
