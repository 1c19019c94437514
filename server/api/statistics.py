"""Statistics, forecast and staffing advice for the head of the agency (supervisor role)."""

from __future__ import annotations

from typing import Any

from flask import Response, request

from server.api import bp
from server.api.helpers import runtime
from server.auth import staff_required
from server.domain.aggregate import View, header
from server.domain.numbering import service_day
from server.services import capacity, export
from server.services.clock import utcnow
from server.services.statistics import queue_statistics, views
from server.statistics_query import StatisticsQuery, forecast_days


def _file(body: str | bytes, mimetype: str, name: str) -> Response:
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@bp.get("/sites/<site_id>/statistics")
@staff_required("supervisor")
def statistics(site_id: str) -> Any:
    site = runtime().site(site_id)
    query = StatisticsQuery.parse(request.args, service_day(utcnow(), site.timezone))
    name = f"statistik-{site.id}-{query.first}-{query.last}"
    with runtime().db.reading() as session:
        if query.format == "json":
            return queue_statistics(session, site, query.first, query.last, query.view, query.queue)
        wanted = (query.view, *(v for v in View if v is not query.view))
        if query.format == "csv":
            wanted = (query.view,)
        rows, _ = views(session, site, query.first, query.last, wanted, query.queue)
    if query.format == "csv":
        body = export.to_csv(rows[query.view], header(query.view))
        return _file(body, "text/csv", f"{name}-{query.view.value}.csv")
    book = export.to_xlsx({view.value: (header(view), rows[view]) for view in wanted})
    return _file(book, export.XLSX_TYPE, f"{name}.xlsx")


@bp.get("/sites/<site_id>/forecast")
@staff_required("supervisor")
def forecast(site_id: str) -> Any:
    site = runtime().site(site_id)
    first, days = forecast_days(request.args, service_day(utcnow(), site.timezone))
    with runtime().db.reading() as session:
        rows = capacity.forecast_rows(session, site, first, days, request.args.get("queue"))
    return {"rows": rows}
