"""Languages and presence on a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from server.domain.errors import Conflict, InvalidInput
from server.domain.presence import CounterOnBreak, Presence
from server.models import Event, Ticket
from server.services import calling, displays, interpreters, issuing, lookup, presence, present
from server.services.users import add_user

NOW = datetime(2027, 2, 1, 9, 0, tzinfo=UTC)
QUEUE = "core-abh"  # served by raum-201 and raum-202 only


def clerk(database, name, languages):
    with database.writing() as s:
        return add_user(s, name, "passwort-1234", "clerk", languages=languages).id


def issue(database, site, language, minutes, queue=QUEUE):
    with database.writing() as s:
        ticket = issuing.issue(
            s,
            site,
            concern_id=None,
            queue_id=queue,
            language=language,
            now=NOW + timedelta(minutes=minutes),
        )
        return ticket.id, ticket.number


def call(database, site, counter, user_id, minutes):
    with database.writing() as s:
        ticket = calling.next_call(
            s, site, counter, user_id=user_id, now=NOW + timedelta(minutes=minutes)
        ).ticket
        return None if ticket is None else ticket.number


def test_a_clerk_speaking_arabic_gets_the_arabic_visitor_who_came_at_about_the_same_time(
    database, site
):
    arabic_clerk = clerk(database, "amal", "ar,en")
    german_clerk = clerk(database, "grete", "de")
    first = issue(database, site, "de", 0)[1]
    arabic = issue(database, site, "ar", 3)[1]
    second = issue(database, site, "de", 4)[1]
    assert call(database, site, "raum-201", arabic_clerk, 6) == arabic
    assert call(database, site, "raum-202", german_clerk, 6) == first
    with database.reading() as s:
        events = s.execute(
            select(Event.data).where(Event.kind == "called").order_by(Event.id)
        ).all()
        passed = s.scalar(select(Ticket.passed_over_at).where(Ticket.number == first))
    assert [bool(d and d.get("language_preference")) for (d,) in events] == [True, False]
    assert passed == NOW + timedelta(minutes=6)
    assert call(database, site, "raum-202", german_clerk, 8) == second


def test_a_german_only_clerk_never_gets_a_visitor_who_needs_arabic(database, site):
    german_clerk = clerk(database, "grete", "de")
    arabic_clerk = clerk(database, "amal", "ar")
    needs = [issue(database, site, "de", m) for m in range(9)]  # more than one head
    later = issue(database, site, "de", 20)[1]
    with database.writing() as s:
        for ticket_id, _number in needs:
            interpreters.mark_need(s, ticket_id, "ar")
    assert call(database, site, "raum-202", german_clerk, 30) == later
    assert call(database, site, "raum-202", german_clerk, 31) is None
    with database.reading() as s:
        overview = interpreters.language_overview(s, site, NOW + timedelta(minutes=31))
    # raum-202 is open with a German clerk only: all nine wait for Arabic, shown at once.
    assert [u["number"] for u in overview["unmet"]] == [n for _i, n in needs]
    assert overview["unmet"][0]["native"] == "العربية"
    assert call(database, site, "raum-201", arabic_clerk, 32) == needs[0][1]
    with database.reading() as s:
        overview = interpreters.language_overview(s, site, NOW + timedelta(minutes=32))
        core = next(q for q in overview["queues"] if q["queue"] == QUEUE)
    assert overview["unmet"] == []
    arabic = next(x for x in core["languages"] if x["code"] == "ar")
    assert (arabic["waiting"], arabic["needs_interpreter"], arabic["open_clerks"]) == (8, 8, 1)


def test_an_interpreter_mark_takes_known_codes_on_unfinished_tickets(database, site):
    ticket_id, _ = issue(database, site, "de", 0)
    with database.writing() as s, pytest.raises(InvalidInput):
        interpreters.mark_need(s, ticket_id, "xx")
    with database.writing() as s:
        assert interpreters.mark_need(s, ticket_id, "kmr").needs_language == "ku"
    call(database, site, "raum-201", clerk(database, "kurt", "ku"), 1)
    with database.writing() as s:
        lookup.get_ticket(s, ticket_id).status = "done"
    with database.writing() as s, pytest.raises(Conflict):
        interpreters.mark_need(s, ticket_id, "ar")


def _estimate(database, site, ticket_id, minutes):
    with database.reading() as s:
        ticket = lookup.get_ticket(s, ticket_id)
        return present.public_ticket(s, site, ticket, NOW + timedelta(minutes=minutes))


def test_closing_counters_raises_the_estimate(database, site):
    ids = [issue(database, site, "de", m / 10, queue="bo-abh")[0] for m in range(5)]
    with database.writing() as s:
        for counter in ("schalter-1", "schalter-2", "schalter-3", "schalter-6"):
            presence.set_state(s, site, counter, Presence.OPEN, user_id=None, now=NOW)
    all_open = _estimate(database, site, ids[-1], 1)
    with database.writing() as s:
        presence.set_state(s, site, "schalter-2", Presence.BREAK, user_id=None, now=NOW)
    one_on_break = _estimate(database, site, ids[-1], 1)
    with database.writing() as s:
        presence.set_state(s, site, "schalter-1", Presence.CLOSED, user_id=None, now=NOW)
    two_away = _estimate(database, site, ids[-1], 1)
    # 4 ahead, default 6 min: open counters count 0.75+0.75+0.25+0.25, then 1.25, then 0.5.
    assert [e["estimated_wait_minutes"] for e in (all_open, one_on_break, two_away)] == [
        12,
        20,
        48,
    ]
    assert all_open["position"] == one_on_break["position"] == 5
    with database.reading() as s:
        opened = [c.id for c in presence.open_counters(s, site, NOW)]
    assert opened == ["schalter-3", "schalter-6"]


def test_a_counter_on_break_gets_no_calls_and_keeps_its_parked_tickets(database, site):
    user = clerk(database, "bea", "de")
    issue(database, site, "de", 0)
    with database.writing() as s:
        presence.set_state(s, site, "raum-201", Presence.BREAK, user_id=user, now=NOW)
    with pytest.raises(CounterOnBreak):
        call(database, site, "raum-201", user, 1)
    with database.writing() as s:
        presence.set_state(s, site, "raum-201", Presence.OPEN, user_id=user, now=NOW)
    assert call(database, site, "raum-201", user, 2) is not None


def test_calling_at_a_closed_counter_opens_it_and_yesterdays_state_is_closed(database, site):
    user = clerk(database, "bea", "de")
    with database.writing() as s:
        presence.set_state(s, site, "raum-202", Presence.OPEN, user_id=user, now=NOW)
    call(database, site, "raum-201", user, 1)
    with database.reading() as s:
        today = presence.states(s, site, NOW + timedelta(minutes=2))
        tomorrow = presence.states(s, site, NOW + timedelta(days=1))
    assert today["raum-201"]["state"] == today["raum-202"]["state"] == "open"
    assert {v["state"] for v in tomorrow.values()} == {"closed"}
    with database.writing() as s:
        assert presence.close_for_user(s, user, NOW) == [site.id]
    with database.reading() as s:
        assert presence.open_counters(s, site, NOW + timedelta(minutes=3)) == []


def test_the_display_state_shows_no_language(database, site):
    arabic_clerk = clerk(database, "amal", "ar")
    ticket_id, number = issue(database, site, "ar", 0)
    with database.writing() as s:
        interpreters.mark_need(s, ticket_id, "ckb")
    clerk_ckb = clerk(database, "soran", "ckb,ar")
    issue(database, site, "ckb", 1)
    assert call(database, site, "raum-201", clerk_ckb, 2) == number
    with database.writing() as s:
        presence.set_state(s, site, "raum-202", Presence.BREAK, user_id=arabic_clerk, now=NOW)
    display = site.displays[0]
    with database.reading() as s:
        state = displays.display_state(s, site, display, NOW + timedelta(minutes=3))
    text = json.dumps(state, ensure_ascii=False)
    assert number in text
    for word in ("ckb", '"ar"', "language", "needs", "break", "presence", "Sorani", "open"):
        assert word not in text
