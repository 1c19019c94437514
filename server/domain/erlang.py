"""Erlang C: how many counters a queue needs to meet its service-level target.

The queue is taken as M/M/N: visitors arrive at random (Poisson) at `arrivals_per_hour`,
each takes on average `service_minutes` (exponential), `counters` serve in parallel
and visitors wait in one line. The offered load is A = arrivals × service time, in
Erlangs (busy counters on average); with N <= A the line grows without bound.
"""

from __future__ import annotations

import math

# More counters than this for one queue in one hour is a configuration mistake, not advice.
MAX_COUNTERS = 500


def offered_load(arrivals_per_hour: float, service_minutes: float) -> float:
    """Busy counters on average (Erlangs)."""
    return arrivals_per_hour * service_minutes / 60.0


def probability_of_wait(load: float, counters: int) -> float:
    """Erlang C: the chance that an arriving visitor has to wait at all.

    Computed through the Erlang B recursion, which stays stable for hundreds of counters.
    """
    if load <= 0:
        return 0.0
    if counters <= load:
        return 1.0
    blocking = 1.0
    for k in range(1, counters + 1):
        blocking = load * blocking / (k + load * blocking)
    return counters * blocking / (counters - load * (1 - blocking))


def share_within(
    arrivals_per_hour: float, service_minutes: float, counters: int, target_minutes: float
) -> float:
    """Expected share (0..1) of visitors called within `target_minutes` of arriving."""
    load = offered_load(arrivals_per_hour, service_minutes)
    if load <= 0:
        return 1.0
    if counters <= load:
        return 0.0
    wait = probability_of_wait(load, counters)
    return 1.0 - wait * math.exp(-(counters - load) * target_minutes / service_minutes)


def mean_wait_minutes(arrivals_per_hour: float, service_minutes: float, counters: int) -> float:
    """Expected wait of all visitors (those who need not wait count with 0)."""
    load = offered_load(arrivals_per_hour, service_minutes)
    if load <= 0:
        return 0.0
    if counters <= load:
        return math.inf
    return probability_of_wait(load, counters) * service_minutes / (counters - load)


def counters_needed(
    arrivals_per_hour: float, service_minutes: float, target_percent: float, target_minutes: float
) -> int:
    """The least number of counters with which `target_percent` % wait at most `target_minutes`.

    0 when nobody comes.
    """
    load = offered_load(arrivals_per_hour, service_minutes)
    if load <= 0:
        return 0
    goal = target_percent / 100.0
    counters = max(1, math.floor(load) + 1)
    while counters < MAX_COUNTERS:
        if share_within(arrivals_per_hour, service_minutes, counters, target_minutes) >= goal:
            return counters
        counters += 1
    return MAX_COUNTERS
