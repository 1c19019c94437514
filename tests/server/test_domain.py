"""The queueing rules, without app or database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from server.domain import estimate, policy
from server.domain.errors import InvalidTransition
from server.domain.lifecycle import (
    TRANSITIONS,
    Action,
    EventKind,
    Status,
    allowed_actions,
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


def _candidate(ticket_id, queue="q", minutes_ago=0, priority=False, appointment_in=None):
    return policy.Candidate(
        ticket_id=ticket_id,
        queue=queue,
        arrived_at=NOW - timedelta(minutes=minutes_ago),
        priority=priority,
        appointment_start=None
        if appointment_in is None
        else NOW + timedelta(minutes=appointment_in),
    )


PROFILE = {"q": policy.QueueWeight(1.0, 1200.0)}


def test_a_due_appointment_comes_before_older_walk_ins():
    walk_ins = [_candidate(i, minutes_ago=30 + i) for i in range(1, 4)]
    due = _candidate(9, minutes_ago=1, appointment_in=5)
    assert policy.rank([*walk_ins, due], PROFILE, NOW)[0].ticket_id == 9


def test_an_appointment_not_yet_due_waits_like_a_walk_in():
    walk_in = _candidate(1, minutes_ago=10)
    later = _candidate(2, minutes_ago=11, appointment_in=30)
    ranked = [c.ticket_id for c in policy.rank([walk_in, later], PROFILE, NOW)]
    assert ranked == [2, 1]  # it arrived earlier, so it is first anyway — but not preferred
    later_arrival = _candidate(3, minutes_ago=1, appointment_in=30)
    assert [c.ticket_id for c in policy.rank([walk_in, later_arrival], PROFILE, NOW)] == [1, 3]


def test_priority_tickets_come_before_longer_waits():
    ranked = policy.rank(
        [_candidate(1, minutes_ago=40), _candidate(2, minutes_ago=2, priority=True)], PROFILE, NOW
    )
    assert [c.ticket_id for c in ranked] == [2, 1]


def test_wait_is_weighted_by_the_queue_target_and_counter_weight():
    profile = {"fast": policy.QueueWeight(1.0, 600.0), "slow": policy.QueueWeight(1.0, 3600.0)}
    fast = _candidate(1, queue="fast", minutes_ago=8)  # 80 % of its target
    slow = _candidate(2, queue="slow", minutes_ago=20)  # 33 % of its target
    assert policy.rank([slow, fast], profile, NOW)[0].ticket_id == 1
    heavy = {"fast": policy.QueueWeight(1.0, 600.0), "slow": policy.QueueWeight(3.0, 3600.0)}
    assert policy.rank([slow, fast], heavy, NOW)[0].ticket_id == 2


def test_tickets_of_queues_outside_the_profile_are_never_offered():
    assert policy.rank([_candidate(1, queue="other")], PROFILE, NOW) == []


def test_estimated_wait_follows_the_documented_formula():
    assert estimate.estimated_wait_minutes(0, 10, 2) == 0
    assert estimate.estimated_wait_minutes(3, 10, 2) == 15
    assert estimate.estimated_wait_minutes(1, 7, 2) == 4  # rounded up
    assert estimate.mean_service_minutes([300, 300], 8.0) == 8.0  # too few samples
    assert estimate.mean_service_minutes([300, 600, 900], 8.0) == 10.0
