"""How many anonymous tickets a client or a site may get: the rule and its setting.

The setting reads "N/unit" (`10/minute`), `off` (no anonymous issuing) or `unlimited`.
The window slides: a request is allowed while fewer than N came in the last unit of time;
otherwise the answer says how many seconds to wait until the oldest of them leaves it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from server.domain.errors import AnonymousIssuingOff

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


@dataclass(frozen=True)
class AnonymousLimits:
    """The limits an anonymous request is counted against; None: not counted there."""

    per_client: Limit | None
    per_site: Limit | None


def anonymous_limits(per_client: str, per_site: str) -> AnonymousLimits:
    """What the two settings allow together; AnonymousIssuingOff when either says `off`.

    `unlimited` per client lifts the site's limit too: then nothing is counted.
    """
    client_limit, site_limit = parse_limit(per_client), parse_limit(per_site)
    if OFF in (client_limit, site_limit):
        raise AnonymousIssuingOff()
    if client_limit == UNLIMITED:
        return AnonymousLimits(None, None)
    return AnonymousLimits(_counted(client_limit), _counted(site_limit))


def _counted(limit: Limit | str) -> Limit | None:
    return limit if isinstance(limit, Limit) else None


def wait_seconds(recent: list[datetime], limit: Limit, now: datetime) -> int:
    """0 when one more request is allowed, else the seconds until one is (at least 1).

    recent: the times of the requests already counted in the window, any order.
    """
    inside = sorted(t for t in recent if t > now - limit.window)
    if len(inside) < limit.count:
        return 0
    frees_at = inside[len(inside) - limit.count] + limit.window
    return max(1, math.ceil((frees_at - now).total_seconds()))
