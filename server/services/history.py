"""Past visits: imported from another system's CSV export, or generated for the demo site."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from server.config import LANGUAGES, Site
from server.domain import history
from server.domain.demo_history import DemoPattern, DemoQueue, generate
from server.models import HistoryVisit
from server.services.capacity import planned
from server.services.rollup import forget


def _row(site: Site, visit: history.PastVisit, source: str, estimate: int | None = None) -> dict:
    return {
        "site_id": site.id,
        "queue_id": visit.queue,
        "arrived_at": visit.arrived_at.astimezone(UTC),
        "called_at": visit.called_at.astimezone(UTC) if visit.called_at else None,
        "finished_at": visit.finished_at.astimezone(UTC) if visit.finished_at else None,
        "outcome": visit.outcome,
        "language": visit.language,
        "estimated_wait_minutes": estimate,
        "source": source,
    }


def import_csv(session: Session, site: Site, lines: Iterable[str]) -> int:
    """Store every visit of a history file; the caller's transaction makes it all or nothing.

    Raises history.BadLine at the first bad line, before anything is written.
    """
    queues = {q.id for q in site.queues}
    visits = list(history.parse(lines, queues, LANGUAGES))
    if visits:
        session.execute(insert(HistoryVisit), [_row(site, v, "import") for v in visits])
        _forget_days(session, site, [v.arrived_at for v in visits])
    return len(visits)


def _forget_days(session: Session, site: Site, arrivals: list[datetime]) -> None:
    """The stored statistics of the days that got visits are summed up again."""
    zone = ZoneInfo(site.timezone)
    days = [t.astimezone(zone).date() for t in arrivals]
    forget(session, site, min(days), max(days))


def has_demo_history(session: Session, site: Site) -> bool:
    return bool(
        session.scalar(
            select(func.count())
            .select_from(HistoryVisit)
            .where(HistoryVisit.site_id == site.id, HistoryVisit.source == "demo")
        )
    )


def add_demo_history(session: Session, site: Site, weeks: int, today: date, seed: int = 7) -> int:
    """Eight (or `weeks`) weeks of seeded demo visits before `today`, once per site."""
    if has_demo_history(session, site):
        return 0
    zone = ZoneInfo(site.timezone)
    first = today - timedelta(weeks=weeks)
    counters = planned(site)
    queues = {
        q.id: DemoQueue(q.kind, q.default_service_minutes, max(1, round(counters.get(q.id, 1))))
        for q in site.queues
    }
    pattern = DemoPattern(queues=queues, closed=frozenset(site.closed_days))
    rows = [
        _row(site, visit, "demo", estimate)
        for visit, estimate in generate(
            pattern,
            datetime.combine(first, time.min, zone),
            datetime.combine(today, time.min, zone),
            seed,
        )
    ]
    if rows:
        session.execute(insert(HistoryVisit), rows)
        _forget_days(session, site, [r["arrived_at"] for r in rows])
    return len(rows)
