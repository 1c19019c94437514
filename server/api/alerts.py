"""Printer alerts for staff: list a site's open alerts, acknowledge one."""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from server.api import answers as a
from server.api import bp
from server.api.helpers import hub, runtime
from server.api.operations import operation
from server.auth import staff_required
from server.services import alerts


@bp.get("/sites/<site_id>/alerts")
@staff_required("reception")
@operation("A site's open printer alerts", {200: [a.Alert]})
def list_alerts(site_id: str) -> Any:
    site = runtime().site(site_id)
    with runtime().db.reading() as session:
        return [alerts.present(site, alert) for alert in alerts.open_alerts(session, site)]


@bp.post("/alerts/<int:alert_id>/acknowledge")
@staff_required("reception")
@operation("Acknowledge a printer alert", {200: a.Alert})
def acknowledge_alert(alert_id: int) -> Any:
    with runtime().db.writing() as session:
        alert = alerts.acknowledge(session, alert_id, user_id=current_user.id)
        site = runtime().site(alert.site_id)
        body = alerts.present(site, alert)
    # Other staff pages drop the alert too: same event, now with acknowledged_at set.
    hub().staff_notice(site, "printer_alert", body)
    return body
