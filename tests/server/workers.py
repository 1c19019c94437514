"""Process entry points for the concurrency tests (importable by spawned processes)."""

from __future__ import annotations

import random
import time

from server.config import load_settings
from server.db import Database, make_engine
from server.services import calling, issuing
from tests.conftest import CONFIG

CONCERNS = ("fiktion", "adresse", "leistung-auszahlung", "jobcenter-unterlagen", "sonstiges")


def _db(url: str) -> Database:
    return Database(make_engine(url))


def issuer(url: str, count: int, seed: int, start, out) -> None:
    site = load_settings(CONFIG).sites[0]
    db = _db(url)
    rng = random.Random(seed)
    start.wait(30)
    numbers = []
    for _ in range(count):
        with db.writing() as s:
            t = issuing.issue(s, site, concern_id=rng.choice(CONCERNS), language="de")
            numbers.append((t.id, t.number))
    out.put(("issued", numbers))
    db.dispose()


def caller(url: str, counter: str, start, issuing_done, out, deadline_s: float = 90) -> None:
    site = load_settings(CONFIG).sites[0]
    db = _db(url)
    start.wait(30)
    called = []
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        with db.writing() as s:
            t = calling.next_call(s, site, counter).ticket
            ticket_id = t.id if t else None
        if ticket_id is not None:
            called.append(ticket_id)
        elif issuing_done.is_set():
            break
        else:
            time.sleep(0.005)
    out.put(("called", counter, called))
    db.dispose()
