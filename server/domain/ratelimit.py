"""How many anonymous tickets a client or a site may get: the rule and its setting.

The setting reads "N/unit" (`10/minute`), `off` (no anonymous issuing) or `unlimited`.
The window slides: a request is allowed while fewer than N came in the last unit of time;
otherwise the answer says how many seconds to wait until the oldest of them leaves it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
OFF = "off"
UNLIMITED = "unlimited"


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int

    @property
    def window(self) -> timedelta:
        return timedelta(seconds=self.seconds)


def parse_limit(spec: str) -> Limit | str:
    """A Limit, or OFF, or UNLIMITED; ValueError naming the accepted forms otherwise."""
    text = spec.strip().lower()
    if text in (OFF, UNLIMITED):
        return text
    count, _, unit = text.partition("/")
    if count.isdigit() and int(count) > 0 and unit in UNITS:
        return Limit(int(count), UNITS[unit])
    raise ValueError(
        f"{spec!r} is not a limit; write N/second, N/minute, N/hour, N/day, 'off' or 'unlimited'"
    )


def wait_seconds(recent: list[datetime], limit: Limit, now: datetime) -> int:
    """0 when one more request is allowed, else the seconds until one is (at least 1).

    recent: the times of the requests already counted in the window, any order.
    """
    inside = sorted(t for t in recent if t > now - limit.window)
    if len(inside) < limit.count:
        return 0
    frees_at = inside[len(inside) - limit.count] + limit.window
    return max(1, math.ceil((frees_at - now).total_seconds()))
