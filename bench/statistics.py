"""One year of a busy site: statistics query and CSV/XLSX export times, SQLite and PostgreSQL.

500 visits a day for 360 days (~180,000 tickets with one stop each, stored as the site's
own tickets and visits, the estimate told at issue included). Measured in-process through
the same service functions the API calls; targets: query under 1 s, export under 3 s.
The first request of a range sums up and stores its closed days (the daily rollup); the
timed runs after it read the rollup, plus the last two days from the visits.
"""

from __future__ import annotations

import os
import random
import secrets
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from bench.harness import drop_postgres, fresh_postgres, reachable
from server.config import load_settings
from server.db import Database, make_engine
from server.domain.aggregate import View, header
from server.migrate import upgrade
from server.models import Ticket, Visit
from server.services import export
from server.services.statistics import queue_statistics, views

DAYS = int(os.environ.get("BENCH_STAT_DAYS", "360"))
PER_DAY = 500
LAST = date(2026, 11, 30)
QUERY_TARGET, EXPORT_TARGET = 1.0, 3.0


def fill(db: Database, site: Any) -> int:
    rng = random.Random(12)
    queues = [q.id for q in site.queues]
    total = 0
    for offset in range(DAYS):
        day = LAST - timedelta(days=DAYS - 1 - offset)
        tickets, visits = [], []
        start = datetime(day.year, day.month, day.day, 7, 0, tzinfo=UTC)
        for n in range(PER_DAY):
            arrived = start + timedelta(seconds=rng.uniform(0, 8 * 3600))
            called = arrived + timedelta(minutes=rng.expovariate(1 / 12))
            finished = called + timedelta(minutes=rng.expovariate(1 / 7))
            tickets.append(
                {
                    "site_id": site.id,
                    "service_day": day,
                    "number": f"B-{n + 1:03d}",
                    "token": secrets.token_hex(12),
                    "language": "de",
                    "queue_id": rng.choice(queues),
                    "status": "done",
                    "arrived_at": arrived,
                    "queued_at": arrived,
                    "called_at": called,
                    "finished_at": finished,
                    "recalls": 0,
                    "priority": False,
                    "estimated_wait_minutes": rng.randint(0, 30),
                }
            )
        with db.writing() as session:
            ids = session.scalars(insert(Ticket).returning(Ticket.id), tickets).all()
            for ticket_id, t in zip(ids, tickets, strict=True):
                visits.append(
                    {
                        "ticket_id": ticket_id,
                        "queue_id": t["queue_id"],
                        "queued_at": t["arrived_at"],
                        "called_at": t["called_at"],
                        "finished_at": t["finished_at"],
                        "outcome": "no_show" if ticket_id % 20 == 0 else "done",
                    }
                )
            session.execute(insert(Visit), visits)
        total += len(tickets)
    return total


def timed(label: str, target: float, action: Callable[[], Any]) -> Any:
    """Best of three, wall clock and this process's CPU time (the machine may be shared)."""
    best, cpu, result = float("inf"), float("inf"), None
    for _ in range(3):
        began, began_cpu = time.perf_counter(), time.process_time()
        result = action()
        best = min(best, time.perf_counter() - began)
        cpu = min(cpu, time.process_time() - began_cpu)
    print(
        f"  {label:<44} {best:7.3f} s wall, {cpu:7.3f} s CPU "
        f"({best / target:.2f} / {cpu / target:.2f} of the {target:.0f} s target)"
    )
    return result


def run(label: str, url: str) -> None:
    settings = load_settings()
    site = settings.sites[0]
    db = Database(make_engine(url, sqlite_synchronous="NORMAL"))
    upgrade(db.engine)
    began = time.perf_counter()
    count = fill(db, site)
    print(f"{label}: {count} visits over {DAYS} days stored in {time.perf_counter() - began:.0f} s")
    first = LAST - timedelta(days=DAYS - 1)

    today = LAST + timedelta(days=1)

    def query(view: View) -> Callable[[], Any]:
        return lambda: queue_statistics(db, site, first, LAST, today, view)

    def csv_export() -> str:
        rows, _ = views(db, site, first, LAST, today, (View.HOUR,))
        return export.to_csv(rows[View.HOUR], header(View.HOUR))

    def xlsx_export(view: View) -> Callable[[], bytes]:
        sheets = export.WORKBOOK_SHEETS[view]

        def go() -> bytes:
            rows, _ = views(db, site, first, LAST, today, sheets)
            return export.to_xlsx({v.value: (header(v), rows[v]) for v in sheets})

        return go

    began = time.perf_counter()
    query(View.DAY)()
    first_request = time.perf_counter() - began
    print(f"  {'first request (sums up, stores the rollup)':<44} {first_request:7.3f} s")
    answer = timed("statistics by day (JSON rows)", QUERY_TARGET, query(View.DAY))
    timed("statistics by hour (JSON rows)", QUERY_TARGET, query(View.HOUR))
    body = timed("CSV export, by hour", EXPORT_TARGET, csv_export)
    book = timed("XLSX export by day (3 sheets)", EXPORT_TARGET, xlsx_export(View.DAY))
    timed("XLSX export by hour (4 sheets, 30,000 rows)", EXPORT_TARGET, xlsx_export(View.HOUR))
    print(
        f"  rows by day {len(answer['rows'])}, CSV {len(body) // 1024} KiB, "
        f"XLSX {len(book) // 1024} KiB"
    )
    db.dispose()


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="anlaufstelle-bench-") as var:
        run("sqlite", f"sqlite:///{Path(var) / 'statistics.db'}")
    if not reachable("127.0.0.1", 5432):
        print("postgresql: skipped (not reachable on 127.0.0.1:5432)")
        return
    url, name = fresh_postgres()
    try:
        run("postgresql", url)
    finally:
        drop_postgres(name)


if __name__ == "__main__":
    main()
