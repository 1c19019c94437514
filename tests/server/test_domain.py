"""The queueing rules, without app or database."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from server.domain import estimate
from server.domain.audit import ACTIONS, AuditAction, ticket_action
from server.domain.errors import InvalidTransition
from server.domain.lifecycle import (
    TRANSITIONS,
    Action,
    EventKind,
    Status,
    allowed_actions,
    event_of,
    next_status,
)
from server.domain.numbering import format_number, service_day

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_a_waiting_ticket_can_be_called_but_not_finished():
    assert next_status("waiting", Action.CALL) is Status.CALLED
    with pytest.raises(InvalidTransition, match="cannot finish a ticket that is waiting"):
        next_status("waiting", Action.FINISH)


def test_a_called_ticket_may_be_finished_without_being_started():
    assert next_status("called", Action.FINISH) is Status.DONE


@pytest.mark.parametrize("terminal", ["done", "no_show", "cancelled"])
def test_finished_tickets_allow_no_action(terminal):
    assert allowed_actions(terminal) == []
    for action in Action:
        with pytest.raises(InvalidTransition):
            next_status(terminal, action)


def test_every_transfer_puts_the_ticket_back_to_waiting():
    moves = {move for (old, action), move in TRANSITIONS.items() if action is Action.TRANSFER}
    assert moves == {(Status.WAITING, EventKind.TRANSFERRED)}


def test_numbers_reset_at_local_midnight_in_berlin():
    # 22:59 UTC on 23 Nov is 23:59 in Berlin (CET); 23:00 UTC is already 24 Nov there.
    assert service_day(datetime(2026, 11, 23, 22, 59, tzinfo=UTC)).isoformat() == "2026-11-23"
    assert service_day(datetime(2026, 11, 23, 23, 0, tzinfo=UTC)).isoformat() == "2026-11-24"
    # Summer time: midnight in Berlin is 22:00 UTC.
    assert service_day(datetime(2026, 7, 1, 22, 0, tzinfo=UTC)).isoformat() == "2026-07-02"


def test_service_day_refuses_naive_times():
    with pytest.raises(ValueError):
        service_day(datetime(2026, 11, 23, 9, 0))


def test_numbers_have_a_zone_prefix_and_three_digits():
    assert format_number("B", 42) == "B-042"
    assert format_number("C", 1234) == "C-1234"


def test_estimated_wait_follows_the_documented_formula():
    assert estimate.estimated_wait_minutes(0, 10, 2) == 0
    assert estimate.estimated_wait_minutes(3, 10, 2) == 15
    assert estimate.estimated_wait_minutes(1, 7, 2) == 4  # rounded up
    assert estimate.mean_service_minutes([300, 300], 8.0) == 8.0  # too few samples
    assert estimate.mean_service_minutes([300, 600, 900], 8.0) == 10.0


@pytest.mark.parametrize("action", list(Action))
def test_a_ticket_move_is_audited_by_the_action_that_made_it(action):
    assert ticket_action(event_of(action)) is action


def test_issuing_is_audited_and_a_queue_event_is_not_a_ticket_action():
    assert ticket_action(EventKind.ISSUED) is AuditAction.ISSUE
    assert ticket_action(EventKind.QUEUE_CLOSED) is None
    assert ticket_action("no such kind") is None


def test_the_audit_trail_spells_each_action_once():
    staff_only = {a.value for a in AuditAction}
    moves = {a.value for a in Action}
    assert not staff_only & moves
    assert staff_only | moves == ACTIONS
