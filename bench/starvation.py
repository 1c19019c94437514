"""Starvation: idle raw websockets and unfinished HTTP requests from one loopback client.

What an attacker on the guest Wi-Fi can do without any login: open many websockets to
`/socket.io/?EIO=4&transport=websocket` and never join a namespace, and start HTTP
requests whose headers never finish. Meanwhile we issue a ticket, call it, and time the
answer and the display's `called` event. Target: ticket < 1 s and the call on the
display. Also printed: the server's memory per idle socket, how many handshakes it
refused (beyond `unjoined_sockets`), and how many of the accepted ones it closed once
`socket_join_seconds` passed without a namespace join. Bounded: connections are opened
at most for DEADLINE_SECONDS, every wait has a timeout. This measures the server as
`anlaufstelle serve` runs it (gunicorn's gevent worker), without nginx in front
(deploy/nginx.conf absorbs slow clients there).
"""

from __future__ import annotations

import os
import socket
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import requests
import socketio

from bench.harness import Server, login
from bench.soak import sample, worker_pid
from tests.live import raw_websocket, unfinished_request

IDLE_SOCKETS = int(os.environ.get("BENCH_STARVE_SOCKETS", "2000"))
SLOW_REQUESTS = int(os.environ.get("BENCH_STARVE_SLOW", "500"))
TICKET_TARGET_S = 1.0
ANSWER_TIMEOUT_S = 10.0
DEADLINE_SECONDS = 120
JOIN_SECONDS = 10  # config.toml's socket_join_seconds
CLOSE_GRACE = 8  # the sweep closes a thousand sockets in a few seconds


def _answers(held: list[socket.socket]) -> tuple[list[socket.socket], int]:
    """The accepted handshakes (101 Switching Protocols), and how many were refused."""
    accepted: list[socket.socket] = []
    refused = 0
    for s in held:
        s.settimeout(2)
        try:
            status = s.recv(64).split(b" ", 2)[1:2]
        except OSError:
            status = []
        if status == [b"101"]:
            accepted.append(s)
        else:
            refused += 1
    return accepted, refused


def _closed_by_server(held: list[socket.socket]) -> int:
    """How many sockets the server has closed (end of stream or reset), without waiting."""
    closed = 0
    for s in held:
        s.setblocking(False)
        try:
            while s.recv(4096):
                pass
            closed += 1  # b"": the server closed it
        except BlockingIOError:
            pass
        except OSError:
            closed += 1
    return closed


def _hold(
    open_one: Callable[[int], socket.socket], port: int, count: int, began: float
) -> tuple[list[socket.socket], int]:
    """Open up to count connections (within half the deadline); (held, refused)."""
    held: list[socket.socket] = []
    refused = 0
    while len(held) + refused < count and time.monotonic() - began < DEADLINE_SECONDS / 2:
        try:
            held.append(open_one(port))
        except OSError:
            refused += 1
    return held, refused


def main() -> None:
    var = Path(tempfile.mkdtemp(prefix="anlaufstelle-starve-"))
    server = Server(f"sqlite:///{var / 'starve.db'}", var=var)
    held: list[socket.socket] = []
    began = time.monotonic()
    try:
        pid = worker_pid(server)
        staff = login(server.url, server.add_user("clerk"))
        screen = socketio.Client(reconnection=False)
        calls: list[str] = []
        screen.on("called", lambda c: calls.append(c["number"]), namespace="/display")
        screen.connect(
            server.url,
            namespaces=["/display"],
            auth={"display": "wartebereich"},
            transports=["websocket"],
            wait_timeout=10,
        )
        rss_before = sample(pid)[0]
        held_sockets, failed = _hold(raw_websocket, server.port, IDLE_SOCKETS, began)
        held += held_sockets
        opened, opened_at = len(held_sockets), time.monotonic()
        time.sleep(2)
        rss_sockets = sample(pid)[0]
        held_slow, refused = _hold(unfinished_request, server.port, SLOW_REQUESTS, began)
        held += held_slow
        slow, failed = len(held_slow), failed + refused
        time.sleep(1)
        rss, fds, threads = sample(pid)
        print(
            f"held: {opened} idle websockets, {slow} unfinished requests ({failed} refused); "
            f"worker: {rss:.0f} MB RSS, {fds} fds, {threads} threads"
        )
        accepted, turned_away = _answers(held_sockets)
        print(f"websocket handshakes: {len(accepted)} accepted, {turned_away} refused (cap)")
        if accepted:
            per_socket = (rss_sockets - rss_before) * 1024 / len(accepted)
            print(f"memory per accepted idle websocket: {per_socket:.0f} KB")
        start = time.perf_counter()
        try:
            response = requests.post(
                server.url + "/api/v1/tickets",
                json={"site": "musterstadt", "concern": "adresse", "language": "de"},
                timeout=ANSWER_TIMEOUT_S,
            )
            issued_s = time.perf_counter() - start
            number = response.json()["number"]
            called = staff.post(
                server.url + "/api/v1/counters/schalter-1/next", json={}, timeout=ANSWER_TIMEOUT_S
            )
            wait_until = time.monotonic() + 5
            while number not in calls and time.monotonic() < wait_until:
                time.sleep(0.05)
            on_display = number in calls and called.status_code == 200
            verdict = "ok" if issued_s < TICKET_TARGET_S and on_display else "MISSED"
            print(
                f"ticket issued in {issued_s * 1000:.0f} ms (target < {TICKET_TARGET_S:g} s); "
                f"call on the display: {'yes' if on_display else 'no'}: {verdict}"
            )
        except requests.RequestException as exc:
            print(
                f"ticket not issued within {ANSWER_TIMEOUT_S:g} s ({type(exc).__name__}): STARVED"
            )
        time.sleep(max(0.0, JOIN_SECONDS + CLOSE_GRACE - (time.monotonic() - opened_at)))
        closed = _closed_by_server(accepted)
        print(
            f"{JOIN_SECONDS + CLOSE_GRACE} s after they opened: the server closed {closed} "
            f"of the {len(accepted)} accepted idle websockets; "
            f"the display is still connected: {'yes' if screen.connected else 'no'}"
        )
        screen.disconnect()
    finally:
        for s in held:
            s.close()
        server.stop()


if __name__ == "__main__":
    main()
