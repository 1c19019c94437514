"""The audit call of the web layer: the acting user and address come from the request here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response, request
from flask_login import current_user
from sqlalchemy.orm import Session

from server.domain.audit import (
    AuditAction,
    Audited,
    appointment_target,
    ticket_action,
    ticket_target,
)
from server.runtime import runtime
from server.services import audit


def audit_staff(
    session: Session,
    action: Audited,
    target: str | None = None,
    *,
    site_id: str | None = None,
    actor: str | None = None,
) -> None:
    """Record what the logged-in staff member (or `actor`) just did, from this request."""
    name = actor or (current_user.username if current_user.is_authenticated else None)
    audit.record(session, name, action.value, target, request.remote_addr, site_id=site_id)


def audit_user_changes(session: Session, username: str, actions: list[AuditAction]) -> None:
    """Record what an admin changed on a user (one row per kind of change)."""
    for action in actions:
        audit_staff(session, action, f"user {username}")


def audit_csv_export(rows_of: Callable[[Session], list[dict[str, Any]]]) -> Response:
    """The audit rows as a CSV download; the export itself is audited in the same step."""
    with runtime().db.writing() as session:
        found = rows_of(session)
        audit_staff(session, AuditAction.EXPORT, f"audit csv {len(found)} rows")
    return Response(
        audit.to_csv(found),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="audit.csv"'},
    )


def audit_appointment(session: Session, action: AuditAction, appointment: Any) -> None:
    target = appointment_target(appointment.id, appointment.queue_id, appointment.start.isoformat())
    audit_staff(session, action, target, site_id=appointment.site_id)


def audit_ticket(session: Session, ticket: object, kind: str, detail: str | None = None) -> None:
    """Record a staff action on a ticket (one hook for every ticket view)."""
    action = ticket_action(kind)
    if action is None:
        return
    target = ticket_target(ticket.id, ticket.number, detail)  # type: ignore[attr-defined]
    audit_staff(session, action, target, site_id=ticket.site_id)  # type: ignore[attr-defined]
