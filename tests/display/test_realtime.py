"""Displays and phones over real Socket.IO clients against a live server process."""

from __future__ import annotations

import pytest
import socketio

from tests.display.helpers import Recorder, act, call_next, crash, issue

DISPLAY_EVENTS = ("state", "called", "waiting")
TICKET_EVENTS = ("ticket", "queue_changed")


@pytest.fixture
def display(live_server):
    recorders: list[Recorder] = []

    def connect(display_id: str = "wartebereich", **options) -> Recorder:
        recorder = Recorder(
            live_server.url, "/display", {"display": display_id}, DISPLAY_EVENTS, **options
        ).connect()
        recorders.append(recorder)
        return recorder

    yield connect
    for recorder in recorders:
        recorder.close()


@pytest.fixture
def phone(live_server):
    recorders: list[Recorder] = []

    def connect(token: str) -> Recorder:
        recorder = Recorder(live_server.url, "/ticket", {"token": token}, TICKET_EVENTS).connect()
        recorders.append(recorder)
        return recorder

    yield connect
    for recorder in recorders:
        recorder.close()


def test_a_display_gets_a_full_snapshot_on_connect(live_server, display):
    staff = live_server.session("clerk")
    issue(live_server.url, "adresse", "ar")
    issue(live_server.url, "adresse", "de")
    issue(live_server.url, "aufenthalt", "ku")
    called = call_next(staff, live_server.url, "schalter-1")
    screen = display()
    state = screen.wait_for("state")
    assert [c["number"] for c in state["calls"]] == [called["number"]]
    call = state["calls"][0]
    assert call["counter"] == {"id": "schalter-1", "label": "Schalter 1"}
    # Totals per zone (floor), never per queue: og1 holds bo-abh, og2 core-abh.
    assert state["waiting"] == {"eg": 0, "og1": 1, "og2": 1}


def test_a_call_reaches_the_display_with_number_counter_and_time_only(live_server, display):
    screen = display()
    screen.wait_for("state")
    staff = live_server.session("clerk")
    issue(live_server.url, "adresse", "ku")
    called = call_next(staff, live_server.url, "schalter-3")
    event = screen.wait_for("called", lambda c: c["number"] == called["number"], timeout=2)
    assert event["recall"] is False
    assert event["counter"] == {"id": "schalter-3", "label": "Schalter 3"}
    # Nothing personal or internal travels to the screen: no language, queue or zone.
    assert set(event) == {"number", "counter", "called_at", "recall"}


def test_a_recall_is_marked(live_server, display):
    staff = live_server.session("clerk")
    issue(live_server.url, "adresse")
    called = call_next(staff, live_server.url, "schalter-2")
    screen = display()
    screen.wait_for("state")
    mark = screen.mark()
    act(staff, live_server.url, called["id"], "recall")
    event = screen.wait_for("called", after=mark, timeout=2)
    assert event["number"] == called["number"] and event["recall"] is True


def test_waiting_counts_follow_new_and_called_tickets(live_server, display):
    screen = display()
    assert screen.wait_for("state")["waiting"]["eg"] == 0
    issue(live_server.url, "sonstiges")
    issue(live_server.url, "sonstiges")
    screen.wait_for("waiting", lambda w: w["eg"] == 2, timeout=3)
    call_next(live_server.session("clerk"), live_server.url, "empfang-1")
    screen.wait_for("waiting", lambda w: w["eg"] == 1, timeout=3)


def test_a_floor_display_sees_only_its_floor(live_server, display):
    floor = display("flur-og2")
    assert set(floor.wait_for("state")["waiting"]) == {"og2"}
    everything = display("wartebereich")
    everything.wait_for("state")
    staff = live_server.session("clerk")
    issue(live_server.url, "adresse")
    first_floor = call_next(staff, live_server.url, "schalter-1")
    issue(live_server.url, "aufenthalt")
    second_floor = call_next(staff, live_server.url, "raum-201")
    everything.wait_for("called", lambda c: c["number"] == second_floor["number"])
    floor.wait_for("called", lambda c: c["number"] == second_floor["number"])
    assert first_floor["number"] not in [c["number"] for c in floor.of("called")]


@pytest.mark.parametrize(
    "namespace,auth",
    [
        ("/display", {"display": "nowhere"}),
        ("/display", {}),
        ("/ticket", {"token": "no-such-token"}),
        ("/ticket", {}),
    ],
)
def test_unknown_displays_and_tokens_are_refused(live_server, namespace, auth):
    client = socketio.Client()
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(
            live_server.url,
            namespaces=[namespace],
            auth=auth,
            transports=["websocket"],
            wait_timeout=5,
        )
    client.disconnect()


def test_a_phone_follows_its_ticket_and_its_queue(live_server, phone):
    staff = live_server.session("clerk")
    ahead = issue(live_server.url, "adresse", "de")
    mine = issue(live_server.url, "adresse", "ar")
    me = phone(mine["token"])
    first = me.wait_for("ticket")
    assert first["number"] == mine["number"] and first["position"] == 2
    call_next(staff, live_server.url, "schalter-1")  # calls the one ahead of me
    assert me.wait_for("queue_changed", timeout=2) == {"queue": "bo-abh"}
    called = call_next(staff, live_server.url, "schalter-3")
    assert called["number"] == mine["number"]
    event = me.wait_for("ticket", lambda t: t["status"] == "called", timeout=2)
    assert event["counter"] == {"id": "schalter-3", "label": "الشباك 3"}
    assert ahead["token"] not in str(me.events)  # nothing about other visitors


def test_phones_in_line_hear_of_calls_but_not_of_starts_and_finishes(live_server, phone):
    staff = live_server.session("clerk")
    ahead = issue(live_server.url, "adresse", "de")
    mine = issue(live_server.url, "adresse", "ar")
    me = phone(mine["token"])
    me.wait_for("ticket")
    called = call_next(staff, live_server.url, "schalter-1")
    assert called["number"] == ahead["number"]
    me.wait_for("queue_changed", timeout=2)
    mark = me.mark()
    act(staff, live_server.url, called["id"], "start")
    act(staff, live_server.url, called["id"], "finish")
    call_next(staff, live_server.url, "schalter-3")  # calls me: the line moves again
    me.wait_for("ticket", lambda t: t["status"] == "called", after=mark, timeout=2)
    me.wait_for("queue_changed", after=mark, timeout=2)
    # Events of one connection arrive in order: the start and the finish sent nothing.
    assert [event for event, _data, _at in me.events[mark:]].count("queue_changed") == 1


def test_a_display_reconnecting_gets_the_calls_it_missed(live_server, display):
    screen = display()
    screen.wait_for("state")
    screen.close()
    staff = live_server.session("clerk")
    issue(live_server.url, "adresse")
    missed = call_next(staff, live_server.url, "schalter-1")
    again = display()
    state = again.wait_for("state")
    assert state["calls"][0]["number"] == missed["number"]


def test_a_display_resyncs_by_itself_after_the_server_restarts(
    live_server, live_server_factory, sqlite_url, display
):
    screen = display(reconnection_delay=0.2, reconnection_delay_max=0.5)
    screen.wait_for("state")
    crash(live_server)
    # While the screen's server is down, another server on the same database makes a call.
    other = live_server_factory(sqlite_url)
    issue(other.url, "aufenthalt", "ckb")
    missed = call_next(other.session("clerk"), other.url, "raum-202")
    other.stop()
    mark = screen.mark()
    live_server.start()  # same port, same database
    state = screen.wait_for("state", after=mark, timeout=10)
    assert state["calls"][0]["number"] == missed["number"]
    assert state["calls"][0]["counter"]["id"] == "raum-202"
