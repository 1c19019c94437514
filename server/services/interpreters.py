"""Interpreter needs and language demand: who waits for which language, who speaks it."""

from __future__ import annotations

from collections import Counter as Tally
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.config import Site
from server.domain import languages
from server.domain.lifecycle import TERMINAL
from server.models import CounterPresence, Ticket, User
from server.services import lookup, presence
from server.services.clock import utcnow


def mark_need(
    session: Session,
    ticket_id: int,
    language: str | None,
    *,
    now: datetime | None = None,
) -> Ticket:
    """Mark (or with None clear) that the visitor needs a clerk speaking `language`."""
    ticket = lookup.get_ticket(session, ticket_id)
    code = languages.canonical(language) if language is not None else None
    languages.check_need_settable(ticket.status, {s.value for s in TERMINAL})
    ticket.needs_language = code
    session.flush()
    return ticket


def open_clerks(session: Session, site: Site, now: datetime) -> list[dict[str, Any]]:
    """Each open counter: the queues it serves and the languages of the clerk who opened it."""
    counters = presence.open_counters(session, site, now)
    if not counters:
        return []
    rows = session.execute(
        select(CounterPresence.counter_id, User.languages)
        .outerjoin(User, User.id == CounterPresence.user_id)
        .where(CounterPresence.site_id == site.id)
    ).all()
    spoken = {counter_id: languages.parse_list(value) for counter_id, value in rows}
    return [
        {
            "counter": c.id,
            "queues": [w.queue for w in c.serves],
            "languages": spoken.get(c.id, []),
        }
        for c in counters
    ]


def _waiting(session: Session, site: Site, now: datetime) -> list[Ticket]:
    waiting = select(Ticket).where(lookup.waiting_today(site, now))
    return list(session.scalars(waiting.order_by(Ticket.arrived_at, Ticket.id)))


def language_overview(session: Session, site: Site, now: datetime | None = None) -> dict[str, Any]:
    """Per queue, who waits in which language against the open clerks who speak it.

    `unmet`: tickets needing a language nobody open at a counter of their queue speaks,
    the ones reception must act on at once.
    """
    now = now or utcnow()
    clerks = open_clerks(session, site, now)
    speakers = languages.speakers_by_queue((c["queues"], c["languages"]) for c in clerks)
    waiting = _waiting(session, site, now)
    queues = []
    for queue in site.queues:
        mine = [t for t in waiting if t.queue_id == queue.id]
        by_language = Tally(t.needs_language or t.language for t in mine)
        needs = Tally(t.needs_language for t in mine if t.needs_language)
        open_here = [c for c in clerks if queue.id in c["queues"]]
        codes = sorted(set(by_language) | speakers.get(queue.id, set()))
        queues.append(
            {
                "queue": queue.id,
                "open_counters": len(open_here),
                "languages": [
                    {
                        **languages.display_names(code),
                        "waiting": by_language.get(code, 0),
                        "needs_interpreter": needs.get(code, 0),
                        "open_clerks": sum(code in c["languages"] for c in open_here),
                    }
                    for code in codes
                ],
            }
        )
    unmet = [
        {
            "id": t.id,
            "number": t.number,
            "queue": t.queue_id,
            **languages.display_names(str(t.needs_language)),
            "waiting_seconds": max(int((now - t.arrived_at).total_seconds()), 0),
        }
        for t in waiting
        if t.needs_language and languages.need_unmet(t.queue_id, t.needs_language, speakers)
    ]
    return {"site": site.id, "now": now.isoformat(), "queues": queues, "unmet": unmet}
