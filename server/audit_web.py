"""The audit call of the web layer: the acting user and address come from the request here."""

from __future__ import annotations

from flask import request
from flask_login import current_user
from sqlalchemy.orm import Session

from server.domain.audit import AuditAction, ticket_target
from server.services import audit


def audit_staff(
    session: Session,
    action: AuditAction,
    target: str | None = None,
    *,
    site_id: str | None = None,
    actor: str | None = None,
) -> None:
    """Record what the logged-in staff member (or `actor`) just did, from this request."""
    name = actor or (current_user.username if current_user.is_authenticated else None)
    audit.record(session, name, action.value, target, request.remote_addr, site_id=site_id)


TICKET_KINDS = {
    "called": AuditAction.CALL,
    "recalled": AuditAction.RECALL,
    "started": AuditAction.START,
    "finished": AuditAction.FINISH,
    "no_show": AuditAction.NO_SHOW,
    "cancelled": AuditAction.CANCEL,
    "parked": AuditAction.PARK,
    "resumed": AuditAction.RESUME,
    "transferred": AuditAction.TRANSFER,
    "issued": AuditAction.ISSUE,
}


def audit_ticket(session: Session, ticket: object, kind: str, detail: str | None = None) -> None:
    """Record a staff action on a ticket (one hook for every ticket view)."""
    action = TICKET_KINDS.get(kind)
    if action is None:
        return
    target = ticket_target(ticket.id, ticket.number, detail)  # type: ignore[attr-defined]
    audit_staff(session, action, target, site_id=ticket.site_id)  # type: ignore[attr-defined]
