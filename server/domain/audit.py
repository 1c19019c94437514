"""What the audit trail records: one spelling per staff action, shared by rows, API and page."""

from __future__ import annotations

from enum import StrEnum

from server.domain.lifecycle import Action, EventKind, action_of


class AuditAction(StrEnum):
    """What staff do besides moving a ticket: a move is recorded by its lifecycle `Action`."""

    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOGOUT = "logout"
    USER_CREATED = "user_created"
    USER_CHANGED = "user_changed"
    PASSWORD_RESET = "password_reset"
    PASSWORD_CHANGED = "password_changed"
    USER_DEACTIVATED = "user_deactivated"
    USER_REACTIVATED = "user_reactivated"
    ISSUE = "issue"
    PRIORITY = "priority"
    INTERPRETER = "interpreter"
    APPOINTMENT_BOOKED = "appointment_booked"
    APPOINTMENT_CANCELLED = "appointment_cancelled"
    APPOINTMENT_MOVED = "appointment_moved"
    PRESENCE = "presence"
    QUEUE_STATE = "queue_state"
    EXPORT = "export"
    KIOSK_KEY = "kiosk_key"
    RETENTION_RUN = "retention_run"


# Everything the trail records, one spelling each.
Audited = AuditAction | Action
ACTIONS = frozenset(a.value for a in AuditAction) | frozenset(a.value for a in Action)


def ticket_action(kind: str) -> Audited | None:
    """The action that a ticket event of this kind records in the trail, if any."""
    if kind == EventKind.ISSUED:
        return AuditAction.ISSUE
    try:
        return action_of(EventKind(kind))
    except ValueError:
        return None


def appointment_target(appointment_id: int, queue_id: str, start_iso: str) -> str:
    """An appointment as the audit names it: id, queue and time, never its code or note."""
    return f"appointment {appointment_id} {queue_id} {start_iso}"


def ticket_target(ticket_id: int, number: str, detail: str | None = None) -> str:
    """A ticket as the audit names it: its row id and number, never its token or a note."""
    target = f"ticket {ticket_id} {number}"
    return f"{target} {detail}" if detail else target
