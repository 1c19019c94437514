"""Statistics for the head of the agency (supervisor role)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import request

from server.api import bp
from server.api.helpers import runtime
from server.auth import staff_required
from server.domain.inputs import parse_day
from server.domain.numbering import service_day
from server.services.clock import utcnow
from server.services.statistics import queue_statistics


def _day(name: str, default: date) -> date:
    value = request.args.get(name)
    if not value:
        return default
    return parse_day(value, name)


@bp.get("/sites/<site_id>/statistics")
@staff_required("supervisor")
def statistics(site_id: str) -> Any:
    site = runtime().site(site_id)
    today = service_day(utcnow(), site.timezone)
    first, last = _day("from", today), _day("to", today)
    with runtime().db.reading() as session:
        return queue_statistics(session, site, first, last)
