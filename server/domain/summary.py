"""The figures of one queue in one local hour, in a form that adds up and can be stored.

Counts and sums add up exactly; waits, service times and estimate errors are kept as
histograms of whole minutes, rounded up (bucket k holds (k-1, k] minutes, 0 holds 0), so
percentiles read as "90 % waited at most k minutes" and a target of T whole minutes is
met by the buckets up to T. Summaries of closed days are stored (a daily rollup), so a
year of statistics adds up a few thousand summaries instead of reading every visit.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# Waits and service times above this many minutes share the last bucket.
MAX_BUCKET = 24 * 60


def bucket(minutes: float) -> int:
    return min(MAX_BUCKET, max(0, math.ceil(minutes - 1e-9)))


def percentile(histogram: Mapping[int, int], fraction: float) -> int | None:
    """Nearest rank: the smallest bucket with at least `fraction` of all at or below it."""
    total = sum(histogram.values())
    if not total:
        return None
    rank = max(1, math.ceil(fraction * total))
    seen = 0
    for minutes in sorted(histogram):
        seen += histogram[minutes]
        if seen >= rank:
            return minutes
    return None  # unreachable: the ranks add up to total


def _flat(histogram: dict[int, int]) -> list[int]:
    """[minutes, count, minutes, count, ...]: compact in JSON and quick to read back."""
    return [x for pair in histogram.items() for x in pair]


def _add_into(target: dict[int, int], source: Mapping[int, int]) -> None:
    get = target.get
    for minutes, n in source.items():
        target[minutes] = get(minutes, 0) + n


@dataclass(slots=True)
class Summary:
    arrivals: int = 0
    called: int = 0
    served: int = 0
    no_show: int = 0
    transferred: int = 0
    cancelled: int = 0
    wait_sum: float = 0.0
    service_sum: float = 0.0
    # histograms: whole minutes (rounded up) -> how many
    waits: dict[int, int] = field(default_factory=dict)
    services: dict[int, int] = field(default_factory=dict)
    errors: dict[int, int] = field(default_factory=dict)

    def add(
        self,
        outcome: str | None,
        wait: float | None,
        service: float | None,
        error: float | None,
    ) -> None:
        self.arrivals += 1
        if outcome == "no_show":
            self.no_show += 1
        elif outcome == "transferred":
            self.transferred += 1
        elif outcome == "cancelled":
            self.cancelled += 1
        if wait is not None:
            self.called += 1
            self.wait_sum += wait
            b = bucket(wait)
            self.waits[b] = self.waits.get(b, 0) + 1
        if service is not None:
            self.served += 1
            self.service_sum += service
            b = bucket(service)
            self.services[b] = self.services.get(b, 0) + 1
        if error is not None:
            b = bucket(error)
            self.errors[b] = self.errors.get(b, 0) + 1

    def merge(self, other: Summary) -> None:
        self.arrivals += other.arrivals
        self.called += other.called
        self.served += other.served
        self.no_show += other.no_show
        self.transferred += other.transferred
        self.cancelled += other.cancelled
        self.wait_sum += other.wait_sum
        self.service_sum += other.service_sum
        _add_into(self.waits, other.waits)
        _add_into(self.services, other.services)
        _add_into(self.errors, other.errors)

    def copy(self) -> Summary:
        twin = Summary()
        twin.merge(self)
        return twin

    def within(self, target_minutes: float) -> int:
        """How many were called within `target_minutes`."""
        return sum(n for minutes, n in self.waits.items() if minutes <= target_minutes)

    def to_json(self) -> dict[str, Any]:
        return {
            "a": self.arrivals,
            "c": self.called,
            "v": self.served,
            "n": self.no_show,
            "t": self.transferred,
            "x": self.cancelled,
            "ws": round(self.wait_sum, 3),
            "ss": round(self.service_sum, 3),
            "w": _flat(self.waits),
            "s": _flat(self.services),
            "e": _flat(self.errors),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Summary:
        def hist(flat: list[int]) -> dict[int, int]:
            return dict(zip(flat[::2], flat[1::2], strict=True))

        return cls(
            data["a"],
            data["c"],
            data["v"],
            data["n"],
            data["t"],
            data["x"],
            data["ws"],
            data["ss"],
            hist(data["w"]),
            hist(data["s"]),
            hist(data["e"]),
        )
