"""Invariants 1 and 2 under real concurrency: 8 processes issuing, 8 calling at once."""

from __future__ import annotations

import multiprocessing
from collections import Counter

import pytest
from sqlalchemy import func, select

from server.db import Database, make_engine
from server.migrate import upgrade
from server.models import Event, Ticket
from tests.server import workers

ISSUERS = 8
PER_ISSUER = 40
COUNTERS = [
    "schalter-1",
    "schalter-2",
    "schalter-3",
    "schalter-4",
    "schalter-5",
    "schalter-6",
    "empfang-1",
    "empfang-2",
]

pytestmark = pytest.mark.slow


def test_eight_issuers_and_eight_callers_keep_numbers_unique_and_calls_single(database_url):
    db = Database(make_engine(database_url))
    upgrade(db.engine)
    db.dispose()
    ctx = multiprocessing.get_context("spawn")
    start, done, out = ctx.Event(), ctx.Event(), ctx.Queue()
    issuers = [
        ctx.Process(target=workers.issuer, args=(database_url, PER_ISSUER, i, start, out))
        for i in range(ISSUERS)
    ]
    callers = [
        ctx.Process(target=workers.caller, args=(database_url, c, start, done, out))
        for c in COUNTERS
    ]
    for p in issuers + callers:
        p.start()
    start.set()
    results = []
    for _ in issuers:
        results.append(out.get(timeout=120))
    done.set()
    for _ in callers:
        results.append(out.get(timeout=120))
    for p in issuers + callers:
        p.join(30)
        assert p.exitcode == 0

    issued = [pair for r in results if r[0] == "issued" for pair in r[1]]
    called = [tid for r in results if r[0] == "called" for tid in r[2]]
    assert len(issued) == ISSUERS * PER_ISSUER
    numbers = Counter(number for _, number in issued)
    assert max(numbers.values()) == 1, "a number was issued twice"
    assert len(called) == len(set(called)), "a ticket was called twice"
    assert set(called) == {tid for tid, _ in issued}, "the queues were not drained"

    db = Database(make_engine(database_url))
    with db.reading() as s:
        per_ticket = dict(
            s.execute(
                select(Event.ticket_id, func.count())
                .where(Event.kind == "called")
                .group_by(Event.ticket_id)
            ).all()
        )
        stored = s.scalar(select(func.count(func.distinct(Ticket.number))))
    db.dispose()
    assert set(per_ticket.values()) == {1}
    assert stored == ISSUERS * PER_ISSUER
    # Every zone's numbers form one gap-free sequence.
    for prefix in ("A", "B"):
        seq = sorted(int(n.split("-")[1]) for n in numbers if n.startswith(prefix))
        assert seq == list(range(1, len(seq) + 1))
