"""The /staff Socket.IO namespace: refused without a session, live events with one."""

from __future__ import annotations

import queue
import time

import pytest
import requests
import socketio

from tests.counter.conftest import SITE


def staff_client(live, cookie: str | None) -> tuple[socketio.Client, queue.Queue]:
    events: queue.Queue = queue.Queue()
    client = socketio.Client(reconnection=False)
    for name in ("ticket", "queues", "queue_state"):
        client.on(name, lambda data, name=name: events.put((name, data)), namespace="/staff")
    headers = {"Cookie": cookie} if cookie else {}
    client.connect(live.url, namespaces=["/staff"], headers=headers, wait_timeout=10)
    return client, events


def wait_for(events: queue.Queue, predicate, timeout: float = 5.0):
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        try:
            name, data = events.get(timeout=max(deadline - time.monotonic(), 0.01))
        except queue.Empty:
            break
        seen.append(name)
        if predicate(name, data):
            return data
    raise AssertionError(f"no matching event within {timeout} s; saw {seen}")


def cookie_of(http: requests.Session) -> str:
    return "; ".join(f"{c.name}={c.value}" for c in http.cookies)


def test_the_staff_namespace_refuses_a_client_without_session(live_server):
    with pytest.raises(socketio.exceptions.ConnectionError):
        staff_client(live_server, None)


def test_the_staff_namespace_refuses_a_forged_session(live_server):
    with pytest.raises(socketio.exceptions.ConnectionError):
        staff_client(live_server, "session=eyJfdXNlcl9pZCI6IjEifQ.forged.signature")


def test_a_logged_in_client_gets_queues_and_every_ticket_change(live_server):
    http = live_server.session("clerk")
    client, events = staff_client(live_server, cookie_of(http))
    try:
        snapshot = wait_for(events, lambda name, data: name == "queues")
        assert snapshot["site"] == SITE
        assert {q["id"] for q in snapshot["queues"]} >= {"reception", "bo-abh"}

        issued = requests.post(
            f"{live_server.url}/api/v1/tickets",
            json={"site": SITE, "concern": "adresse", "language": "ar"},
            timeout=10,
        ).json()
        counts = wait_for(
            events,
            lambda name, data: (
                name == "queues"
                and any(q["id"] == "bo-abh" and q["waiting"] == 1 for q in data["queues"])
            ),
        )
        assert counts["site"] == SITE

        started = time.monotonic()
        called = http.post(
            f"{live_server.url}/api/v1/counters/schalter-1/next", json={}, timeout=10
        ).json()
        event = wait_for(
            events, lambda name, data: name == "ticket" and data["kind"] == "called", timeout=1.0
        )
        assert time.monotonic() - started < 1.0
        assert event["ticket"]["number"] == issued["number"] == called["number"]
        assert event["ticket"]["counter"]["id"] == "schalter-1"

        http.post(
            f"{live_server.url}/api/v1/tickets/{called['id']}/transfer",
            json={"queue": "core-abh", "note": "Dolmetscher"},
            timeout=10,
        )
        moved = wait_for(
            events, lambda name, data: name == "ticket" and data["kind"] == "transferred"
        )
        assert moved["ticket"]["queue"] == "core-abh"
        assert [s["queue"] for s in moved["ticket"]["stops"]] == ["bo-abh", "core-abh"]

        supervisor = live_server.session("supervisor")
        supervisor.post(
            f"{live_server.url}/api/v1/sites/{SITE}/queues/bo-abh/state",
            json={"closed": True},
            timeout=10,
        )
        state = wait_for(events, lambda name, data: name == "queue_state")
        assert state == {"queue": "bo-abh", "closed": True}
    finally:
        client.disconnect()
