"""Retention run over a year of tickets: how long one daily run takes (SQLite, PostgreSQL).

Prints figures, asserts nothing: `python -m bench.retention [TICKETS]`.
"""

from __future__ import annotations

import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, insert, text

from server.config import load_settings
from server.db import Database, make_engine
from server.migrate import upgrade
from server.models import Ticket, Visit
from server.services import retention

START = datetime(2025, 1, 6, 8, 0, tzinfo=UTC)


def _fill(db: Database, site_id: str, count: int) -> None:
    """`count` finished tickets spread over 400 days, one stop each, in bulk."""
    per_day = max(1, count // 400)
    tickets, visits = [], []
    for n in range(count):
        arrived = START + timedelta(days=n // per_day, minutes=n % per_day)
        tickets.append(
            {
                "id": n + 1,
                "site_id": site_id,
                "service_day": arrived.date(),
                "number": f"B-{n % per_day + 1:03d}",
                "token": uuid.uuid4().hex,
                "language": "ar",
                "queue_id": "bo-abh",
                "status": "done",
                "priority": False,
                "idempotency_key": uuid.uuid4().hex,
                "note": "Rückruf erbeten",
                "arrived_at": arrived,
                "queued_at": arrived,
                "called_at": arrived + timedelta(minutes=9),
                "finished_at": arrived + timedelta(minutes=17),
                "recalls": 0,
            }
        )
        visits.append(
            {
                "ticket_id": n + 1,
                "queue_id": "bo-abh",
                "queued_at": arrived,
                "called_at": arrived + timedelta(minutes=9),
                "finished_at": arrived + timedelta(minutes=17),
                "outcome": "done",
            }
        )
    with db.writing() as session:
        session.execute(insert(Ticket), tickets)
        session.execute(insert(Visit), visits)


def _measure(label: str, url: str, count: int) -> None:
    settings = load_settings()
    db = Database(make_engine(url))
    upgrade(db.engine)
    _fill(db, settings.sites[0].id, count)
    as_of = START + timedelta(days=400)
    timings = []
    for dry in (True, False):
        began = time.perf_counter()
        with db.writing() as session:
            report = retention.run(session, settings, as_of, dry_run=dry)
        timings.append(time.perf_counter() - began)
    changed = report.counts[f"{settings.sites[0].id}: tickets pseudonymised"]
    # The steady state: the next day's run finds one day of tickets due.
    began = time.perf_counter()
    with db.writing() as session:
        daily = retention.run(session, settings, as_of + timedelta(days=1))
    next_day = time.perf_counter() - began
    db.dispose()
    print(
        f"{label}: {count} tickets, {changed} pseudonymised; dry run {timings[0]:.2f} s, "
        f"first run {timings[1]:.2f} s ({1000 * timings[1] / max(changed, 1):.3f} ms per ticket); "
        f"next day {daily.counts[f'{settings.sites[0].id}: tickets pseudonymised']} tickets "
        f"in {1000 * next_day:.0f} ms",
        flush=True,
    )


def main(count: int = 100_000) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        _measure("sqlite", f"sqlite:///{Path(tmp) / 'bench.db'}", count)
    admin = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    name = f"anlaufstelle_bench_{uuid.uuid4().hex[:8]}"
    try:
        engine = create_engine(admin, isolation_level="AUTOCOMMIT")
        with engine.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001  no PostgreSQL here: say so and go on
        print(f"postgresql: skipped ({exc.__class__.__name__})")
        return
    try:
        _measure("postgresql", admin.rsplit("/", 1)[0] + f"/{name}", count)
    finally:
        with engine.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
