"""The wait told to a visitor when their ticket is issued, kept for the statistics.

The same rule as the ticket the kiosk shows and prints (server/services/line.py): the
position by the call order, recent mean service time, the queue's counters.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from server.config import Site
from server.models import Ticket
from server.services import line


def estimate_at_issue(session: Session, site: Site, ticket: Ticket, now: datetime) -> int:
    """Minutes a just-issued (flushed) ticket is told to wait."""
    ahead = line.position(session, ticket, now, newest=True) - 1
    return line.estimated_wait_minutes(session, site, ticket.queue_id, ahead, now)
