"""Statistics rows from visit records: counts, waits, service times, estimate accuracy.

One record is one stop of a visitor at a queue (own visits and imported history alike),
with its local arrival time already worked out. Rows are grouped per queue and day, per
queue, day and local hour, or per queue, weekday and hour over the whole range.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from server.domain.errors import InvalidInput
from server.domain.summary import Summary, percentile

OUTCOMES = ("done", "no_show", "cancelled", "transferred")


class View(StrEnum):
    QUEUE = "queue"  # the whole range
    DAY = "day"
    HOUR = "hour"
    WEEKDAY_HOUR = "weekday_hour"


@dataclass(frozen=True, slots=True)
class Record:
    queue: str
    arrived: datetime  # local time of the site
    wait_minutes: float | None  # arrival (or transfer) to call; None when never called
    service_minutes: float | None  # call to finish of a finished visit
    outcome: str | None
    estimate_error_minutes: float | None  # |printed estimate - actual wait|


LABELS = {
    View.QUEUE: ("queue",),
    View.DAY: ("queue", "day"),
    View.HOUR: ("queue", "day", "hour"),
    View.WEEKDAY_HOUR: ("queue", "weekday", "hour"),
}
METRICS = (
    "arrivals",
    "called",
    "no_show",
    "transferred",
    "cancelled",
    "mean_wait_minutes",
    "p90_wait_minutes",
    "within_target_percent",
    "mean_service_minutes",
    "p90_service_minutes",
    "estimate_error_minutes",
)


def header(view: View) -> tuple[str, ...]:
    """The keys of a row of `view`, in order."""
    return LABELS[view] + METRICS


def _mean(total: float, count: int) -> float | None:
    return round(total / count, 1) if count else None


# (queue, local day, local hour): the unit every view is built from.
HourKey = tuple[str, date, int]


def _key(view: View, queue: str, day: date, hour: int) -> tuple[Any, ...]:
    if view is View.QUEUE:
        return (queue,)
    if view is View.DAY:
        return (queue, day)
    if view is View.HOUR:
        return (queue, day, hour)
    return (queue, day.isoweekday(), hour)


ALL_QUEUES = "*"


def _labels(view: View, key: tuple[Any, ...]) -> dict[str, Any]:
    if view is View.QUEUE:
        return {"queue": key[0]}
    if view is View.DAY:
        return {"queue": key[0], "day": key[1].isoformat()}
    if view is View.HOUR:
        return {"queue": key[0], "day": key[1].isoformat(), "hour": key[2]}
    return {"queue": key[0], "weekday": key[1], "hour": key[2]}


def hour_summaries(records: Iterable[Record]) -> dict[HourKey, Summary]:
    """The records summed up per queue, local day and hour."""
    summaries: dict[HourKey, Summary] = {}
    for r in records:
        key = (r.queue, r.arrived.date(), r.arrived.hour)
        summary = summaries.get(key)
        if summary is None:
            summary = summaries[key] = Summary()
        summary.add(r.outcome, r.wait_minutes, r.service_minutes, r.estimate_error_minutes)
    return summaries


def _merged(summaries: list[Summary]) -> Summary:
    if len(summaries) == 1:
        return summaries[0]
    total = Summary()
    for summary in summaries:
        total.merge(summary)
    return total


def rows(
    summaries: Mapping[HourKey, Summary],
    view: View,
    targets: Mapping[str, float],
    *,
    merge: bool = False,
) -> list[dict[str, Any]]:
    """Statistics rows of `view`, sorted by their labels; `targets`: each queue's target wait.

    `merge`: all queues together (queue "*"), each visit measured against its own target.
    """
    # Per group, one summary per queue: each queue is measured against its own target.
    # Summaries are only read here: a group of one is used as it is, larger ones are merged
    # into a new summary.
    parts: dict[tuple[Any, ...], dict[str, list[Summary]]] = {}
    for (queue, day, hour), summary in summaries.items():
        key = _key(view, queue, day, hour)
        if merge:
            key = (ALL_QUEUES, *key[1:])
        parts.setdefault(key, {}).setdefault(queue, []).append(summary)
    result = []
    for key in sorted(parts):
        per_queue = {queue: _merged(found) for queue, found in parts[key].items()}
        within = judged = 0
        for queue, part in per_queue.items():
            target = targets.get(queue)
            if target is not None:
                within += part.within(target)
                judged += part.called
        s = _merged(list(per_queue.values()))
        called, served = s.called, s.served
        result.append(
            {
                **_labels(view, key),
                "arrivals": s.arrivals,
                "called": called,
                "no_show": s.no_show,
                "transferred": s.transferred,
                "cancelled": s.cancelled,
                "mean_wait_minutes": _mean(s.wait_sum, called),
                "p90_wait_minutes": percentile(s.waits, 0.9),
                "within_target_percent": round(100 * within / judged, 1) if judged else None,
                "mean_service_minutes": _mean(s.service_sum, served),
                "p90_service_minutes": percentile(s.services, 0.9),
                "estimate_error_minutes": percentile(s.errors, 0.5),
            }
        )
    return result


def summarise(
    records: Iterable[Record], view: View, targets: Mapping[str, float], *, merge: bool = False
) -> list[dict[str, Any]]:
    """Statistics rows straight from records (see `rows`)."""
    return rows(hour_summaries(records), view, targets, merge=merge)


def record(
    queue: str,
    arrived_local: datetime,
    queued_at: datetime,
    called_at: datetime | None,
    finished_at: datetime | None,
    outcome: str | None,
    estimated_wait_minutes: int | None,
) -> Record:
    """A record from the stored times of one stop (aware datetimes)."""
    wait = service = error = None
    if called_at is not None:
        wait = (called_at - queued_at).total_seconds() / 60
        if finished_at is not None and outcome == "done":
            service = (finished_at - called_at).total_seconds() / 60
        if estimated_wait_minutes is not None:
            error = abs(estimated_wait_minutes - wait)
    return Record(queue, arrived_local, wait, service, outcome, error)


def check_range(first: date, last: date, max_days: int) -> None:
    """A statistics range: in order and at most `max_days` days long."""
    if last < first:
        raise InvalidInput(f"to ({last}) is before from ({first})")
    if (last - first).days + 1 > max_days:
        raise InvalidInput(f"the range is longer than {max_days} days")
