"""Statistics over a date range, per queue, day, hour or weekday and hour.

Built from the summaries per queue, local day and hour (server/services/rollup.py), which
come from own visits and imported history alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from server.config import Site
from server.db import Database
from server.domain import aggregate, forecast
from server.domain.aggregate import HourKey, View
from server.domain.errors import InvalidInput
from server.services.rollup import summaries

MAX_DAYS = 366
# The last weeks of a range on which the forecast is checked (fitted on the weeks before).
HELD_OUT_WEEKS = 2
# Views that need no more than one summary per queue and day.
DAILY_VIEWS = {View.QUEUE, View.DAY}


def check_queue(site: Site, queue: str | None) -> None:
    if queue is not None and site.queue(queue) is None:
        raise InvalidInput(f"unknown queue {queue!r}")


def targets(site: Site) -> dict[str, float]:
    return {q.id: q.target.minutes for q in site.queues}


def views(
    db: Database,
    site: Site,
    first: date,
    last: date,
    today: date,
    wanted: tuple[View, ...],
    queue: str | None = None,
) -> tuple[dict[View, list[dict[str, Any]]], float | None]:
    """The rows of each wanted view, and the forecast's error on the range's last weeks."""
    aggregate.check_range(first, last, MAX_DAYS)
    check_queue(site, queue)
    by_day = set(wanted) <= DAILY_VIEWS
    found = summaries(db, site, first, last, today, queue, by_day=by_day)
    rows = {view: aggregate.rows(found.summaries, view, targets(site)) for view in wanted}
    return rows, forecast_error(found.arrivals, last)


def forecast_error(arrivals: Mapping[HourKey, float], last: date) -> float | None:
    """The forecast's percentage error on the last HELD_OUT_WEEKS weeks up to `last`."""
    return forecast.percentage_error(arrivals, HELD_OUT_WEEKS, last + timedelta(days=1))


def queue_statistics(
    db: Database,
    site: Site,
    first: date,
    last: date,
    today: date,
    view: View,
    queue: str | None = None,
) -> dict[str, Any]:
    """The statistics answer of the API: rows of one view over [first, last]."""
    rows, error = views(db, site, first, last, today, (view,), queue)
    return {
        "from": first.isoformat(),
        "to": last.isoformat(),
        "by": view.value,
        "rows": rows[view],
        "forecast_error_percent": error,
    }
