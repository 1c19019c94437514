"""Finding tickets: by id, by the visitor's token, by a kiosk's retry key, at a counter."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import Session, joinedload

from server.config import Site
from server.domain.errors import NotFound
from server.domain.lifecycle import AT_COUNTER, Status
from server.domain.numbering import service_day
from server.models import Ticket
from server.services.clock import utcnow


def waiting_today(site: Site, now: datetime) -> ColumnElement[bool]:
    """Which tickets wait at this site on the service day of `now` (a WHERE condition)."""
    return and_(
        Ticket.site_id == site.id,
        Ticket.service_day == service_day(now, site.timezone),
        Ticket.status == Status.WAITING.value,
    )


def get_ticket(
    session: Session, ticket_id: int, *, site: Site | None = None, stops: bool = False
) -> Ticket:
    """The ticket with this id; NotFound also when it belongs to another site.

    `stops`: read its stops in the same statement (a move writes to the open one).
    """
    options = (joinedload(Ticket.visits),) if stops else ()
    ticket = session.get(Ticket, ticket_id, options=options)
    if ticket is None or (site is not None and ticket.site_id != site.id):
        raise NotFound(f"no ticket {ticket_id}")
    return ticket


def ticket_by_token(session: Session, token: str) -> Ticket:
    ticket = session.scalars(select(Ticket).where(Ticket.token == token)).first()
    if ticket is None:
        raise NotFound("no ticket with this token")
    return ticket


def ticket_by_idempotency_key(session: Session, site: Site, key: str) -> Ticket:
    ticket = session.scalars(
        select(Ticket).where(Ticket.site_id == site.id, Ticket.idempotency_key == key)
    ).first()
    if ticket is None:
        raise NotFound("no ticket for this request")
    return ticket


def at_counter(site_id: Any, counter_id: Any) -> ColumnElement[bool]:
    """Which tickets are at a counter now: called, serving or parked (a WHERE condition;
    the ids may be values or bound parameters)."""
    return and_(
        Ticket.site_id == site_id,
        Ticket.counter_id == counter_id,
        Ticket.status.in_([s.value for s in AT_COUNTER]),
    )


def counter_tickets(session: Session, site: Site, counter_id: str) -> list[Ticket]:
    """Tickets currently at a counter (called, serving or parked), first called first."""
    return list(
        session.scalars(
            select(Ticket).where(at_counter(site.id, counter_id)).order_by(Ticket.called_at)
        )
    )


def language_of_number(session: Session, site: Site, number: str) -> str | None:
    """The language of today's ticket with this number (numbers are unique per day)."""
    day = service_day(utcnow(), site.timezone)
    return session.scalar(
        select(Ticket.language).where(
            Ticket.site_id == site.id, Ticket.service_day == day, Ticket.number == number
        )
    )
