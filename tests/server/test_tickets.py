"""Ticket verbs on a real database, SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from server.domain.errors import (
    CapacityExhausted,
    InvalidInput,
    InvalidTransition,
    NotFound,
    QueueClosed,
)
from server.domain.lifecycle import Action
from server.domain.presence import Presence
from server.models import Event
from server.services import calling, issuing, lookup, moves, presence, present, queues

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def issue(db, site, concern="fiktion", at=NOW, **kwargs):
    with db.writing() as s:
        t = issuing.issue(s, site, concern_id=concern, language="ar", now=at, **kwargs)
        return t.id, t.number


def test_numbers_count_up_per_zone_and_reset_the_next_local_day(database, site):
    assert issue(database, site, "fiktion")[1] == "B-001"
    assert issue(database, site, "adresse")[1] == "B-002"  # same zone, other queue
    assert issue(database, site, "aufenthalt")[1] == "C-001"
    # 23:30 UTC is already the next day in Berlin.
    assert (
        issue(database, site, "fiktion", at=datetime(2026, 11, 23, 23, 30, tzinfo=UTC))[1]
        == "B-001"
    )


def test_call_next_takes_the_longest_waiting_and_never_the_same_twice(database, site):
    first = issue(database, site, at=NOW)[0]
    second = issue(database, site, at=NOW + timedelta(minutes=1))[0]
    with database.writing() as s:
        called = calling.next_call(s, site, "schalter-1", now=NOW + timedelta(minutes=5)).ticket
        assert called is not None and called.id == first
    with database.writing() as s:
        other = calling.next_call(s, site, "schalter-2", now=NOW + timedelta(minutes=5)).ticket
        assert other is not None and other.id == second
    with database.writing() as s:
        assert (
            calling.next_call(s, site, "schalter-3", now=NOW + timedelta(minutes=5)).ticket is None
        )


def test_pressing_next_finishes_the_previous_visitor(database, site):
    first = issue(database, site)[0]
    issue(database, site, at=NOW + timedelta(seconds=1))
    with database.writing() as s:
        calling.next_call(s, site, "schalter-1", now=NOW)
    with database.writing() as s:
        calling.next_call(s, site, "schalter-1", now=NOW + timedelta(minutes=3))
    with database.reading() as s:
        assert lookup.get_ticket(s, first).status == "done"


def test_a_transfer_keeps_number_language_and_arrival(database, site):
    ticket_id, number = issue(database, site, "sonstiges")
    with database.writing() as s:
        calling.next_call(s, site, "empfang-1", now=NOW + timedelta(minutes=2))
    with database.writing() as s:
        moved = moves.transfer(
            s,
            site,
            ticket_id,
            queue_id="core-abh",
            note="needs Arabic",
            now=NOW + timedelta(minutes=4),
        )
        assert (moved.number, moved.language, moved.status) == (number, "ar", "waiting")
        assert moved.arrived_at == NOW
    later = issue(database, site, "aufenthalt", at=NOW + timedelta(minutes=3))[0]
    with database.writing() as s:
        called = calling.next_call(s, site, "raum-201", now=NOW + timedelta(minutes=6)).ticket
        assert called is not None and called.id == ticket_id  # not behind the later walk-in
        staff = present.staff_ticket(s, site, called)
    assert [stop["outcome"] for stop in staff["stops"]] == ["transferred", None]
    assert staff["note"] == "needs Arabic"
    assert later != ticket_id


def test_a_transfer_to_a_counter_is_only_called_there(database, site):
    ticket_id, _ = issue(database, site)
    with database.writing() as s:
        calling.next_call(s, site, "schalter-1", now=NOW)
        moves.transfer(s, site, ticket_id, counter_id="schalter-2", now=NOW)
    with database.writing() as s:
        assert calling.next_call(s, site, "schalter-1", now=NOW).ticket is None
    with database.writing() as s:
        called = calling.next_call(s, site, "schalter-2", now=NOW).ticket
        assert called is not None and called.id == ticket_id


def test_impossible_moves_raise_and_change_nothing(database, site):
    ticket_id, _ = issue(database, site)
    with pytest.raises(InvalidTransition), database.writing() as s:
        moves.act(s, ticket_id, Action.FINISH, now=NOW)
    with database.reading() as s:
        assert lookup.get_ticket(s, ticket_id).status == "waiting"
        kinds = s.scalars(select(Event.kind).where(Event.ticket_id == ticket_id)).all()
    assert kinds == ["issued"]


def test_every_state_change_appends_an_event(database, site):
    ticket_id, _ = issue(database, site)
    with database.writing() as s:
        calling.next_call(s, site, "schalter-1", now=NOW, user_id=None)
    for action in (Action.RECALL, Action.START, Action.PARK, Action.RESUME, Action.FINISH):
        with database.writing() as s:
            moves.act(s, ticket_id, action, now=NOW)
    with database.reading() as s:
        kinds = s.scalars(
            select(Event.kind).where(Event.ticket_id == ticket_id).order_by(Event.id)
        ).all()
    assert kinds == ["issued", "called", "recalled", "started", "parked", "resumed", "finished"]


def test_a_closed_queue_and_an_exhausted_capacity_refuse_new_tickets(database, site):
    with database.writing() as s:
        queues.set_closed(s, site, "bo-abh", True, now=NOW)
    with pytest.raises(QueueClosed):
        issue(database, site, "fiktion")
    limited = site.model_copy(
        update={
            "queues": [
                q.model_copy(update={"daily_capacity": 1}) if q.id == "bo-jobcenter" else q
                for q in site.queues
            ]
        }
    )
    issue(database, limited, "jobcenter-unterlagen")
    with pytest.raises(CapacityExhausted):
        issue(database, limited, "jobcenter-unterlagen")


def test_bad_input_is_refused(database, site):
    with pytest.raises(NotFound):
        issue(database, site, "no-such-concern")
    with pytest.raises(InvalidInput), database.writing() as s:
        issuing.issue(s, site, concern_id="fiktion", language="fr", now=NOW)
    with pytest.raises(NotFound), database.writing() as s:
        calling.next_call(s, site, "no-such-counter", now=NOW)
    with pytest.raises(InvalidInput), database.writing() as s:
        calling.next_call(s, site, "schalter-1", queue_id="core-abh", now=NOW)


def test_an_idempotency_key_returns_the_same_ticket(database, site):
    def tap():
        with database.writing() as s:
            issued = issuing.issue_once(
                s, site, concern_id="fiktion", language="ar", idempotency_key="tap-1", now=NOW
            )
            return issued.ticket.id, issued.ticket.number, issued.replayed

    first, second = tap(), tap()
    assert first[:2] == second[:2]
    assert (first[2], second[2]) == (False, True)


def test_position_and_wait_estimate(database, site):
    ids = [issue(database, site, "fiktion", at=NOW + timedelta(seconds=i))[0] for i in range(4)]
    with database.writing() as s:  # only open counters count in the estimate
        for counter in ("schalter-1", "schalter-2", "schalter-3", "schalter-6"):
            presence.set_state(s, site, counter, Presence.OPEN, user_id=None, now=NOW)
    with database.reading() as s:
        last = present.public_ticket(
            s, site, lookup.get_ticket(s, ids[-1]), now=NOW + timedelta(minutes=1)
        )
    # 3 ahead, default 6 min each, bo-abh served by schalter-1/2 at 3/4 and 3,6 at 1/4:
    # effective counters 0.75 + 0.75 + 0.25 + 0.25 = 2 -> ceil(3 * 6 / 2) = 9.
    assert (last["position"], last["estimated_wait_minutes"]) == (4, 9)


def test_a_parked_visitor_is_resumed_only_when_the_counter_is_free(database, site):
    parked_id, _ = issue(database, site)
    issue(database, site, at=NOW + timedelta(seconds=1))
    with database.writing() as s:
        calling.next_call(s, site, "schalter-1", now=NOW)
        moves.act(s, parked_id, Action.PARK, now=NOW)
    with database.writing() as s:
        calling.next_call(s, site, "schalter-1", now=NOW)
    with pytest.raises(InvalidTransition, match="finish or park"), database.writing() as s:
        moves.act(s, parked_id, Action.RESUME, now=NOW)
    with database.writing() as s:
        calling.next_call(s, site, "schalter-1", now=NOW)  # finishes the other visitor
        assert moves.act(s, parked_id, Action.RESUME, now=NOW).status == "called"
