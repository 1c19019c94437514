"""Issuing: a visitor gets a numbered ticket in the first queue of their concern."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ParamSpec

from sqlalchemy import insert
from sqlalchemy.orm import Session

from server.config import LANGUAGES, Site
from server.domain import policy, routing
from server.domain.errors import InvalidInput, NotFound, QueueClosed
from server.domain.idempotency import IssueRequest
from server.domain.lifecycle import EventKind, Status
from server.domain.numbering import format_number, service_day
from server.models import Appointment, Ticket, Visit
from server.services import events, idempotency, line, lookup, queues
from server.services.clock import utcnow

TOKEN_BYTES = 24  # 192 bits: the status page URL must not be guessable.
MAX_KEY_LENGTH = 80
# The id a ticket is ranked with before its insert gives it one: above every real id.
NOT_YET_INSERTED = 2**62
P = ParamSpec("P")
_VISIT_INSERT = insert(Visit)
_TICKET_INSERT = insert(Ticket).returning(Ticket.id)


def issue_told(
    session: Session,
    site: Site,
    *,
    concern_id: str | None,
    language: str,
    queue_id: str | None = None,
    kiosk_id: str | None = None,
    idempotency_key: str | None = None,
    priority_reason: str | None = None,
    appointment: Appointment | None = None,
    user_id: int | None = None,
    now: datetime | None = None,
) -> tuple[Ticket, int]:
    """Issue a ticket; with it, the position in line it was told (it keeps that position
    until this transaction ends: nobody else writes meanwhile).

    `now`: the arrival instant; by default it is taken once the number is, so that
    within a prefix a higher number never carries an earlier arrival (invariant 5).
    """
    if language not in LANGUAGES:
        raise InvalidInput(f"unknown language {language!r}; use one of {', '.join(LANGUAGES)}")
    concern_queue = None
    if concern_id is not None:
        concern = site.concern(concern_id)
        if concern is None:
            raise NotFound(f"unknown concern {concern_id!r}")
        concern_queue = concern.queue
    queue = site.queue(routing.first_queue(concern_queue, queue_id))
    if queue is None:
        raise NotFound(f"unknown queue {queue_id!r}")
    if kiosk_id is not None and site.kiosk(kiosk_id) is None:
        raise NotFound(f"unknown kiosk {kiosk_id!r}")
    if priority_reason is not None and priority_reason not in site.priority_reasons:
        raise InvalidInput(f"unknown priority reason {priority_reason!r}")
    if idempotency_key is not None and len(idempotency_key) > MAX_KEY_LENGTH:
        raise InvalidInput(f"the idempotency key is longer than {MAX_KEY_LENGTH} characters")
    day = service_day(now or utcnow(), site.timezone)
    if appointment is None:
        if queues.is_closed(session, site, queue.id, day):
            raise QueueClosed(f"queue {queue.id!r} takes no new tickets today")
        if queue.daily_capacity is not None:
            issued = queues.walk_ins_issued(session, site, queue.id, day)
            routing.check_capacity(queue.id, issued, queue.daily_capacity)
    sequence = queues.next_sequence(session, site.id, day, queue.prefix)
    arrived = now or utcnow()
    newcomer = policy.Candidate(
        ticket_id=NOT_YET_INSERTED,
        queue=queue.id,
        arrived_at=arrived,
        priority=priority_reason is not None,
        appointment_start=appointment.start if appointment else None,
    )
    # Statistics compare the wait told at issue with the wait the visitor had.
    position, told_wait = line.told_at_issue(session, site, newcomer, day, arrived)
    values = {
        "site_id": site.id,
        "service_day": day,
        "number": format_number(queue.prefix, sequence),
        "token": secrets.token_urlsafe(TOKEN_BYTES),
        "language": language,
        "concern_id": concern_id,
        "queue_id": queue.id,
        "status": Status.WAITING.value,
        "priority": priority_reason is not None,
        "priority_reason": priority_reason,
        "appointment_id": appointment.id if appointment else None,
        "kiosk_id": kiosk_id,
        "idempotency_key": idempotency_key,
        "arrived_at": arrived,
        "queued_at": arrived,
        "recalls": 0,
        "estimated_wait_minutes": told_wait,
    }
    # Plain inserts, not the unit of work: nothing in this transaction changes the new
    # ticket again, so tracking it would only cost a flush.
    connection = session.connection()
    ticket_id = connection.execute(_TICKET_INSERT, values).scalar_one()
    connection.execute(
        _VISIT_INSERT, {"ticket_id": ticket_id, "queue_id": queue.id, "queued_at": arrived}
    )
    # The answer is built from what was inserted: a ticket object the session does not
    # track (a later `session.get` in this transaction reads the row itself).
    first_stop = Visit(ticket_id=ticket_id, queue_id=queue.id, queued_at=arrived)
    ticket = Ticket(id=ticket_id, appointment=appointment, visits=[first_stop], **values)
    events.append(
        session,
        EventKind.ISSUED,
        arrived,
        site_id=site.id,
        ticket_id=ticket_id,
        queue_id=queue.id,
        user_id=user_id,
        kiosk=kiosk_id,
        priority_reason=priority_reason,
        appointment=appointment.id if appointment else None,
    )
    return ticket, position


def _ticket_only(told: Callable[P, tuple[Ticket, int]]) -> Callable[P, Ticket]:
    def issue(*args: P.args, **kwargs: P.kwargs) -> Ticket:
        """Give a visitor a numbered ticket (the arguments of issue_told)."""
        return told(*args, **kwargs)[0]

    return issue


issue = _ticket_only(issue_told)


@dataclass(frozen=True)
class Issued:
    ticket: Ticket
    replayed: bool  # the request was a retry: this is the ticket its first try got
    position: int | None = None  # a new ticket's place in line, as told at issue


def issue_once(
    session: Session, site: Site, *, idempotency_key: str | None, **request: Any
) -> Issued:
    """Issue, unless a retry of the same tap (same key) already got its ticket."""
    if idempotency_key is not None:
        try:
            earlier = lookup.ticket_by_idempotency_key(session, site, idempotency_key)
        except NotFound:
            pass
        else:
            # The key is bound to its request: reused with another body it is refused (422).
            appointment = request.get("appointment")
            asked = IssueRequest(
                request.get("concern_id"),
                request.get("kiosk_id"),
                request["language"],
                appointment.id if appointment else None,
            )
            return Issued(idempotency.check_retry(earlier, asked), True)
    ticket, position = issue_told(session, site, idempotency_key=idempotency_key, **request)
    return Issued(ticket, False, position)
