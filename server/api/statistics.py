"""Statistics, forecast and staffing advice for the head of the agency (supervisor role)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Response, request

from server.api import bp
from server.api.helpers import date_arg, runtime
from server.audit_web import audit_staff
from server.auth import staff_required
from server.config import Site
from server.domain.aggregate import header
from server.domain.audit import AuditAction
from server.domain.numbering import service_day
from server.services import capacity, export
from server.services.clock import utcnow
from server.services.statistics import queue_statistics, views
from server.statistics_query import StatisticsQuery, forecast_days


def _file(body: str | bytes, mimetype: str, name: str) -> Response:
    """An export, recorded in the audit trail (who took which figures out, and when)."""
    with runtime().db.writing() as session:
        audit_staff(session, AuditAction.EXPORT, name)
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


def days_asked(site: Site) -> tuple[date, date]:
    """`from` and `to` of the request (422 when not dates); today when not given."""
    today = service_day(utcnow(), site.timezone)
    return date_arg("from", today) or today, date_arg("to", today) or today


@bp.get("/sites/<site_id>/statistics")
@staff_required("supervisor")
def statistics(site_id: str) -> Any:
    site = runtime().site(site_id)
    today = service_day(utcnow(), site.timezone)
    query = StatisticsQuery.parse(request.args, today)
    name = f"statistik-{site.id}-{query.first}-{query.last}"
    db = runtime().db
    if query.format == "json":
        return queue_statistics(db, site, query.first, query.last, today, query.view, query.queue)
    if query.format == "csv":
        rows, _ = views(db, site, query.first, query.last, today, (query.view,), query.queue)
        body = export.to_csv(rows[query.view], header(query.view))
        return _file(body, "text/csv", f"{name}-{query.view.value}.csv")
    wanted = export.WORKBOOK_SHEETS[query.view]
    rows, _ = views(db, site, query.first, query.last, today, wanted, query.queue)
    book = export.to_xlsx({view.value: (header(view), rows[view]) for view in wanted})
    return _file(book, export.XLSX_TYPE, f"{name}.xlsx")


@bp.get("/sites/<site_id>/forecast")
@staff_required("supervisor")
def forecast(site_id: str) -> Any:
    site = runtime().site(site_id)
    today = service_day(utcnow(), site.timezone)
    first, days = forecast_days(request.args, today)
    queue = request.args.get("queue") or None
    return {"rows": capacity.forecast_rows(runtime().db, site, first, days, today, queue)}
