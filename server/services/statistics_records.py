"""The visits of a date range as records: own tickets' stops and imported history alike.

Read from the visits (one row per stop of a ticket at a queue), so a transferred visitor
counts once per queue they waited in, and from the history_visits table (imported from
another system, or the demo), which counts the same way.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.config import Site
from server.domain import aggregate
from server.domain.aggregate import Record
from server.models import HistoryVisit, Ticket, Visit


def _bounds(site: Site, first: date, last: date) -> tuple[datetime, datetime]:
    zone = ZoneInfo(site.timezone)
    return (
        datetime.combine(first, time.min, zone),
        datetime.combine(last + timedelta(days=1), time.min, zone),
    )


def records(
    session: Session, site: Site, first: date, last: date, queue: str | None = None
) -> list[Record]:
    """Every stop at a queue of the site that began in [first, last] (local days)."""
    zone = ZoneInfo(site.timezone)
    start, end = _bounds(site, first, last)
    own = (
        select(
            Visit.queue_id,
            Visit.queued_at,
            Visit.called_at,
            Visit.finished_at,
            Visit.outcome,
            Ticket.arrived_at,
            Ticket.estimated_wait_minutes,
        )
        .join(Ticket, Ticket.id == Visit.ticket_id)
        .where(Visit.queued_at >= start, Visit.queued_at < end, Ticket.site_id == site.id)
    )
    past = select(
        HistoryVisit.queue_id,
        HistoryVisit.arrived_at,
        HistoryVisit.called_at,
        HistoryVisit.finished_at,
        HistoryVisit.outcome,
        HistoryVisit.arrived_at,
        HistoryVisit.estimated_wait_minutes,
    ).where(
        HistoryVisit.site_id == site.id,
        HistoryVisit.arrived_at >= start,
        HistoryVisit.arrived_at < end,
    )
    if queue is not None:
        own = own.where(Visit.queue_id == queue)
        past = past.where(HistoryVisit.queue_id == queue)
    result = []
    for statement in (own, past):
        for queue_id, queued, called, finished, outcome, arrived, estimate in session.execute(
            statement
        ):
            # The estimate told at the kiosk belongs to the first stop only.
            told = estimate if queued == arrived else None
            result.append(
                aggregate.record(
                    queue_id, queued.astimezone(zone), queued, called, finished, outcome, told
                )
            )
    return result
