"""The statistics page of the head of the agency: figures, charts, forecast, what-if."""

from __future__ import annotations

from datetime import date
from typing import Any

from babel.dates import get_day_names
from flask import render_template, request
from flask_babel import format_date, format_decimal, get_locale
from flask_babel import gettext as _

from counter import bp
from counter.access import staff_page
from server.config import Site
from server.domain.errors import InvalidInput
from server.domain.numbering import service_day
from server.runtime import runtime
from server.services.clock import utcnow
from server.services.dashboard import WhatIf, dashboard, next_open_day, what_if_defaults
from server.statistics_query import DEFAULT_WEEKS, StatisticsQuery

HOURS = range(6, 21)  # what-if form: the hours a counter may be open


def _site() -> Site:
    site_id = request.args.get("site")
    return runtime().site(site_id) if site_id else runtime().settings.sites[0]


def _what_if(args: Any, today: date) -> WhatIf | None:
    if not args.get("wi_queue"):
        return None
    try:
        day = date.fromisoformat(args.get("wi_day", ""))
        counters = {h: int(args.get(f"h{h}") or 0) for h in HOURS if f"h{h}" in args}
    except ValueError:
        raise InvalidInput("what-if: a day like 2026-12-07 and whole numbers") from None
    return WhatIf(args["wi_queue"], day, counters)


def weekday_name(weekday: int) -> str:
    return str(get_day_names("wide", locale=get_locale())[weekday - 1])


def _chart_data(data: dict[str, Any]) -> dict[str, Any]:
    """What the charts draw, with their translated labels (the tables show the same)."""
    days, heat = data["days"], data["heat"]
    return {
        "days": [format_date(date.fromisoformat(r["day"]), "short") for r in days],
        "waits": {
            "mean": [r["mean_wait_minutes"] for r in days],
            "p90": [r["p90_wait_minutes"] for r in days],
            "within": [r["within_target_percent"] for r in days],
            "service": [r["mean_service_minutes"] for r in days],
            "service_p90": [r["p90_service_minutes"] for r in days],
            "error": [r["estimate_error_minutes"] for r in days],
        },
        "heat": {
            "hours": [f"{h}:00" for h in heat["hours"]],
            "weekdays": [weekday_name(w) for w in heat["weekdays"]],
            "values": [
                [heat["cells"][f"{w}-{h}"]["value"] for h in heat["hours"]]
                for w in heat["weekdays"]
            ],
        },
        "labels": {
            "mean_wait": _("Mean wait (min)"),
            "p90_wait": _("90th percentile of the wait (min)"),
            "within": _("Called within target (%)"),
            "service": _("Mean service time (min)"),
            "service_p90": _("90th percentile of the service time (min)"),
            "error": _("Median error of the told wait (min)"),
            "arrivals": _("Arrivals per day"),
        },
    }


@bp.get("/statistics")
@staff_page("supervisor")
def statistics() -> Any:
    site = _site()
    today = service_day(utcnow(), site.timezone)
    status, data, error, query, what_if = 200, None, None, None, None
    try:
        query = StatisticsQuery.parse(request.args, today, default_days=7 * DEFAULT_WEEKS)
        what_if = _what_if(request.args, today)
        data = dashboard(runtime().db, site, query.first, query.last, query.queue, today, what_if)
    except InvalidInput:
        status = 422
        error = _(
            "Please check the form: the start must not be after the end, a range covers at "
            "most 366 days, and counters are whole numbers from 0 to 50."
        )
    wi_queue = what_if.queue if what_if else (query.queue if query and query.queue else None)
    wi_queue = wi_queue or site.queues[0].id
    plan = data["forecast"] if data else []
    wi_day = what_if.day if what_if else next_open_day(plan, today)
    wi_counters = what_if.counters if what_if else what_if_defaults(plan, wi_queue, wi_day)
    return render_template(
        "counter/statistics.html",
        site=site,
        page="statistics",
        title=_("Statistics"),
        query=query,
        today=today,
        data=data,
        error=error,
        chart=_chart_data(data) if data else None,
        queue_names={q.id: q.name for q in site.queues},
        weekday_name=weekday_name,
        format_date=format_date,
        todate=date.fromisoformat,
        number=lambda v: "–" if v is None else format_decimal(v, "#,##0.#"),
        what_if={"queue": wi_queue, "day": wi_day, "counters": wi_counters, "hours": HOURS},
    ), status
