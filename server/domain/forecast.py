"""Arrival forecast per queue and local hour: a weekday × hour profile of past weeks.

For a coming day, the expected arrivals of a queue in an hour are the weighted mean of
that queue's arrivals in the same hour on the same weekday over the history, a week
`k` weeks back weighing `DECAY ** k`: recent weeks count more, a single odd week is
damped, and a trend shows within a few weeks (simple exponential smoothing per
weekday × hour). Only open days count as history: a day without any arrival at the site
(a holiday, a closure) says nothing about demand. A day that is closed (configured, or
a weekday the site never opened on in the history) gets zero.

Why not a library such as statsforecast: the pattern is a fixed weekly profile with
little data per slot (8–52 points), which this weighted mean captures; a model library
would add heavy dependencies and less explainable numbers for the head of the agency.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

DECAY = 0.8
HOURS = range(24)
# Hours with fewer true arrivals than this are left out of the percentage error.
MIN_ARRIVALS_FOR_ERROR = 5

# (queue, day, hour) -> arrivals
Counts = Mapping[tuple[str, date, int], float]


@dataclass(frozen=True)
class Profile:
    """Expected arrivals per (queue, ISO weekday, hour), and the weekdays ever open."""

    rates: dict[tuple[str, int, int], float]
    open_weekdays: frozenset[int]
    queues: frozenset[str]

    def arrivals(self, queue: str, day: date, hour: int, closed: Iterable[date] = ()) -> float:
        if day in set(closed) or day.isoweekday() not in self.open_weekdays:
            return 0.0
        return self.rates.get((queue, day.isoweekday(), hour), 0.0)


def open_days(counts: Counts) -> set[date]:
    """The days with at least one arrival at the site."""
    return {day for (_, day, _), n in counts.items() if n > 0}


def fit(counts: Counts, until: date, decay: float = DECAY) -> Profile:
    """The profile from all open days before `until` (the first forecast day)."""
    days = sorted(d for d in open_days(counts) if d < until)
    queues = frozenset(q for q, d, _ in counts if d < until)
    weights: dict[int, float] = {}
    weight_of_day: dict[date, float] = {}
    for day in days:
        weeks_back = (until - day).days // 7
        weight_of_day[day] = decay**weeks_back
        weights[day.isoweekday()] = weights.get(day.isoweekday(), 0.0) + weight_of_day[day]
    sums: dict[tuple[str, int, int], float] = {}
    for (queue, day, hour), n in counts.items():
        if day in weight_of_day:
            key = (queue, day.isoweekday(), hour)
            sums[key] = sums.get(key, 0.0) + weight_of_day[day] * n
    rates = {key: total / weights[key[1]] for key, total in sums.items()}
    return Profile(rates, frozenset(weights), queues)


def forecast(
    profile: Profile, first: date, days: int, closed: Iterable[date] = ()
) -> dict[tuple[str, date, int], float]:
    """Expected arrivals for every queue of the profile, day and hour from `first` on."""
    closed = set(closed)
    result = {}
    for offset in range(days):
        day = first + timedelta(days=offset)
        for queue in sorted(profile.queues):
            for hour in HOURS:
                result[(queue, day, hour)] = profile.arrivals(queue, day, hour, closed)
    return result


def percentage_error(counts: Counts, held_out_weeks: int, until: date) -> float | None:
    """Mean absolute percentage error on the last `held_out_weeks` weeks before `until`.

    The profile is fitted on the weeks before the held-out ones, each held-out open day is
    forecast, and the error is averaged over the hours with at least
    MIN_ARRIVALS_FOR_ERROR true arrivals. None when there is no such hour.
    """
    start = until - timedelta(weeks=held_out_weeks)
    profile = fit(counts, start)
    if not profile.open_weekdays:
        return None
    errors = []
    for day in open_days(counts):
        if not start <= day < until:
            continue
        for queue in profile.queues:
            for hour in HOURS:
                actual = counts.get((queue, day, hour), 0.0)
                if actual >= MIN_ARRIVALS_FOR_ERROR:
                    predicted = profile.arrivals(queue, day, hour)
                    errors.append(abs(predicted - actual) / actual)
    return round(100 * sum(errors) / len(errors), 1) if errors else None
