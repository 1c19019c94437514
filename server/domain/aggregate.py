"""Statistics rows from visit records: counts, waits, service times, estimate accuracy.

One record is one stop of a visitor at a queue (own visits and imported history alike),
with its local arrival time already worked out. Rows are grouped per queue and day, per
queue, day and local hour, or per queue, weekday and hour over the whole range.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from server.domain.errors import InvalidInput

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


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """Nearest-rank percentile: the smallest value with at least `fraction` of all at or below."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _mean(values: Sequence[float]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


def _key(view: View) -> Callable[[Record], tuple[Any, ...]]:
    if view is View.QUEUE:
        return lambda r: (r.queue,)
    if view is View.DAY:
        return lambda r: (r.queue, r.arrived.date())
    if view is View.HOUR:
        return lambda r: (r.queue, r.arrived.date(), r.arrived.hour)
    return lambda r: (r.queue, r.arrived.isoweekday(), r.arrived.hour)


def _labels(view: View, key: tuple[Any, ...]) -> dict[str, Any]:
    if view is View.QUEUE:
        return {"queue": key[0]}
    if view is View.DAY:
        return {"queue": key[0], "day": key[1].isoformat()}
    if view is View.HOUR:
        return {"queue": key[0], "day": key[1].isoformat(), "hour": key[2]}
    return {"queue": key[0], "weekday": key[1], "hour": key[2]}


ALL_QUEUES = "*"


def summarise(
    records: Iterable[Record], view: View, targets: dict[str, float], *, merge: bool = False
) -> list[dict[str, Any]]:
    """Statistics rows, sorted by their labels; `targets` is each queue's target wait (min).

    `merge`: all queues together (queue "*"), each visit measured against its own target.
    """
    groups: dict[tuple[Any, ...], list[Record]] = {}
    key = _key(view)
    for record in records:
        group_key = key(record)
        if merge:
            group_key = (ALL_QUEUES, *group_key[1:])
        groups.setdefault(group_key, []).append(record)
    rows = []
    for group_key in sorted(groups):
        group = groups[group_key]
        measured = [
            (r.wait_minutes, targets.get(r.queue)) for r in group if r.wait_minutes is not None
        ]
        waits = [w for w, _ in measured]
        services = [r.service_minutes for r in group if r.service_minutes is not None]
        errors = [r.estimate_error_minutes for r in group if r.estimate_error_minutes is not None]
        outcomes = [r.outcome for r in group]
        judged = [w <= t for w, t in measured if t is not None]
        rows.append(
            {
                **_labels(view, group_key),
                "arrivals": len(group),
                "called": len(waits),
                "no_show": outcomes.count("no_show"),
                "transferred": outcomes.count("transferred"),
                "cancelled": outcomes.count("cancelled"),
                "mean_wait_minutes": _mean(waits),
                "p90_wait_minutes": _round(percentile(waits, 0.9)),
                "within_target_percent": (
                    round(100 * sum(judged) / len(judged), 1) if judged else None
                ),
                "mean_service_minutes": _mean(services),
                "p90_service_minutes": _round(percentile(services, 0.9)),
                "estimate_error_minutes": _round(statistics.median(errors)) if errors else None,
            }
        )
    return rows


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
