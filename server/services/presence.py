"""Counter presence: open, on a break or closed; who is at which counter; whom they speak."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.config import Counter, Site
from server.domain import languages, policy
from server.domain import presence as rules
from server.domain.errors import NotFound
from server.domain.presence import Presence
from server.models import CounterPresence, User
from server.services.clock import utcnow


def _row(session: Session, site: Site, counter_id: str) -> CounterPresence | None:
    return session.get(CounterPresence, (site.id, counter_id))


def states(session: Session, site: Site, now: datetime) -> dict[str, dict[str, Any]]:
    """Every counter of the site: its state now, since when, and by whom it was set."""
    rows = {
        r.counter_id: r
        for r in session.scalars(select(CounterPresence).where(CounterPresence.site_id == site.id))
    }
    result = {}
    for counter in site.counters:
        row = rows.get(counter.id)
        state = rules.state_now(
            row.state if row else None, row.since if row else None, now, site.timezone
        )
        counts = row is not None and state.value == row.state
        result[counter.id] = {
            "counter": counter.id,
            "state": state.value,
            "since": row.since.isoformat() if row is not None and counts else None,
            "user_id": row.user_id if row is not None and counts else None,
        }
    return result


def open_counters(session: Session, site: Site, now: datetime | None = None) -> list[Counter]:
    """The site's counters that are open now, with their work profiles (queues, weights).

    What every figure "of the present" counts: wait estimates, the overview and the
    statistics' counters planned.
    """
    now = now or utcnow()
    current = states(session, site, now)
    return [c for c in site.counters if current[c.id]["state"] == Presence.OPEN.value]


def set_state(
    session: Session,
    site: Site,
    counter_id: str,
    state: Presence,
    *,
    user_id: int | None,
    user_sites: list[str] | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Set a counter's presence; staff act only at counters of a site they work at."""
    now = now or utcnow()
    if site.counter(counter_id) is None:
        raise NotFound(f"unknown counter {counter_id!r}")
    rules.check_site(site.id, user_sites)
    row = _row(session, site, counter_id)
    if row is None:
        row = CounterPresence(site_id=site.id, counter_id=counter_id)
        session.add(row)
    row.state, row.since, row.user_id = state.value, now, user_id
    session.flush()
    return {"counter": counter_id, "state": state.value, "since": now.isoformat()}


def before_call(
    session: Session, site: Site, counter_id: str, user_id: int | None, now: datetime
) -> policy.Clerk:
    """Pressing "next": refused on a break, opens a closed counter; the clerk's languages."""
    row = _row(session, site, counter_id)
    state = rules.state_now(
        row.state if row else None, row.since if row else None, now, site.timezone
    )
    rules.check_may_call(state)
    if state is Presence.CLOSED:
        set_state(session, site, counter_id, Presence.OPEN, user_id=user_id, now=now)
    return clerk(session, site, user_id)


def clerk(session: Session, site: Site, user_id: int | None) -> policy.Clerk:
    spoken = (
        session.scalar(select(User.languages).where(User.id == user_id))
        if user_id is not None
        else None
    )
    return policy.Clerk(
        frozenset(languages.parse_list(spoken)), timedelta(minutes=site.language_window_minutes)
    )


def close_for_user(session: Session, user_id: int, now: datetime | None = None) -> list[str]:
    """Logging out closes the counters this user opened; the sites whose counters changed."""
    now = now or utcnow()
    rows = session.scalars(
        select(CounterPresence).where(
            CounterPresence.user_id == user_id, CounterPresence.state != Presence.CLOSED.value
        )
    ).all()
    for row in rows:
        row.state, row.since = Presence.CLOSED.value, now
    return sorted({row.site_id for row in rows})
