"""Statistics over a date range: own visits and imported history, per day, hour or weekday.

Read from the visits (one row per stop of a ticket at a queue), so a transferred visitor
counts once per queue they waited in, and from the history_visits table (imported from
another system, or the demo), which counts the same way.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.config import Site
from server.domain import aggregate, forecast
from server.domain.aggregate import Record, View
from server.domain.errors import InvalidInput
from server.models import HistoryVisit, Ticket, Visit

MAX_DAYS = 366
# The last weeks of a range on which the forecast is checked (fitted on the weeks before).
HELD_OUT_WEEKS = 2


def _bounds(site: Site, first: date, last: date) -> tuple[datetime, datetime]:
    zone = ZoneInfo(site.timezone)
    return (
        datetime.combine(first, time.min, zone),
        datetime.combine(last + timedelta(days=1), time.min, zone),
    )


def records(
    session: Session, site: Site, first: date, last: date, queue: str | None = None
) -> list[Record]:
    """Every stop at a queue of the site that began in [first, last] (local days)."""
    zone = ZoneInfo(site.timezone)
    start, end = _bounds(site, first, last)
    own = (
        select(
            Visit.queue_id,
            Visit.queued_at,
            Visit.called_at,
            Visit.finished_at,
            Visit.outcome,
            Ticket.arrived_at,
            Ticket.estimated_wait_minutes,
        )
        .join(Ticket, Ticket.id == Visit.ticket_id)
        .where(Visit.queued_at >= start, Visit.queued_at < end, Ticket.site_id == site.id)
    )
    past = select(
        HistoryVisit.queue_id,
        HistoryVisit.arrived_at,
        HistoryVisit.called_at,
        HistoryVisit.finished_at,
        HistoryVisit.outcome,
        HistoryVisit.arrived_at,
        HistoryVisit.estimated_wait_minutes,
    ).where(
        HistoryVisit.site_id == site.id,
        HistoryVisit.arrived_at >= start,
        HistoryVisit.arrived_at < end,
    )
    if queue is not None:
        own = own.where(Visit.queue_id == queue)
        past = past.where(HistoryVisit.queue_id == queue)
    result = []
    for statement in (own, past):
        for queue_id, queued, called, finished, outcome, arrived, estimate in session.execute(
            statement
        ):
            # The estimate told at the kiosk belongs to the first stop only.
            told = estimate if queued == arrived else None
            result.append(
                aggregate.record(
                    queue_id, queued.astimezone(zone), queued, called, finished, outcome, told
                )
            )
    return result


def hourly_counts(recs: list[Record]) -> dict[tuple[str, date, int], float]:
    counts: dict[tuple[str, date, int], float] = {}
    for r in recs:
        key = (r.queue, r.arrived.date(), r.arrived.hour)
        counts[key] = counts.get(key, 0) + 1
    return counts


def check_queue(site: Site, queue: str | None) -> None:
    if queue is not None and site.queue(queue) is None:
        raise InvalidInput(f"unknown queue {queue!r}")


def targets(site: Site) -> dict[str, float]:
    return {q.id: q.target.minutes for q in site.queues}


def views(
    session: Session,
    site: Site,
    first: date,
    last: date,
    wanted: tuple[View, ...],
    queue: str | None = None,
) -> tuple[dict[View, list[dict[str, Any]]], float | None]:
    """The rows of each wanted view, and the forecast's error on the range's last weeks."""
    aggregate.check_range(first, last, MAX_DAYS)
    check_queue(site, queue)
    recs = records(session, site, first, last, queue)
    rows = {view: aggregate.summarise(recs, view, targets(site)) for view in wanted}
    return rows, forecast_error(recs, last)


def forecast_error(recs: list[Record], last: date) -> float | None:
    """The forecast's percentage error on the last HELD_OUT_WEEKS weeks up to `last`."""
    return forecast.percentage_error(hourly_counts(recs), HELD_OUT_WEEKS, last + timedelta(days=1))


def queue_statistics(
    session: Session, site: Site, first: date, last: date, view: View, queue: str | None = None
) -> dict[str, Any]:
    """The statistics answer of the API: rows of one view over [first, last]."""
    rows, error = views(session, site, first, last, (view,), queue)
    return {
        "from": first.isoformat(),
        "to": last.isoformat(),
        "by": view.value,
        "rows": rows[view],
        "forecast_error_percent": error,
    }
