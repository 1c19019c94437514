"""Small helpers for display and status-page tests: tickets, calls and socket clients."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable
from typing import Any

import requests
import socketio

SITE = "musterstadt"


def issue(base_url: str, concern: str = "adresse", language: str = "de") -> dict[str, Any]:
    response = requests.post(
        f"{base_url}/api/v1/tickets",
        timeout=10,
        json={"site": SITE, "concern": concern, "language": language},
    )
    assert response.status_code == 201, response.text
    return response.json()


def call_next(staff: requests.Session, base_url: str, counter: str) -> dict[str, Any]:
    response = staff.post(f"{base_url}/api/v1/counters/{counter}/next", json={}, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def act(
    staff: requests.Session,
    base_url: str,
    ticket_id: int,
    action: str,
    body: dict[str, Any] | None = None,
) -> dict[str, Any]:
    response = staff.post(
        f"{base_url}/api/v1/tickets/{ticket_id}/{action}", json=body or {}, timeout=10
    )
    assert response.status_code == 200, response.text
    return response.json()


class Recorder:
    """A real Socket.IO client that records every event it receives, with arrival times."""

    def __init__(
        self,
        base_url: str,
        namespace: str,
        auth: dict[str, str],
        events: tuple[str, ...],
        **client_options: Any,
    ) -> None:
        self.base_url = base_url
        self.namespace = namespace
        self.auth = auth
        self.events: list[tuple[str, Any, float]] = []
        self.changed = threading.Condition()
        self.client = socketio.Client(**client_options)
        for name in events:
            self.client.on(name, self._handler(name), namespace=namespace)

    def _handler(self, name: str) -> Callable[[Any], None]:
        def handle(data: Any = None) -> None:
            with self.changed:
                self.events.append((name, data, time.monotonic()))
                self.changed.notify_all()

        return handle

    def connect(self) -> Recorder:
        self.client.connect(
            self.base_url,
            namespaces=[self.namespace],
            auth=self.auth,
            transports=["websocket"],
            wait_timeout=10,
        )
        return self

    def close(self) -> None:
        self.client.disconnect()

    def of(self, name: str) -> list[Any]:
        with self.changed:
            return [data for event, data, _at in self.events if event == name]

    def wait_for(
        self,
        name: str,
        predicate: Callable[[Any], bool] = lambda _d: True,
        timeout: float = 5.0,
        after: int = 0,
    ) -> Any:
        """The first `name` event (from index `after` on) matching `predicate`, or fail."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                for event, data, _at in self.events[after:]:
                    if event == name and predicate(data):
                        return data
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [event for event, _d, _a in self.events[after:]]
                    raise AssertionError(f"no matching {name!r} within {timeout}s; saw {seen}")
                self.changed.wait(left)

    def mark(self) -> int:
        with self.changed:
            return len(self.events)


def crash(server: Any) -> None:
    """Kill a live server's gunicorn master and its worker at once, like a power cut.

    A polite stop waits for open websockets until gunicorn's graceful timeout, and killing
    only the master leaves its worker serving for a while: neither is an outage.
    """
    process = server.process
    if process is None or process.poll() is not None:
        return
    try:
        with open(f"/proc/{process.pid}/task/{process.pid}/children") as f:
            workers = [int(pid) for pid in f.read().split()]
    except OSError:
        workers = []
    process.kill()
    process.wait(10)
    for pid in workers:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.05)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
