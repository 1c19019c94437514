"""Summaries per queue, local day and hour: stored for closed days, computed for recent ones.

A day is stored (the daily rollup) once it is ROLLUP_AFTER_DAYS old, the first time a
statistic asks for it; until then it is summed up from the visits at every request, so
late changes of the last days still show. Importing history for a day drops its stored
summaries (see `forget`).
"""

from __future__ import annotations

from collections.abc import Iterator
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
# The layout of a stored day; a day stored in another layout is summed up again.
FORMAT = 2


def _days(first: date, last: date) -> Iterator[date]:
    for offset in range((last - first).days + 1):
        yield first + timedelta(days=offset)


def _unpack(
    result: dict[HourKey, Summary], day: date, data: dict[str, Any], queue: str | None
) -> None:
    for queue_id, hours in data["queues"].items():
        if queue is None or queue_id == queue:
            for hour, summary in hours.items():
                result[(queue_id, day, int(hour))] = Summary.from_json(summary)


def _build(db: Database, site: Site, missing: list[date]) -> dict[date, dict[str, Any]]:
    """Sum up and store the missing days (all queues); the last writer's row stays."""
    with db.reading() as session:
        recs = records(session, site, missing[0], missing[-1])
    packed: dict[date, dict[str, Any]] = {day: {"format": FORMAT, "queues": {}} for day in missing}
    for (queue_id, day, hour), summary in hour_summaries(recs).items():
        if day in packed:
            packed[day]["queues"].setdefault(queue_id, {})[str(hour)] = summary.to_json()
    values = [{"site_id": site.id, "day": day, "data": data} for day, data in packed.items()]
    with db.writing() as session:
        dialect = sqlite if db.is_sqlite else postgresql
        statement = dialect.insert(StatisticsDay)
        statement = statement.on_conflict_do_update(
            index_elements=["site_id", "day"], set_={"data": statement.excluded.data}
        )
        session.execute(statement, values)
    return packed


def summaries(
    db: Database, site: Site, first: date, last: date, today: date, queue: str | None = None
) -> dict[HourKey, Summary]:
    """Every (queue, day, hour) summary of the site in [first, last] (local days)."""
    result: dict[HourKey, Summary] = {}
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
            _unpack(result, day, data, queue)
    live_first = max(first, stored_last + timedelta(days=1))
    if live_first <= last:
        with db.reading() as session:
            result.update(hour_summaries(records(session, site, live_first, last, queue)))
    return result


def forget(session: Session, site: Site, first: date, last: date) -> None:
    """Drop the stored summaries of [first, last]: their visits changed (an import)."""
    session.execute(
        delete(StatisticsDay).where(
            StatisticsDay.site_id == site.id,
            StatisticsDay.day >= first,
            StatisticsDay.day <= last,
        )
    )
