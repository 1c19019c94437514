"""Statistics, forecast and staffing advice for the head of the agency (supervisor role)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Response

from server.api import answers as a
from server.api import bp
from server.api import schemas as s
from server.api.helpers import runtime
from server.api.operations import operation
from server.audit_web import audit_staff
from server.auth import staff_required
from server.config import Site
from server.domain.aggregate import header
from server.domain.audit import AuditAction
from server.domain.numbering import service_day
from server.green import off_the_hub
from server.services import capacity, export
from server.services.clock import utcnow
from server.services.statistics import queue_statistics, views
from server.statistics_query import StatisticsQuery


def _file(body: str | bytes, mimetype: str, name: str) -> Response:
    """An export, recorded in the audit trail (who took which figures out, and when)."""
    with runtime().db.writing() as session:
        audit_staff(session, AuditAction.EXPORT, name)
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


def days_asked(site: Site, query: s.DaysQuery) -> tuple[date, date]:
    """`from` and `to` of the request; today when not given."""
    today = service_day(utcnow(), site.timezone)
    return query.from_ or today, query.to or today


@bp.get("/sites/<site_id>/statistics")
@staff_required("supervisor")
@operation(
    "Statistics per queue and day or hour (supervisor)",
    {200: a.Rows},
    query=s.StatisticsParams,
    files=("text/csv", export.XLSX_TYPE),
)
def statistics(site_id: str, query: s.StatisticsParams) -> Any:
    site = runtime().site(site_id)
    today = service_day(utcnow(), site.timezone)
    asked = StatisticsQuery.of(query, today)
    name = f"statistik-{site.id}-{asked.first}-{asked.last}"
    db = runtime().db
    if asked.format == "json":
        return queue_statistics(db, site, asked.first, asked.last, today, asked.view, asked.queue)
    if asked.format == "csv":
        rows, _ = views(db, site, asked.first, asked.last, today, (asked.view,), asked.queue)
        body = export.to_csv(rows[asked.view], header(asked.view))
        return _file(body, "text/csv", f"{name}-{asked.view.value}.csv")
    wanted = export.WORKBOOK_SHEETS[asked.view]
    rows, _ = views(db, site, asked.first, asked.last, today, wanted, asked.queue)
    # openpyxl is pure Python (seconds for a year by the hour): off the hub under gevent.
    sheets = {view.value: (header(view), rows[view]) for view in wanted}
    book = off_the_hub(export.to_xlsx, sheets)
    return _file(book, export.XLSX_TYPE, f"{name}.xlsx")


@bp.get("/sites/<site_id>/forecast")
@staff_required("supervisor")
@operation("Arrivals to expect, counters needed (supervisor)", {200: a.Rows}, query=s.ForecastQuery)
def forecast(site_id: str, query: s.ForecastQuery) -> Any:
    site = runtime().site(site_id)
    today = service_day(utcnow(), site.timezone)
    first = query.from_ or today
    rows = capacity.forecast_rows(runtime().db, site, first, query.days, today, query.queue)
    return {"rows": rows}
