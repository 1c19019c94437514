"""The statistics page of the head of the agency: one read of the records, every figure."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from server.config import Site
from server.db import Database
from server.domain import aggregate
from server.domain.aggregate import View
from server.domain.errors import InvalidInput
from server.services import capacity
from server.services.rollup import summaries
from server.services.statistics import MAX_DAYS, check_queue, forecast_error, targets

FORECAST_DAYS = 7
HEAT_LEVELS = 5
MAX_WHAT_IF_COUNTERS = 50


@dataclass(frozen=True)
class WhatIf:
    """A what-if question: this queue, this day, these counters open per local hour."""

    queue: str
    day: date
    counters: dict[int, int] = field(default_factory=dict)

    def check(self, site: Site) -> None:
        check_queue(site, self.queue)
        for hour, n in self.counters.items():
            if not 0 <= hour <= 23 or not 0 <= n <= MAX_WHAT_IF_COUNTERS:
                raise InvalidInput(f"counters per hour must be 0 to {MAX_WHAT_IF_COUNTERS}")


def heat_map(rows: list[dict[str, Any]], open_days: dict[int, int]) -> dict[str, Any]:
    """Mean arrivals per open day for weekday x hour, with a level 0..HEAT_LEVELS each."""
    cells = {
        (r["weekday"], r["hour"]): r["arrivals"] / max(1, open_days.get(r["weekday"], 1))
        for r in rows
    }
    if not cells:
        return {"weekdays": [], "hours": [], "cells": {}}
    top = max(cells.values())
    hours = list(range(min(h for _, h in cells), max(h for _, h in cells) + 1))
    weekdays = sorted({w for w, _ in cells})
    return {
        "weekdays": weekdays,
        "hours": hours,
        "cells": {
            f"{w}-{h}": {
                "value": round(cells.get((w, h), 0.0), 1),
                "level": math.ceil(HEAT_LEVELS * cells.get((w, h), 0.0) / top) if top else 0,
            }
            for w in weekdays
            for h in hours
        },
    }


def dashboard(
    db: Database,
    site: Site,
    first: date,
    last: date,
    queue: str | None,
    today: date,
    what_if: WhatIf | None = None,
) -> dict[str, Any]:
    """Everything the statistics page shows, as plain data."""
    aggregate.check_range(first, last, MAX_DAYS)
    check_queue(site, queue)
    found = summaries(db, site, first, last, today, queue)
    hours = found.summaries
    goals = targets(site)
    total = aggregate.rows(hours, View.QUEUE, goals, merge=True)
    open_days: dict[int, set[date]] = {}
    for _, day, _ in hours:
        open_days.setdefault(day.isoweekday(), set()).add(day)
    weekday_hour = aggregate.rows(hours, View.WEEKDAY_HOUR, goals, merge=True)
    plan = capacity.forecast_rows(db, site, today, FORECAST_DAYS, today, queue)
    outcome = None
    if what_if is not None:
        what_if.check(site)
        outcome = capacity.what_if(plan, site, what_if.queue, what_if.day, what_if.counters)
    return {
        "total": total[0] if total else None,
        "queues": aggregate.rows(hours, View.QUEUE, goals),
        "days": aggregate.rows(hours, View.DAY, goals, merge=True),
        "heat": heat_map(weekday_hour, {w: len(d) for w, d in open_days.items()}),
        "weekday_hour": weekday_hour,
        "forecast_error_percent": forecast_error(found.arrivals, last),
        "forecast": plan,
        "shortfalls": capacity.shortfalls(plan),
        "what_if": outcome,
    }


def what_if_defaults(plan: list[dict[str, Any]], queue: str, day: date) -> dict[int, int]:
    """Counters per hour to start the what-if form with: the planned ones, rounded."""
    mine = [r for r in plan if r["queue"] == queue and r["day"] == day.isoformat()]
    if not mine:
        return {h: 0 for h in range(8, 16)}
    return {r["hour"]: max(1, round(r["counters_planned"])) for r in mine}


def next_open_day(plan: list[dict[str, Any]], today: date) -> date:
    days = sorted({r["day"] for r in plan})
    return date.fromisoformat(days[0]) if days else today + timedelta(days=1)
