"""One order on a real database: the position a visitor is told is the order of calling."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from server.models import Appointment, Ticket
from server.services import calling, issuing, present

QUEUE, COUNTER = "core-abh", "raum-201"
DAY0 = datetime(2027, 1, 4, 8, 0, tzinfo=UTC)
_days = itertools.count()

# What arrives, one a minute: a walk-in, a reception priority, or a checked-in
# appointment starting so many minutes after the first arrival.
arrival = st.one_of(
    st.just(("walk_in", None)),
    st.just(("priority", None)),
    st.tuples(st.just("appointment"), st.integers(min_value=-20, max_value=60)),
)


def _appointment(session, site, start: datetime, n: int) -> Appointment:
    appointment = Appointment(
        site_id=site.id,
        queue_id=QUEUE,
        start=start,
        language="de",
        code=f"ORD{start:%j%H%M}{n:03d}",
        token=f"order-{start.isoformat()}-{n}",
        status="checked_in",
        created_at=start,
    )
    session.add(appointment)
    session.flush()
    return appointment


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    arrivals=st.lists(arrival, min_size=2, max_size=12),
    later=st.integers(0, 40),
    languages=st.lists(st.sampled_from(["de", "ar", "ku", "ckb", "en"]), min_size=12),
)
def test_the_position_told_is_the_order_a_counter_of_that_queue_calls(
    database, site, arrivals, later, languages
):
    """Visitors speak various languages; the position is the plain line, the order of a
    counter whose clerk speaks none of them (no user: language-neutral)."""
    # Each example runs on a day of its own: numbers and lines start afresh.
    start = DAY0 + timedelta(days=next(_days))
    with database.writing() as s:
        for n, (kind, offset) in enumerate(arrivals):
            at = start + timedelta(minutes=n)
            appointment = (
                _appointment(s, site, start + timedelta(minutes=offset), n)
                if kind == "appointment"
                else None
            )
            issuing.issue(
                s,
                site,
                concern_id=None,
                queue_id=QUEUE,
                language=languages[n],
                priority_reason="Notfall" if kind == "priority" else None,
                appointment=appointment,
                now=at,
            )
    # Positions are told at one instant; counters call from that instant on.
    now = start + timedelta(minutes=len(arrivals) + later)
    with database.reading() as s:
        day = select(Ticket).where(Ticket.service_day == start.date(), Ticket.site_id == site.id)
        told = {
            t.number: present.public_ticket(s, site, t, now)["position"] for t in s.scalars(day)
        }
    called = []
    with database.writing() as s:
        while (
            t := calling.next_call(s, site, COUNTER, queue_id=QUEUE, now=now).ticket
        ) is not None:
            called.append(t.number)  # noqa: PERF401 (each call finishes the one before)
    assert sorted(told.values()) == list(range(1, len(arrivals) + 1))
    assert called == sorted(told, key=told.__getitem__)
