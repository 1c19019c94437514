"""Counter presence: open, on a break or closed; who is at which counter; whom they speak."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from server.config import Counter, Site
from server.domain import languages, policy
from server.domain import presence as rules
from server.domain.errors import NotFound
from server.domain.presence import Presence
from server.models import CounterPresence, User
from server.services.clock import utcnow

_COLUMNS = (
    CounterPresence.counter_id,
    CounterPresence.state,
    CounterPresence.since,
    CounterPresence.user_id,
)


@functools.cache
def _row_statement() -> Any:
    return select(*_COLUMNS).where(
        CounterPresence.site_id == bindparam("site"),
        CounterPresence.counter_id == bindparam("counter"),
    )


def _row(session: Session, site: Site, counter_id: str) -> Any:
    # Plain rows, not ORM objects: the upsert below bypasses the identity map. Read on
    # every call of "next": one statement built once.
    params = {"site": site.id, "counter": counter_id}
    return session.connection().execute(_row_statement(), params).first()


@functools.cache
def _upsert_statement(dialect: str) -> Any:
    """Set a counter's state in one statement: two clerks opening at once both succeed."""
    upsert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = upsert(CounterPresence).values(
        site_id=bindparam("site"),
        counter_id=bindparam("counter"),
        state=bindparam("state"),
        since=bindparam("since", type_=CounterPresence.since.type),
        user_id=bindparam("user"),
    )
    return statement.on_conflict_do_update(
        index_elements=["site_id", "counter_id"],
        set_={
            "state": statement.excluded.state,
            "since": statement.excluded.since,
            "user_id": statement.excluded.user_id,
        },
    )


@functools.cache
def _states_statement() -> Any:
    return select(*_COLUMNS).where(CounterPresence.site_id == bindparam("site"))


def states(session: Session, site: Site, now: datetime) -> dict[str, dict[str, Any]]:
    """Every counter of the site: its state now, since when, and by whom it was set.

    Read on every ticket (the wait told counts open counters): one statement built once.
    """
    rows = {
        r.counter_id: r
        for r in session.connection().execute(_states_statement(), {"site": site.id})
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
    params = {
        "site": site.id,
        "counter": counter_id,
        "state": state.value,
        "since": now,
        "user": user_id,
    }
    session.execute(_upsert_statement(session.get_bind().dialect.name), params)
    return {"counter": counter_id, "state": state.value, "since": now.isoformat()}


def before_call(
    session: Session,
    site: Site,
    counter_id: str,
    user_id: int | None,
    now: datetime,
    speaks: Sequence[str] | None = None,
) -> policy.Clerk:
    """Pressing "next": refused on a break, opens a closed counter; the clerk's languages."""
    row = _row(session, site, counter_id)
    state = rules.state_now(
        row.state if row else None, row.since if row else None, now, site.timezone
    )
    rules.check_may_call(state)
    if state is Presence.CLOSED:
        set_state(session, site, counter_id, Presence.OPEN, user_id=user_id, now=now)
    return clerk(session, site, user_id, speaks)


def clerk(
    session: Session, site: Site, user_id: int | None, speaks: Sequence[str] | None = None
) -> policy.Clerk:
    """The clerk as "next" sees them; `speaks`, when the caller has it, saves a read."""
    spoken: str | Sequence[str] | None = speaks
    if spoken is None and user_id is not None:
        spoken = session.scalar(select(User.languages).where(User.id == user_id))
    return policy.Clerk(
        frozenset(languages.parse_list(spoken)), timedelta(minutes=site.language_window_minutes)
    )


def close_for_user(session: Session, user_id: int, now: datetime | None = None) -> list[str]:
    """Logging out closes the counters this user opened; the sites whose counters changed."""
    now = now or utcnow()
    mine = (CounterPresence.user_id == user_id) & (CounterPresence.state != Presence.CLOSED.value)
    sites = set(session.scalars(select(CounterPresence.site_id).where(mine)))
    session.execute(
        update(CounterPresence).where(mine).values(state=Presence.CLOSED.value, since=now)
    )
    return sorted(sites)
