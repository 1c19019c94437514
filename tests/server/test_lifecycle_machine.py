"""A hypothesis state machine drives the ticket life cycle against a real SQLite file."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import settings as hsettings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from sqlalchemy import select

from server.config import load_settings
from server.db import Database, make_engine
from server.domain.errors import InvalidTransition
from server.domain.lifecycle import TRANSITIONS, Action, Status
from server.migrate import upgrade
from server.models import Ticket
from server.services import calling, issuing, lookup, moves
from tests.conftest import CONFIG

SITE = load_settings(CONFIG).sites[0]
COUNTERS = ["schalter-1", "schalter-2", "empfang-1", "raum-201"]
CONCERNS = ["fiktion", "sonstiges", "aufenthalt", "leistung-auszahlung"]
ACTIONS = [a for a in Action if a not in (Action.CALL, Action.TRANSFER)]


class TicketLifeCycle(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.tmp = tempfile.TemporaryDirectory()
        self.db = Database(make_engine(f"sqlite:///{Path(self.tmp.name) / 'm.db'}"))
        upgrade(self.db.engine)
        self.now = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
        self.expected: dict[int, str] = {}
        self.counter_of: dict[int, str] = {}

    def teardown(self) -> None:
        self.db.dispose()
        self.tmp.cleanup()

    def tick(self) -> datetime:
        self.now += timedelta(seconds=30)
        return self.now

    @rule(concern=st.sampled_from(CONCERNS), language=st.sampled_from(["de", "ar", "ckb"]))
    def issue(self, concern: str, language: str) -> None:
        with self.db.writing() as s:
            t = issuing.issue(s, SITE, concern_id=concern, language=language, now=self.tick())
            self.expected[t.id] = "waiting"

    @rule(counter=st.sampled_from(COUNTERS))
    def call_next(self, counter: str) -> None:
        with self.db.writing() as s:
            before = [
                t.id
                for t in lookup.counter_tickets(s, SITE, counter)
                if t.status in ("called", "serving")
            ]
            called = calling.next_call(s, SITE, counter, now=self.tick()).ticket
        for ticket_id in before:
            self.expected[ticket_id] = "done"
        if called is not None:
            assert self.expected[called.id] == "waiting", "offered a ticket that was not waiting"
            self.expected[called.id] = "called"
            self.counter_of[called.id] = counter

    @precondition(lambda self: self.expected)
    @rule(data=st.data(), action=st.sampled_from(ACTIONS))
    def act(self, data: st.DataObject, action: Action) -> None:
        ticket_id = data.draw(st.sampled_from(sorted(self.expected)))
        move = TRANSITIONS.get((Status(self.expected[ticket_id]), action))
        allowed = move[0] if move else None
        if action is Action.RESUME and allowed is not None:
            counter = self.counter_of[ticket_id]
            if any(
                self.expected[t] in ("called", "serving") and self.counter_of.get(t) == counter
                for t in self.expected
                if t != ticket_id
            ):
                allowed = None
        try:
            with self.db.writing() as s:
                moves.act(s, ticket_id, action, now=self.tick())
        except InvalidTransition:
            assert allowed is None, f"{action} refused from {self.expected[ticket_id]}"
            return
        assert allowed is not None, f"{action} allowed from {self.expected[ticket_id]}"
        self.expected[ticket_id] = allowed.value

    @precondition(lambda self: self.expected)
    @rule(data=st.data(), queue=st.sampled_from(["core-abh", "bo-abh", "reception"]))
    def transfer(self, data: st.DataObject, queue: str) -> None:
        ticket_id = data.draw(st.sampled_from(sorted(self.expected)))
        allowed = TRANSITIONS.get((Status(self.expected[ticket_id]), Action.TRANSFER))
        try:
            with self.db.writing() as s:
                moves.transfer(s, SITE, ticket_id, queue_id=queue, now=self.tick())
        except InvalidTransition:
            assert allowed is None
            return
        self.expected[ticket_id] = "waiting"
        self.counter_of.pop(ticket_id, None)

    @invariant()
    def database_matches_the_model(self) -> None:
        with self.db.reading() as s:
            rows = s.execute(
                select(Ticket.id, Ticket.status, Ticket.number, Ticket.counter_id)
            ).all()
        assert {r.id: r.status for r in rows} == self.expected
        numbers = [r.number for r in rows]
        assert len(numbers) == len(set(numbers))
        for counter in COUNTERS:
            active = [
                r for r in rows if r.counter_id == counter and r.status in ("called", "serving")
            ]
            assert len(active) <= 1, f"{counter} has two visitors at once"


TicketLifeCycle.TestCase.settings = hsettings(
    max_examples=40, stateful_step_count=30, deadline=None
)
test_ticket_life_cycle = TicketLifeCycle.TestCase
