"""Summaries per queue, local day and hour: stored for closed days, computed for recent ones.

A day is stored (the daily rollup) once it is ROLLUP_AFTER_DAYS old, the first time a
statistic asks for it; until then it is summed up from the visits at every request, so
late changes of the last days still show. Importing history for a day drops its stored
summaries (see `forget`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from server.config import Site
from server.db import Database
from server.domain.aggregate import HourKey, hour_summaries
from server.domain.summary import Summary
from server.models import StatisticsDay
from server.services.statistics_records import records

ROLLUP_AFTER_DAYS = 2
# The hour of a summary of a whole day.
DAY = -1
# The layout of a stored day; a day stored in another layout is summed up again.
FORMAT = 3


def _days(first: date, last: date) -> Iterator[date]:
    for offset in range((last - first).days + 1):
        yield first + timedelta(days=offset)


def _unpack(
    result: dict[HourKey, Summary],
    counts: dict[HourKey, int],
    day: date,
    data: dict[str, Any],
    queue: str | None,
    by_day: bool,
) -> None:
    for queue_id, stored in data["queues"].items():
        if queue is not None and queue_id != queue:
            continue
        for hour, summary in stored["hours"].items():
            counts[(queue_id, day, int(hour))] = summary["a"]
            if not by_day:
                result[(queue_id, day, int(hour))] = Summary.from_json(summary)
        if by_day:
            result[(queue_id, day, DAY)] = Summary.from_json(stored["day"])


def _collapse(hours: dict[HourKey, Summary]) -> dict[HourKey, Summary]:
    days: dict[HourKey, Summary] = {}
    for (queue_id, day, _), summary in hours.items():
        key = (queue_id, day, DAY)
        if key in days:
            days[key].merge(summary)
        else:
            days[key] = summary.copy()
    return days


def _build(db: Database, site: Site, missing: list[date]) -> dict[date, dict[str, Any]]:
    """Sum up and store the missing days (all queues); the last writer's row stays."""
    with db.reading() as session:
        recs = records(session, site, missing[0], missing[-1])
    packed: dict[date, dict[str, Any]] = {day: {"format": FORMAT, "queues": {}} for day in missing}
    hours = hour_summaries(recs)
    for (queue_id, day, hour), summary in hours.items():
        if day in packed:
            stored = packed[day]["queues"].setdefault(queue_id, {"hours": {}})
            stored["hours"][str(hour)] = summary.to_json()
    for (queue_id, day, _), summary in _collapse(hours).items():
        if day in packed:
            packed[day]["queues"][queue_id]["day"] = summary.to_json()
    values = [{"site_id": site.id, "day": day, "data": data} for day, data in packed.items()]
    with db.writing() as session:
        dialect = sqlite if db.is_sqlite else postgresql
        statement = dialect.insert(StatisticsDay)
        statement = statement.on_conflict_do_update(
            index_elements=["site_id", "day"], set_={"data": statement.excluded.data}
        )
        session.execute(statement, values)
    return packed


@dataclass
class Summaries:
    """Summaries per (queue, day, hour), or per (queue, day, DAY) when asked `by_day`,
    and the arrivals per (queue, day, hour) in any case (for the forecast)."""

    summaries: dict[HourKey, Summary]
    arrivals: dict[HourKey, int]


def summaries(
    db: Database,
    site: Site,
    first: date,
    last: date,
    today: date,
    queue: str | None = None,
    *,
    by_day: bool = False,
) -> Summaries:
    """The summaries of the site in [first, last] (local days).

    `by_day`: one summary per queue and day (hour DAY), enough for the views by queue and
    by day and quicker to add up.
    """
    result: dict[HourKey, Summary] = {}
    counts: dict[HourKey, int] = {}
    stored_last = min(last, today - timedelta(days=ROLLUP_AFTER_DAYS))
    if first <= stored_last:
        with db.reading() as session:
            stored = session.execute(
                select(StatisticsDay.day, StatisticsDay.data).where(
                    StatisticsDay.site_id == site.id,
                    StatisticsDay.day >= first,
                    StatisticsDay.day <= stored_last,
                )
            ).all()
        current = [(day, data) for day, data in stored if data.get("format") == FORMAT]
        have = {day for day, _ in current}
        missing = [day for day in _days(first, stored_last) if day not in have]
        built = _build(db, site, missing) if missing else {}
        for day, data in [*current, *built.items()]:
            _unpack(result, counts, day, data, queue, by_day)
    live_first = max(first, stored_last + timedelta(days=1))
    if live_first <= last:
        with db.reading() as session:
            hours = hour_summaries(records(session, site, live_first, last, queue))
        counts.update({key: s.arrivals for key, s in hours.items()})
        result.update(_collapse(hours) if by_day else hours)
    return Summaries(result, counts)


def forget(session: Session, site: Site, first: date, last: date) -> None:
    """Drop the stored summaries of [first, last]: their visits changed (an import)."""
    session.execute(
        delete(StatisticsDay).where(
            StatisticsDay.site_id == site.id,
            StatisticsDay.day >= first,
            StatisticsDay.day <= last,
        )
    )
