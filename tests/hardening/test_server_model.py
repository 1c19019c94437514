"""The server model against clients that hold on (issue 11, item 2), on a real server.

`anlaufstelle serve` runs gunicorn's gevent worker: an idle websocket or a request whose
headers never finish costs a greenlet, not a thread, so a ticket and a call still go
through; sockets that never join a namespace are capped and closed. The figures for
2,000 sockets and 500 requests are in `make bench` (bench/starvation.py); these tests
hold the same behaviour at a smaller scale, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import os
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
import socketio

from tests.live import CONFIG, PASSWORD, LiveServer, raw_websocket, unfinished_request

pytestmark = pytest.mark.slow

ISSUE = {"site": "musterstadt", "concern": "adresse", "language": "de"}


def status_of(s: socket.socket) -> bytes:
    return s.recv(64).split(b" ", 2)[1]


def closed_by_server(s: socket.socket, within: float) -> bool:
    """Read until the server ends the stream; False if it is still open after `within` s."""
    s.settimeout(within)
    try:
        while s.recv(4096):
            pass
    except TimeoutError:
        return False
    except OSError:
        pass  # reset: closed as well
    return True


def display_client(url: str, calls: list[str]) -> socketio.Client:
    screen = socketio.Client(reconnection=False)
    screen.on("called", lambda call: calls.append(call["number"]), namespace="/display")
    screen.connect(
        url,
        namespaces=["/display"],
        auth={"display": "wartebereich"},
        transports=["websocket"],
        wait_timeout=10,
    )
    return screen


def config_with(tmp_path: Path, **server: object) -> Path:
    text = CONFIG.read_text()
    for key, value in server.items():
        lines = [line for line in text.splitlines() if line.startswith(f"{key} =")]
        assert lines, f"config.toml has no {key}"
        text = text.replace(lines[0], f"{key} = {value}")
    path = tmp_path / "config.toml"
    path.write_text(text)
    return path


def booked_letter(server: LiveServer, language: str) -> str:
    """Reception books an appointment in two days; the path of its PDF letter."""
    start = (datetime.now(UTC) + timedelta(days=2)).replace(hour=9, minute=0, second=0)
    booked = server.session("reception").post(
        server.url + "/api/v1/appointments",
        json={
            "site": "musterstadt",
            "queue": "core-abh",
            "start": start.replace(microsecond=0).isoformat(),
            "language": language,
            "override_reason": "test outside the appointment hours",
        },
        timeout=10,
    )
    assert booked.status_code == 201, booked.text
    return urlsplit(booked.json()["invitation_url"]).path + ".pdf"


def test_idle_websockets_and_unfinished_requests_do_not_stop_a_ticket_or_a_call(
    database_url, tmp_path
):
    server = LiveServer(database_url, tmp_path).start()
    held: list[socket.socket] = []
    try:
        clerk = server.session("clerk")
        calls: list[str] = []
        screen = display_client(server.url, calls)
        # More than the 64 threads the old gthread worker had in the tests, or any pool.
        held += [raw_websocket(server.port) for _ in range(300)]
        held += [unfinished_request(server.port) for _ in range(200)]
        assert all(status_of(s) == b"101" for s in held[:300])

        ticket = requests.post(server.url + "/api/v1/tickets", json=ISSUE, timeout=10)
        assert ticket.status_code == 201, ticket.text
        number = ticket.json()["number"]
        called = clerk.post(server.url + "/api/v1/counters/schalter-1/next", json={}, timeout=10)
        assert called.status_code == 200 and called.json()["number"] == number
        deadline = time.monotonic() + 10
        while number not in calls and time.monotonic() < deadline:
            time.sleep(0.05)
        assert calls == [number]
        screen.disconnect()
    finally:
        for s in held:
            s.close()
        server.stop()


def test_sockets_that_never_join_are_capped_and_closed_while_a_display_stays(sqlite_url, tmp_path):
    config = config_with(tmp_path, unjoined_sockets=20, socket_join_seconds=2)
    server = LiveServer(sqlite_url, tmp_path, config=config).start()
    held: list[socket.socket] = []
    try:
        held = [raw_websocket(server.port) for _ in range(20)]
        assert [status_of(s) for s in held] == [b"101"] * 20
        # The cap: a newcomer closes the oldest that has not joined...
        held.append(raw_websocket(server.port))
        assert status_of(held[-1]) == b"101"
        assert closed_by_server(held[0], within=1.5)
        # ...and a display (it joins at once) connects although the cap is reached.
        calls: list[str] = []
        screen = display_client(server.url, calls)
        # Not joined within 2 s: closed, TCP connection and all.
        assert all(closed_by_server(s, within=10) for s in held)
        # Joined in time: still there after the deadline, and it gets the next call.
        assert screen.connected
        ticket = requests.post(server.url + "/api/v1/tickets", json=ISSUE, timeout=10).json()
        clerk = server.session("clerk")
        clerk.post(server.url + "/api/v1/counters/schalter-1/next", json={}, timeout=10)
        deadline = time.monotonic() + 10
        while not calls and time.monotonic() < deadline:
            time.sleep(0.05)
        assert calls == [ticket["number"]]
        screen.disconnect()
    finally:
        for s in held:
            s.close()
        server.stop()


def test_a_request_whose_headers_never_finish_is_dropped(live_server):
    slow = unfinished_request(live_server.port)
    try:
        # gunicorn reads headers under the keep-alive timeout (5 s).
        assert closed_by_server(slow, within=15)
    finally:
        slow.close()


def test_a_printer_write_that_blocks_in_c_does_not_stop_the_server(sqlite_url, tmp_path):
    """A device file nobody reads (a FIFO: open() blocks in C, as a jammed usblp can):
    the job runs in a real thread, so the greenlets serving everyone else go on."""
    fifo = tmp_path / "stuck-printer"
    os.mkfifo(fifo)
    config = config_with(tmp_path, printer=f'"file:{fifo}"')
    server = LiveServer(sqlite_url, tmp_path, config=config).start()
    try:
        kiosk_ticket = {**ISSUE, "kiosk": "eingang"}
        first = requests.post(server.url + "/api/v1/tickets", json=kiosk_ticket, timeout=10)
        assert first.status_code == 201, first.text
        time.sleep(0.5)  # the print job is now stuck in open()
        for _ in range(5):
            more = requests.post(server.url + "/api/v1/tickets", json=kiosk_ticket, timeout=5)
            assert more.status_code == 201, more.text
        assert requests.get(server.url + "/api/v1/sites", timeout=5).ok
    finally:
        server.stop()


def test_letters_rendered_in_real_threads_at_once_all_arrive(live_server):
    """PDF letters are drawn off the hub, in real threads; their FreeType lock must be a
    lock of the operating system (a patched one deadlocked two letters at once)."""
    letter = booked_letter(live_server, "ar")

    def fetch(_: int) -> tuple[int, bytes]:
        response = requests.get(live_server.url + letter, timeout=20)
        return response.status_code, response.content[:4]

    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(fetch, range(4))) == [(200, b"%PDF")] * 4


def test_a_jammed_printer_uses_up_only_its_own_threads(sqlite_url, tmp_path):
    """Each job to a jammed device file leaves a hung thread behind. Those come from the
    printer's own small pool: after more of them than gevent's shared pool holds (10), a
    letter (drawn in that shared pool) still arrives."""
    fifo = tmp_path / "jammed-printer"
    os.mkfifo(fifo)
    config = config_with(tmp_path, printer=f'"file:{fifo}"', timeout_seconds=1)
    server = LiveServer(sqlite_url, tmp_path, config=config).start()
    try:
        kiosk_ticket = {**ISSUE, "kiosk": "eingang"}
        for _ in range(12):
            issued = requests.post(server.url + "/api/v1/tickets", json=kiosk_ticket, timeout=5)
            assert issued.status_code == 201, issued.text
        deadline = time.monotonic() + 90
        while server.log.read_text().count("failed: printer") < 12:
            assert time.monotonic() < deadline, "the print jobs did not all give up"
            time.sleep(0.5)
        letter = booked_letter(server, "de")
        response = requests.get(server.url + letter, timeout=20)
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
    finally:
        server.stop()


def test_password_checks_run_off_the_hub_so_logins_do_not_freeze_the_server(live_server):
    """scrypt takes about 70 ms of C per login. On the hub, sixteen logins at once would
    hold every other request for over a second; in real threads the hub goes on."""
    # Four clerks, four logins each: attempts in flight count against the throttle
    # (users.start_attempt), and one name may have five from one address.
    names = [live_server.add_user("clerk") for _ in range(4)]

    def log_in(i: int) -> int:
        body = {"username": names[i % 4], "password": PASSWORD}
        return requests.post(live_server.url + "/api/v1/session", json=body, timeout=30).status_code

    requests.get(live_server.url + "/api/v1/sites", timeout=5)  # the connection pool is warm
    with ThreadPoolExecutor(16) as pool:
        logins = [pool.submit(log_in, i) for i in range(16)]
        time.sleep(0.2)  # the logins are being checked now
        started = time.monotonic()
        assert requests.get(live_server.url + "/api/v1/sites", timeout=30).ok
        waited = time.monotonic() - started
        assert [f.result() for f in logins] == [204] * 16
    # Sixteen checks one after another on the hub take over a second of CPU on their own.
    assert waited < 0.5, f"a bare request waited {waited:.2f} s behind the logins"
