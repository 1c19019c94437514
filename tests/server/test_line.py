"""The one order of the waiting line, without app or database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from server.domain import policy, routing
from server.domain.errors import CapacityExhausted, InvalidInput, InvalidTransition
from server.domain.lifecycle import (
    Action,
    EventKind,
    check_counter_free,
    event_of,
    finished_by_next,
    move,
)

NOW = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)


def ticket(
    ticket_id,
    queue="q",
    minutes_ago=0.0,
    priority=False,
    appointment_in=None,
    language=None,
    needs=None,
):
    return policy.Candidate(
        ticket_id=ticket_id,
        queue=queue,
        arrived_at=NOW - timedelta(minutes=minutes_ago),
        priority=priority,
        appointment_start=None
        if appointment_in is None
        else NOW + timedelta(minutes=appointment_in),
        language=language,
        needs_language=needs,
    )


PROFILE = {"q": policy.QueueWeight(1.0, 1200.0)}


def test_a_due_appointment_comes_before_older_walk_ins():
    walk_ins = [ticket(i, minutes_ago=30 + i) for i in range(1, 4)]
    due = ticket(9, minutes_ago=1, appointment_in=5)
    assert policy.rank([*walk_ins, due], PROFILE, NOW)[0].ticket_id == 9


def test_an_appointment_not_yet_due_waits_like_a_walk_in():
    walk_in = ticket(1, minutes_ago=10)
    later = ticket(2, minutes_ago=11, appointment_in=30)
    ranked = [c.ticket_id for c in policy.rank([walk_in, later], PROFILE, NOW)]
    assert ranked == [2, 1]  # it arrived earlier, so it is first anyway — but not preferred
    later_arrival = ticket(3, minutes_ago=1, appointment_in=30)
    assert [c.ticket_id for c in policy.rank([walk_in, later_arrival], PROFILE, NOW)] == [1, 3]


def test_priority_tickets_come_before_longer_waits():
    ranked = policy.rank(
        [ticket(1, minutes_ago=40), ticket(2, minutes_ago=2, priority=True)], PROFILE, NOW
    )
    assert [c.ticket_id for c in ranked] == [2, 1]


def test_wait_is_weighted_by_the_queue_target_and_counter_weight():
    profile = {"fast": policy.QueueWeight(1.0, 600.0), "slow": policy.QueueWeight(1.0, 3600.0)}
    fast = ticket(1, queue="fast", minutes_ago=8)  # 80 % of its target
    slow = ticket(2, queue="slow", minutes_ago=20)  # 33 % of its target
    assert policy.rank([slow, fast], profile, NOW)[0].ticket_id == 1
    heavy = {"fast": policy.QueueWeight(1.0, 600.0), "slow": policy.QueueWeight(3.0, 3600.0)}
    assert policy.rank([slow, fast], heavy, NOW)[0].ticket_id == 2


def test_tickets_of_queues_outside_the_profile_are_never_offered():
    assert policy.rank([ticket(1, queue="other")], PROFILE, NOW) == []


def test_the_line_puts_due_appointments_then_priorities_then_arrivals():
    walk_in = ticket(1, minutes_ago=30)
    later_walk_in = ticket(2, minutes_ago=20)
    priority = ticket(3, minutes_ago=5, priority=True)
    due = ticket(4, minutes_ago=1, appointment_in=5)
    not_yet_due = ticket(5, minutes_ago=25, appointment_in=60)
    order = policy.line([walk_in, later_walk_in, priority, due, not_yet_due], NOW)
    assert [c.ticket_id for c in order] == [4, 3, 1, 5, 2]


def test_an_appointment_is_due_ten_minutes_before_its_start():
    start = NOW + timedelta(minutes=10)
    assert policy.appointment_due(start, NOW)
    assert not policy.appointment_due(start + timedelta(seconds=1), NOW)
    assert not policy.appointment_due(None, NOW)


def test_a_new_walk_in_stands_at_the_back_but_a_new_priority_does_not():
    assert policy.last_in_line(ticket(9), NOW, newest=True)
    assert not policy.last_in_line(ticket(9, priority=True), NOW, newest=True)
    assert not policy.last_in_line(ticket(9, appointment_in=0), NOW, newest=True)
    assert not policy.last_in_line(ticket(9), NOW, newest=False)


def test_pressing_next_finishes_the_visitor_in_front_but_not_a_parked_one():
    assert finished_by_next("called") and finished_by_next("serving")
    assert not finished_by_next("parked") and not finished_by_next("waiting")


def test_resume_needs_a_free_counter():
    check_counter_free(["parked", "parked"])
    with pytest.raises(InvalidTransition, match="finish or park"):
        check_counter_free(["serving"])


def test_every_action_records_the_event_the_table_names():
    assert move("called", Action.NO_SHOW) == ("no_show", EventKind.NO_SHOW)
    assert event_of(Action.FINISH) is EventKind.FINISHED
    assert event_of(Action.RESUME) is EventKind.RESUMED


def test_a_counter_transfer_lands_in_the_queue_it_weighs_most():
    assert routing.queue_of_counter([("a", 1.0), ("b", 3.0), ("c", 3.0)]) == "b"
    with pytest.raises(InvalidInput):
        routing.queue_of_counter([])


def test_the_first_queue_is_the_chosen_one_or_the_concerns():
    assert routing.first_queue("from-concern", None) == "from-concern"
    assert routing.first_queue("from-concern", "chosen") == "chosen"
    with pytest.raises(InvalidInput):
        routing.first_queue(None, None)


def test_daily_capacity_refuses_the_ticket_after_the_last():
    routing.check_capacity("q", 199, 200)
    routing.check_capacity("q", 10_000, None)
    with pytest.raises(CapacityExhausted):
        routing.check_capacity("q", 200, 200)


# A waiting ticket: minutes ago it arrived, priority, appointment start relative to now.
tickets_strategy = st.lists(
    st.tuples(
        st.sampled_from(["a", "b"]),
        st.integers(min_value=0, max_value=120),
        st.booleans(),
        st.one_of(st.none(), st.integers(min_value=-30, max_value=90)),
    ),
    min_size=1,
    max_size=25,
)


def _candidates(drawn):
    return [
        ticket(i, queue=q, minutes_ago=m, priority=p, appointment_in=a)
        for i, (q, m, p, a) in enumerate(drawn, start=1)
    ]


@given(tickets_strategy)
def test_the_position_told_is_the_order_a_single_queue_counter_calls(drawn):
    candidates = [c for c in _candidates(drawn) if c.queue == "a"]
    profile = {"a": policy.QueueWeight(1.0, 1200.0)}
    called = policy.rank(candidates, profile, NOW)
    for index, c in enumerate(called, start=1):
        assert policy.position(c, candidates, NOW) == index


@given(
    tickets_strategy,
    st.floats(min_value=0.1, max_value=5),
    st.floats(min_value=0.1, max_value=5),
    st.integers(min_value=5, max_value=60),
)
def test_a_counter_of_several_queues_never_reorders_a_queue(drawn, weight_a, weight_b, target):
    candidates = _candidates(drawn)
    profile = {
        "a": policy.QueueWeight(weight_a, target * 60.0),
        "b": policy.QueueWeight(weight_b, 20 * 60.0),
    }
    called = policy.rank(candidates, profile, NOW)
    assert sorted(c.ticket_id for c in called) == sorted(c.ticket_id for c in candidates)
    for queue in ("a", "b"):
        mine = [c for c in called if c.queue == queue]
        assert mine == policy.line([c for c in candidates if c.queue == queue], NOW)


@given(tickets_strategy)
def test_a_higher_number_overtakes_a_lower_only_for_a_reason(drawn):
    # Ids stand for numbers: issued in arrival order.
    candidates = sorted(_candidates(drawn), key=lambda c: c.arrived_at)
    numbered = [
        policy.Candidate(n, c.queue, c.arrived_at, c.priority, c.appointment_start)
        for n, c in enumerate(candidates, start=1)
    ]
    order = policy.line([c for c in numbered if c.queue == "a"], NOW)
    for earlier, later in zip(order, order[1:], strict=False):
        if later.ticket_id < earlier.ticket_id:
            assert policy.jumps_the_line(earlier, NOW)


# ---------------------------------------------------------------- languages

WINDOW = timedelta(minutes=10)


def speaker(*codes):
    return policy.Clerk(frozenset(codes), WINDOW)


def spoken(ticket_id, language, minutes_ago, **kwargs):
    return ticket(ticket_id, minutes_ago=minutes_ago, language=language, **kwargs)


def test_an_arabic_clerk_gets_the_arabic_visitor_who_came_at_about_the_same_time():
    german = spoken(1, "de", minutes_ago=12)
    arabic = spoken(2, "ar", minutes_ago=9)
    order = policy.call_order([german, arabic], PROFILE, NOW, speaker("ar", "en"))
    assert order.order[0] is arabic and order.preferred is arabic
    assert order.passed == (german,)
    # A German clerk calls in the plain order.
    assert policy.call_order([german, arabic], PROFILE, NOW, speaker("de")).order[0] is german


def test_language_does_not_pass_a_visitor_who_came_more_than_the_window_earlier():
    german = spoken(1, "de", minutes_ago=30)
    arabic = spoken(2, "ar", minutes_ago=5)
    order = policy.call_order([german, arabic], PROFILE, NOW, speaker("ar"))
    assert order.order[0] is german and order.preferred is None


def test_language_never_passes_a_priority_or_a_due_appointment():
    priority = spoken(1, "de", minutes_ago=3, priority=True)
    due = spoken(2, "de", minutes_ago=1, appointment_in=5)
    arabic = spoken(3, "ar", minutes_ago=4)
    order = policy.call_order([priority, due, arabic], PROFILE, NOW, speaker("ar"))
    assert [c.ticket_id for c in order.order] == [2, 1, 3]


def test_a_ticket_passed_over_for_a_whole_window_is_called_in_its_turn():
    german = policy.Candidate(
        1, "q", NOW - timedelta(minutes=12), language="de", passed_over_at=NOW - WINDOW
    )
    arabic = spoken(2, "ar", minutes_ago=9)
    assert policy.call_order([german, arabic], PROFILE, NOW, speaker("ar")).order[0] is german


def test_a_visitor_who_needs_arabic_is_never_called_by_a_german_only_clerk():
    needs = spoken(1, "de", minutes_ago=40, needs="ar")
    other = spoken(2, "de", minutes_ago=1)
    for clerk in (speaker("de"), speaker(), None):
        order = policy.call_order([needs, other], PROFILE, NOW, clerk)
        assert [c.ticket_id for c in order.order] == [2]
    assert policy.call_order([needs, other], PROFILE, NOW, speaker("ar")).order[0] is needs


languages_strategy = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=6),  # minutes after the previous arrival
        st.sampled_from(["de", "ar", "ku", "ckb", "en"]),
        st.booleans(),  # priority (rare in real life; here often, to test precedence)
    ),
    min_size=1,
    max_size=30,
)
clerks_strategy = st.lists(
    st.frozensets(st.sampled_from(["de", "ar", "ku", "ckb", "en"]), max_size=3),
    min_size=1,
    max_size=3,
)


@given(languages_strategy, clerks_strategy, st.integers(min_value=1, max_value=8))
def test_language_preference_never_passes_a_ticket_over_for_longer_than_the_window(
    arrivals, clerks, call_every
):
    """Counters call in turn every few minutes while visitors arrive; replay it all.

    Every time a call goes past a ticket for language, that is within the window after
    the first time it did, and the preferred ticket came at most the window later.
    """
    start = NOW - timedelta(hours=2)
    pending, at = [], start
    for n, (gap, language, priority) in enumerate(arrivals, start=1):
        at += timedelta(minutes=gap)
        pending.append(policy.Candidate(n, "q", at, priority and n % 4 == 0, language=language))
    waiting: dict[int, policy.Candidate] = {}
    first_passed: dict[int, datetime] = {}
    clock, turn = start, 0
    while pending or waiting:
        while pending and pending[0].arrived_at <= clock:
            c = pending.pop(0)
            waiting[c.ticket_id] = c
        clerk = policy.Clerk(clerks[turn % len(clerks)], WINDOW)
        turn += 1
        order = policy.call_order(waiting.values(), PROFILE, clock, clerk)
        if order.order:
            chosen = order.order[0]
            if order.preferred is not None:
                assert chosen is order.preferred
                assert not policy.jumps_the_line(order.passed[0], clock)
                for passed in order.passed:
                    since = first_passed.setdefault(passed.ticket_id, clock)
                    assert clock - since < WINDOW
                    assert chosen.arrived_at - passed.arrived_at <= WINDOW
                    waiting[passed.ticket_id] = policy.Candidate(
                        passed.ticket_id,
                        passed.queue,
                        passed.arrived_at,
                        passed.priority,
                        language=passed.language,
                        passed_over_at=since,
                    )
            else:
                assert order.order == policy.rank(waiting.values(), PROFILE, clock)
            del waiting[chosen.ticket_id]
        clock += timedelta(minutes=call_every)


@given(tickets_strategy, st.sampled_from([None, frozenset()]))
def test_a_counter_without_languages_calls_in_the_plain_line(drawn, languages):
    candidates = _candidates(drawn)
    profile = {"a": policy.QueueWeight(1.0, 1200.0), "b": policy.QueueWeight(2.0, 600.0)}
    clerk = None if languages is None else policy.Clerk(languages, WINDOW)
    order = policy.call_order(candidates, profile, NOW, clerk)
    assert order.order == policy.rank(candidates, profile, NOW)
    assert order.preferred is None


@given(
    tickets_strategy,
    st.lists(st.sampled_from(["de", "ar", "ku"]), min_size=25, max_size=25),
    st.frozensets(st.sampled_from(["de", "ar", "ku"])),
)
def test_language_moves_one_ticket_forward_and_keeps_the_rest_of_the_line(drawn, langs, speaks):
    base = _candidates(drawn)
    candidates = [
        policy.Candidate(
            c.ticket_id, c.queue, c.arrived_at, c.priority, c.appointment_start, language=lang
        )
        for c, lang in zip(base, langs, strict=False)
    ]
    profile = {"a": policy.QueueWeight(1.0, 1200.0), "b": policy.QueueWeight(2.0, 600.0)}
    plain = policy.rank(candidates, profile, NOW)
    order = policy.call_order(candidates, profile, NOW, policy.Clerk(speaks, WINDOW))
    assert order.order[1:] == [c for c in plain if c is not order.order[0]]
    if order.preferred is not None:
        assert order.preferred.language in speaks
        assert list(order.passed) == plain[: len(order.passed)]
