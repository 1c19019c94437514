"""Seeded demo history: weekday and hour patterns of a migration agency, no weekends.

Opening hours: Monday to Friday from 8, until 16 (Thursday 18, Wednesday and Friday 12).
Monday morning is the busiest time of the week. Visitors of each queue wait in one line
for as many counters as the site plans for it; waits, service times, no-shows and the
estimate told at arrival come out of that small queue run.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from server.domain.estimate import estimated_wait_minutes
from server.domain.history import PastVisit

# Closing hour (exclusive) per ISO weekday; weekends are closed.
CLOSING = {1: 16, 2: 16, 3: 12, 4: 18, 5: 12}
OPENING = 8
# Load of a queue's counters at an ordinary Tuesday hour: Monday morning overloads them.
LOAD = 0.4
WEEKDAY = {1: 1.3, 2: 1.0, 3: 0.8, 4: 1.05, 5: 0.9}
HOUR = {8: 1.3, 9: 1.45, 10: 1.2, 11: 1.0, 12: 0.6, 13: 0.85, 14: 1.0, 15: 0.8, 16: 0.9, 17: 0.6}
MONDAY_MORNING = 1.5  # on top, 8–11 on Mondays
NO_SHOW = 0.05
CANCELLED = 0.02
RECEPTION_HANDS_ON = 0.6  # share of reception visits transferred to another queue
LANGUAGES = ("de", "en", "ar", "ku", "ckb")
LANGUAGE_WEIGHTS = (0.2, 0.15, 0.35, 0.15, 0.15)


@dataclass(frozen=True)
class DemoQueue:
    kind: str
    service_minutes: float
    counters: int


@dataclass(frozen=True)
class DemoPattern:
    queues: Mapping[str, DemoQueue]
    closed: frozenset[date] = field(default_factory=frozenset)


def rate(queue: DemoQueue, day: date, hour: int) -> float:
    """Expected arrivals per hour of `queue` (0 when closed)."""
    weekday = day.isoweekday()
    if weekday not in CLOSING or not OPENING <= hour < CLOSING[weekday]:
        return 0.0
    base = max(1, queue.counters) * 60 / queue.service_minutes * LOAD
    value = base * WEEKDAY[weekday] * HOUR[hour]
    if weekday == 1 and hour < 11:
        value *= MONDAY_MORNING
    return value


def _arrivals(rng: random.Random, queue: DemoQueue, day_start: datetime) -> list[datetime]:
    times = []
    for hour in range(24):
        per_hour = rate(queue, day_start.date(), hour)
        if per_hour <= 0:
            continue
        at = rng.expovariate(per_hour / 60)
        while at < 60:
            times.append(day_start + timedelta(hours=hour, minutes=at))
            at += rng.expovariate(per_hour / 60)
    return times


def _day(
    rng: random.Random, queue_id: str, queue: DemoQueue, day_start: datetime
) -> Iterator[tuple[PastVisit, int]]:
    free = [day_start] * max(1, queue.counters)  # when each counter is next free
    heapq.heapify(free)
    called_times: list[datetime] = []
    for arrived in _arrivals(rng, queue, day_start):
        ahead = sum(1 for t in called_times if t > arrived)
        told = estimated_wait_minutes(ahead, queue.service_minutes, queue.counters or 1)
        language = rng.choices(LANGUAGES, LANGUAGE_WEIGHTS)[0]
        if rng.random() < CANCELLED:
            yield PastVisit(queue_id, arrived, None, None, "cancelled", language), told
            continue
        called = max(arrived, heapq.heappop(free))
        called_times.append(called)
        if rng.random() < NO_SHOW:
            heapq.heappush(free, called + timedelta(minutes=1))
            yield PastVisit(queue_id, arrived, called, None, "no_show", language), told
            continue
        service = max(1.0, rng.expovariate(1 / queue.service_minutes))
        finished = called + timedelta(minutes=service)
        heapq.heappush(free, finished)
        handed_on = queue.kind == "reception" and rng.random() < RECEPTION_HANDS_ON
        outcome = "transferred" if handed_on else "done"
        yield PastVisit(queue_id, arrived, called, finished, outcome, language), told


def generate(
    pattern: DemoPattern, start: datetime, end: datetime, seed: int
) -> Iterator[tuple[PastVisit, int]]:
    """Visits (with the wait told at arrival) of every open day in [start, end)."""
    rng = random.Random(seed)
    day_start = start
    while day_start < end:
        if day_start.date() not in pattern.closed:
            for queue_id in sorted(pattern.queues):
                yield from _day(rng, queue_id, pattern.queues[queue_id], day_start)
        day_start += timedelta(days=1)  # wall-clock arithmetic: the next local midnight
