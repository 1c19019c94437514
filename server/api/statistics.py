"""Statistics for the head of the agency (supervisor role)."""

from __future__ import annotations

from datetime import date
from typing import Any

from server.api import bp
from server.api.helpers import date_arg, runtime
from server.auth import staff_required
from server.config import Site
from server.domain.numbering import service_day
from server.services.clock import utcnow
from server.services.statistics import queue_statistics


def days_asked(site: Site) -> tuple[date, date]:
    """`from` and `to` of the request (422 when not dates); today when not given."""
    today = service_day(utcnow(), site.timezone)
    return date_arg("from", today) or today, date_arg("to", today) or today


@bp.get("/sites/<site_id>/statistics")
@staff_required("supervisor")
def statistics(site_id: str) -> Any:
    site = runtime().site(site_id)
    first, last = days_asked(site)
    with runtime().db.reading() as session:
        return queue_statistics(session, site, first, last)
