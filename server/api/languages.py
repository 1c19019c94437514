"""Languages and presence: counter presence, interpreter needs, language demand and audit."""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from server.api import answers as a
from server.api import bp
from server.api import schemas as s
from server.api.helpers import hub, runtime
from server.api.operations import operation
from server.api.statistics import days_asked
from server.auth import staff_required
from server.services import interpreters, language_stats, presence, present
from server.services.clock import utcnow


@bp.post("/counters/<counter_id>/presence")
@staff_required()
@operation("Open a counter, take a break, close it", {200: a.PresenceState}, body=s.PresenceChange)
def set_presence(counter_id: str, body: s.PresenceChange) -> Any:
    """Open, break or closed; staff act only at counters of a site they work at."""
    site, _counter = runtime().find("counter", counter_id)
    state = body.state
    with runtime().db.writing() as session:
        answer = presence.set_state(
            session,
            site,
            counter_id,
            state,
            user_id=current_user.id,
            user_sites=current_user.sites or None,  # none given: every site
        )
    # Estimates change with the open counters: staff pages and phones read them again.
    hub().staff_notice(site, "languages", {"presence": answer})
    hub().aggregates_changed(site)
    return answer


@bp.get("/sites/<site_id>/presence")
@staff_required()
@operation("Each counter's presence", {200: [a.PresenceState]})
def presence_states(site_id: str) -> Any:
    site = runtime().site(site_id)
    with runtime().db.reading() as session:
        return list(presence.states(session, site, utcnow()).values())


@bp.post("/tickets/<int:ticket_id>/interpreter")
@staff_required("reception")
@operation("Mark the language a visitor needs", {200: a.StaffTicket}, body=s.InterpreterNeed)
def mark_interpreter(ticket_id: int, body: s.InterpreterNeed) -> Any:
    """The visitor needs a clerk speaking this language (null clears the mark)."""
    with runtime().db.writing() as session:
        ticket = interpreters.mark_need(session, ticket_id, body.language)
        site = runtime().site(ticket.site_id)
        answer = present.staff_ticket(session, site, ticket)
    hub().staff_notice(
        site, "languages", {"ticket": ticket_id, "needs_language": answer["needs_language"]}
    )
    return answer


@bp.get("/sites/<site_id>/languages")
@staff_required()
@operation("Waiting by language against open clerks", {200: a.LanguageOverview})
def language_overview(site_id: str) -> Any:
    """Per queue: waiting by language against open clerks speaking it; unmet needs."""
    site = runtime().site(site_id)
    with runtime().db.reading() as session:
        return interpreters.language_overview(session, site)


@bp.get("/sites/<site_id>/statistics/languages")
@staff_required("supervisor")
@operation("Language demand and fairness", {200: a.LanguageStatistics}, query=s.DaysQuery)
def language_statistics(site_id: str, query: s.DaysQuery) -> Any:
    """Language demand per hour and the fairness audit, over days."""
    site = runtime().site(site_id)
    first, last = days_asked(site, query)
    with runtime().db.reading() as session:
        return language_stats.language_statistics(session, site, first, last)


def close_counters_of(user_id: int) -> None:
    """Logging out closes the counters this user opened (called by both logout views)."""
    with runtime().db.writing() as session:
        site_ids = presence.close_for_user(session, user_id)
    for site_id in site_ids:
        site = runtime().site(site_id)
        hub().staff_notice(site, "languages", {"closed_by_logout": True})
        hub().aggregates_changed(site)
