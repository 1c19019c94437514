"""Statistics for the head of the agency (supervisor role)."""

from __future__ import annotations

from typing import Any

from server.api import bp
from server.api.helpers import date_arg, runtime
from server.auth import staff_required
from server.domain.numbering import service_day
from server.services.clock import utcnow
from server.services.statistics import queue_statistics


@bp.get("/sites/<site_id>/statistics")
@staff_required("supervisor")
def statistics(site_id: str) -> Any:
    site = runtime().site(site_id)
    today = service_day(utcnow(), site.timezone)
    first, last = date_arg("from", today) or today, date_arg("to", today) or today
    with runtime().db.reading() as session:
        return queue_statistics(session, site, first, last)
