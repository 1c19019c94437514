"""Staffing advice: counters planned per queue, needed by Erlang C, and the shortfalls.

A counter serving several queues counts for each with its weight for that queue divided
by the sum of its weights (the same share as in the wait estimate), so a counter that
serves two queues 3:1 plans 0.75 of a counter for the first and 0.25 for the second.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

# One counter's work profile: queue id -> weight.
WorkProfile = Mapping[str, float]


def counters_planned(profiles: Iterable[WorkProfile]) -> dict[str, float]:
    """Counters per queue from the work profiles of the counters that are staffed.

    The caller passes the counters that count (today: all configured ones; with presence,
    the open ones of that hour).
    """
    planned: dict[str, float] = {}
    for profile in profiles:
        total = sum(profile.values())
        for queue, weight in profile.items():
            planned[queue] = planned.get(queue, 0.0) + weight / total
    return {queue: round(n, 2) for queue, n in planned.items()}


@dataclass(frozen=True)
class Shortfall:
    """Consecutive hours of one queue and day with more counters needed than planned."""

    queue: str
    day: date
    start_hour: int
    end_hour: int  # exclusive: 14–16 covers the hours 14 and 15
    needed: int  # the most counters needed in one hour of the span
    planned: float


def shortfalls(hours: Sequence[tuple[str, date, int, int, float]]) -> list[Shortfall]:
    """Spans of (queue, day, hour, needed, planned) where more are needed than planned.

    Neighbouring short hours of one queue and day join a span that reports the most
    counters needed in it ("Thursday 14–16: 3 counters needed, 2 planned").
    """
    spans: list[Shortfall] = []
    for queue, day, hour, needed, planned in sorted(hours):
        if needed <= planned + 1e-9:
            continue
        last = spans[-1] if spans else None
        if last is not None and (last.queue, last.day, last.end_hour, last.planned) == (
            queue,
            day,
            hour,
            planned,
        ):
            spans[-1] = Shortfall(
                queue, day, last.start_hour, hour + 1, max(needed, last.needed), planned
            )
        else:
            spans.append(Shortfall(queue, day, hour, hour + 1, needed, planned))
    return spans
