"""Printer alerts: a kiosk printer failed; staff see it until someone acknowledges it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.config import Site
from server.domain.errors import NotFound
from server.domain.printer_causes import cause_of
from server.models import PrinterAlert
from server.services.clock import utcnow

MESSAGE_MAX = 500


def record(
    session: Session,
    site: Site,
    kiosk_id: str,
    ticket_number: str | None,
    message: str,
    *,
    now: datetime | None = None,
) -> PrinterAlert:
    """Keep a failed print for staff; the ticket itself stays valid."""
    alert = PrinterAlert(
        site_id=site.id,
        kiosk_id=kiosk_id,
        ticket_number=ticket_number,
        message=message[:MESSAGE_MAX],
        created_at=now or utcnow(),
    )
    session.add(alert)
    session.flush()
    return alert


def open_alerts(session: Session, site: Site) -> list[PrinterAlert]:
    """Alerts of a site nobody has acknowledged yet, newest first."""
    return list(
        session.scalars(
            select(PrinterAlert)
            .where(PrinterAlert.site_id == site.id, PrinterAlert.acknowledged_at.is_(None))
            .order_by(PrinterAlert.created_at.desc(), PrinterAlert.id.desc())
        )
    )


def acknowledge(
    session: Session, alert_id: int, *, user_id: int | None, now: datetime | None = None
) -> PrinterAlert:
    """Mark an alert as seen; acknowledging it again keeps the first acknowledgement."""
    alert = session.get(PrinterAlert, alert_id)
    if alert is None:
        raise NotFound(f"no printer alert {alert_id}")
    if alert.acknowledged_at is None:
        alert.acknowledged_at = now or utcnow()
        alert.acknowledged_by = user_id
    return alert


def failed_print(
    session: Session, site: Site, kiosk_id: str, ticket_number: str, since: datetime
) -> bool:
    """Whether a print of this ticket at this kiosk failed (recorded by any worker)."""
    return (
        session.scalar(
            select(PrinterAlert.id)
            .where(
                PrinterAlert.site_id == site.id,
                PrinterAlert.kiosk_id == kiosk_id,
                PrinterAlert.ticket_number == ticket_number,
                PrinterAlert.created_at >= since,
            )
            .limit(1)
        )
        is not None
    )


def present(site: Site, alert: PrinterAlert) -> dict[str, Any]:
    """An alert as staff pages see it."""
    kiosk = site.kiosk(alert.kiosk_id)
    return {
        "id": alert.id,
        "site": alert.site_id,
        "kiosk": {"id": alert.kiosk_id, "name": kiosk.name if kiosk else alert.kiosk_id},
        "ticket_number": alert.ticket_number,
        "message": alert.message,
        "cause": cause_of(alert.message),
        "created_at": alert.created_at.isoformat(),
        "acknowledged_at": alert.acknowledged_at.isoformat() if alert.acknowledged_at else None,
        "acknowledged_by": alert.acknowledged_by,
    }
