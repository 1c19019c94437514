"""Check that a retried request, found by its idempotency key, is the same request."""

from __future__ import annotations

from server.domain.idempotency import IssueRequest, ensure_same_request
from server.models import Ticket


def stored_request(ticket: Ticket) -> IssueRequest:
    return IssueRequest(
        concern_id=ticket.concern_id,
        kiosk_id=ticket.kiosk_id,
        language=ticket.language,
        appointment_id=ticket.appointment_id,
    )


def check_retry(ticket: Ticket, asked: IssueRequest) -> Ticket:
    """The ticket issued earlier for this key; KeyReused (422) if asked is another request."""
    ensure_same_request(stored_request(ticket), asked)
    return ticket
