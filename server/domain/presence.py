"""Whether a counter is staffed: open, on a break, or closed.

Only an open counter gets calls and counts in wait estimates. A state is about one
service day: a counter left open when the day ended is closed the next morning, so a
forgotten logout never makes tomorrow's estimates look better than they are.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum

from server.domain.errors import (  # noqa: F401  (re-exported for the presence service)
    CounterOnBreak,
    InvalidInput,
    NotYourSite,
)
from server.domain.numbering import service_day


class Presence(StrEnum):
    OPEN = "open"
    BREAK = "break"
    CLOSED = "closed"


def parse(value: object) -> Presence:
    try:
        return Presence(str(value))
    except ValueError:
        names = ", ".join(p.value for p in Presence)
        raise InvalidInput(f"state must be one of {names}") from None


def state_now(state: str | None, since: datetime | None, now: datetime, timezone: str) -> Presence:
    """The state that holds now: what was set today, else closed."""
    if state is None or since is None:
        return Presence.CLOSED
    if service_day(since, timezone) != service_day(now, timezone):
        return Presence.CLOSED
    return Presence(state)


def check_may_call(state: Presence) -> None:
    """A counter on a break gets no calls; a closed one is opened by calling (see services)."""
    if state is Presence.BREAK:
        raise CounterOnBreak()


def check_site(site_id: str, user_sites: Iterable[str] | None) -> None:
    """Staff act only at counters of a site they may work at; no limits means every site."""
    if user_sites is not None and site_id not in set(user_sites):
        raise NotYourSite()
