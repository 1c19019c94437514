"""The one writer of the event log: every state change appends a row here."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from server.domain.lifecycle import EventKind
from server.models import Event, Ticket

_INSERT = insert(Event)


def append(
    session: Session,
    kind: EventKind,
    at: datetime,
    *,
    site_id: str,
    ticket_id: int | None = None,
    queue_id: str | None = None,
    counter_id: str | None = None,
    user_id: int | None = None,
    **data: object,
) -> None:
    """Append one state change, in the caller's transaction.

    A plain insert rather than an ORM object: nothing reads an event back in the
    transaction that writes it, and the unit of work would cost more than the insert.
    """
    row = {
        "site_id": site_id,
        "ticket_id": ticket_id,
        "kind": kind.value,
        "at": at,
        "queue_id": queue_id,
        "counter_id": counter_id,
        "user_id": user_id,
        "data": {k: v for k, v in data.items() if v is not None} or None,
    }
    session.connection().execute(_INSERT, row)


def of_ticket(
    session: Session,
    ticket: Ticket,
    kind: EventKind,
    at: datetime,
    *,
    user_id: int | None = None,
    **data: Any,
) -> None:
    """Append a move of `ticket`, at its site, queue and counter as they now stand."""
    where: dict[str, Any] = {
        "ticket_id": ticket.id,
        "queue_id": ticket.queue_id,
        "counter_id": ticket.counter_id,
    }
    append(session, kind, at, site_id=ticket.site_id, user_id=user_id, **where, **data)
