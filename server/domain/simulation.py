"""What-if: a discrete-event simulation (simpy) of one queue over one day.

Visitors arrive at random (Poisson) at the forecast rate of each hour, wait in one line
in arrival order (the call order of a queue without appointments or priorities) and are
served by the counters open in that hour for an exponentially distributed time with the
queue's mean service minutes. When fewer counters are open in the next hour, a counter
finishes the visitor it serves before it closes; after the last open hour its counters
serve everyone still in line. Several seeded runs are pooled.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Generator, Mapping
from dataclasses import dataclass
from typing import Any

import simpy

from server.domain.summary import bucket, percentile

# The gate blocks a counter slot with a higher priority than any visitor's request.
_GATE, _VISITOR = -1, 0


@dataclass(frozen=True)
class Outcome:
    visitors: int
    mean_wait_minutes: float | None
    p90_wait_minutes: int | None  # 90 % waited at most this many (whole) minutes
    within_target_percent: float | None
    # Per hour of arrival: (visitors, mean wait minutes)
    hours: dict[int, tuple[int, float]]


def _run(
    env: simpy.Environment,
    arrivals: Mapping[int, float],
    service_minutes: float,
    counters: Mapping[int, int],
    rng: random.Random,
    waits: list[tuple[int, float]],
    horizon_hours: int,
) -> None:
    most = max([1, *counters.values()])
    desk = simpy.PriorityResource(env, capacity=most)

    def gate() -> Generator[Any, Any, None]:
        closed: list[Any] = []
        open_hours = [h for h, n in counters.items() if n > 0]
        last_open = max(open_hours, default=0)
        for hour in range(horizon_hours):
            # After the last open hour, its counters serve whoever is still in line.
            wanted_closed = most - counters.get(min(hour, last_open), 0)
            while len(closed) > wanted_closed:
                _open(desk, closed.pop())
            while len(closed) < wanted_closed:
                request = desk.request(priority=_GATE)
                closed.append(request)
            yield env.timeout(60)
        # After the horizon, every counter serves until the line is empty.
        while closed:
            _open(desk, closed.pop())

    def visitor(hour: int) -> Generator[Any, Any, None]:
        arrived = env.now
        with desk.request(priority=_VISITOR) as request:
            yield request
            waits.append((hour, env.now - arrived))
            yield env.timeout(rng.expovariate(1 / service_minutes))

    def source() -> Generator[Any, Any, None]:
        for hour in range(horizon_hours):
            rate = arrivals.get(hour, 0.0)
            end = (hour + 1) * 60
            if rate > 0:
                while True:
                    gap = rng.expovariate(rate / 60)
                    if env.now + gap >= end:
                        break
                    yield env.timeout(gap)
                    env.process(visitor(hour))
            yield env.timeout(end - env.now)

    env.process(gate())
    env.process(source())


def _open(desk: simpy.PriorityResource, gate: Any) -> None:
    if gate.triggered:
        desk.release(gate)
    else:
        gate.cancel()


def simulate(
    arrivals: Mapping[int, float],
    service_minutes: float,
    counters: Mapping[int, int],
    target_minutes: float,
    *,
    runs: int = 20,
    seed: int = 1,
    horizon_hours: int = 24,
) -> Outcome:
    """Waits of one queue for `arrivals` and open `counters` per hour (0..horizon_hours-1).

    Visitors still in line after the last open hour are served by that hour's counters,
    so every arrival has a wait.
    """
    waits: list[tuple[int, float]] = []
    for run in range(runs):
        env = simpy.Environment()
        rng = random.Random(seed * 1_000_003 + run)
        _run(env, arrivals, service_minutes, counters, rng, waits, horizon_hours)
        env.run()
    values = [w for _, w in waits]
    hours: dict[int, list[float]] = {}
    for hour, wait in waits:
        hours.setdefault(hour, []).append(wait)
    return Outcome(
        visitors=round(len(values) / runs),
        mean_wait_minutes=round(sum(values) / len(values), 1) if values else None,
        p90_wait_minutes=percentile(Counter(bucket(w) for w in values), 0.9),
        within_target_percent=(
            round(100 * sum(1 for w in values if w <= target_minutes) / len(values), 1)
            if values
            else None
        ),
        hours={h: (round(len(v) / runs), round(sum(v) / len(v), 1)) for h, v in hours.items()},
    )
