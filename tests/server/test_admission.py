"""Sockets that have not joined a namespace: the cap and the deadline (no database)."""

from __future__ import annotations

from server.domain.admission import Unjoined


def never(_sid: str) -> bool:
    return False


def test_beyond_the_cap_the_oldest_waiting_connection_makes_room():
    waiting = Unjoined(cap=2, seconds=10)
    assert waiting.admit("a", 0.0, never) is None
    assert waiting.admit("b", 0.1, never) is None
    assert waiting.admit("c", 0.2, never) == "a"
    assert waiting.admit("d", 0.3, never) == "b"
    assert len(waiting) == 2
    waiting.gone("c")
    assert waiting.admit("e", 0.4, never) is None


def test_joined_connections_leave_the_count_before_anyone_is_closed():
    waiting = Unjoined(cap=2, seconds=10)
    waiting.admit("display", 0.0, never)
    waiting.admit("idle", 0.1, never)
    assert waiting.admit("phone", 0.5, lambda sid: sid == "display") is None
    assert waiting.admit("another", 0.6, lambda sid: sid == "display") == "idle"


def test_a_connection_that_did_not_join_in_time_is_due_to_close_once():
    waiting = Unjoined(cap=10, seconds=10)
    waiting.admit("early", 0.0, never)
    waiting.admit("late", 5.0, never)
    waiting.admit("joined", 0.0, never)
    joined = {"joined"}
    assert waiting.overdue(9.9, joined.__contains__) == []
    assert waiting.overdue(10.0, joined.__contains__) == ["early"]
    assert waiting.overdue(10.0, joined.__contains__) == []
    assert waiting.overdue(15.0, joined.__contains__) == ["late"]
    assert len(waiting) == 0
