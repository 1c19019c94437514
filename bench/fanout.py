"""Fan-out of calls to 500 live Socket.IO clients, and the server's memory meanwhile.

One server process (SQLite, gevent: one greenlet per open websocket). 300
waiting-room screens and 200 visitor phones connect with real python-socketio clients;
then ~50 calls are made through the HTTP API, one after the other. For each call we take
the time from the call's HTTP answer until the last screen has its `called` event and the
called visitor's phone its `ticket` event. The server pushes before it answers, so an
event often arrives before the answer: such a client counts as 0 ms.
Targets: p99 < 50 ms, server RSS < 200 MB. Bounded: about a minute, never over 3.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import requests
import socketio

from bench.harness import Server, login, percentile

DISPLAYS = int(os.environ.get("BENCH_FANOUT_DISPLAYS", "300"))
PHONES = int(os.environ.get("BENCH_FANOUT_PHONES", "200"))
CALLS = int(os.environ.get("BENCH_FANOUT_CALLS", "50"))
P99_TARGET_MS = 50.0
RSS_TARGET_MB = 200.0
EVENT_TIMEOUT = 5.0
PAUSE = float(os.environ.get("BENCH_FANOUT_PAUSE", "0.25"))
# Clients spread over processes, as they are spread over devices in a building.
CLIENT_PROCESSES = int(os.environ.get("BENCH_FANOUT_PROCESSES", "4"))
DEADLINE_SECONDS = 170  # stay under 3 minutes whatever happens
SITE = "musterstadt"
# The back-office queues and the counters that serve them (see config.toml).
CONCERNS = ["adresse", "leistung-auszahlung", "jobcenter-unterlagen"]
COUNTERS = ["schalter-1", "schalter-2", "schalter-3", "schalter-4", "schalter-5", "schalter-6"]


async def _display_client(url: str, arrivals: dict[str, list[float]]) -> socketio.AsyncClient:
    client = socketio.AsyncClient(reconnection=False)

    async def on_called(call: dict[str, Any]) -> None:
        arrivals.setdefault(call["number"], []).append(time.perf_counter())

    client.on("called", on_called, namespace="/display")
    await client.connect(
        url,
        namespaces=["/display"],
        auth={"display": "wartebereich"},
        transports=["websocket"],
        wait_timeout=30,
    )
    return client


async def _phone_client(
    url: str, token: str, arrivals: dict[str, list[float]]
) -> socketio.AsyncClient:
    client = socketio.AsyncClient(reconnection=False)

    async def on_ticket(ticket: dict[str, Any]) -> None:
        if ticket.get("status") == "called":
            arrivals.setdefault(ticket["number"], []).append(time.perf_counter())

    client.on("ticket", on_ticket, namespace="/ticket")
    await client.connect(
        url,
        namespaces=["/ticket"],
        auth={"token": token},
        transports=["websocket"],
        wait_timeout=30,
    )
    return client


async def _clients(url: str, displays: int, tokens: list[str], ready: Any, stop: Any) -> dict:
    screens: dict[str, list[float]] = {}
    phones: dict[str, list[float]] = {}
    makers = [lambda: _display_client(url, screens) for _ in range(displays)]
    makers += [lambda t=t: _phone_client(url, t, phones) for t in tokens]
    clients = []
    for start in range(0, len(makers), 25):
        clients += await asyncio.gather(*(make() for make in makers[start : start + 25]))
    ready.set()
    while not stop.is_set():
        await asyncio.sleep(0.05)
    await asyncio.gather(*(c.disconnect() for c in clients), return_exceptions=True)
    return {"screens": screens, "phones": phones}


def _client_process(
    url: str, displays: int, tokens: list[str], ready: Any, stop: Any, out: Any
) -> None:
    """Run a share of the clients in its own process and event loop, like separate devices."""
    out.put(asyncio.run(_clients(url, displays, tokens, ready, stop)))


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _worker_rss_mb(server: Server) -> float:
    """RSS of the gunicorn worker: the process that holds the sockets and does the work."""
    try:
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    except OSError:
        children = []
    return sum(_rss_mb(int(pid)) for pid in children)


def run(server: Server, started: float) -> dict[str, Any]:
    url = server.url
    tickets = []
    for i in range(max(PHONES, CALLS)):
        response = requests.post(
            f"{url}/api/v1/tickets",
            timeout=10,
            json={"site": SITE, "concern": CONCERNS[i % len(CONCERNS)], "language": "de"},
        )
        response.raise_for_status()
        tickets.append(response.json())
    staff = login(url, server.add_user("clerk"))
    rss_idle, rss_master = _worker_rss_mb(server), _rss_mb(server.pid)

    context = multiprocessing.get_context("spawn")
    stop, out = context.Event(), context.Queue()
    tokens = [t["token"] for t in tickets[:PHONES]]
    processes = []
    connect_started = time.perf_counter()
    for index in range(CLIENT_PROCESSES):
        ready = context.Event()
        share = slice(index, None, CLIENT_PROCESSES)
        displays = len(range(DISPLAYS)[share])
        process = context.Process(
            target=_client_process,
            daemon=True,
            args=(url, displays, tokens[share], ready, stop, out),
        )
        process.start()
        processes.append((process, ready))
    for _process, ready in processes:
        if not ready.wait(60):
            stop.set()
            raise RuntimeError("the clients did not connect within 60 s")
    connect_seconds = time.perf_counter() - connect_started
    rss_peak = _worker_rss_mb(server)

    calls: list[tuple[str, float, float]] = []
    try:
        for index in range(CALLS):
            if time.monotonic() - started > DEADLINE_SECONDS:
                print(f"  stopped after {index} calls: time bound reached")
                break
            counter = COUNTERS[index % len(COUNTERS)]
            sent = time.perf_counter()
            response = staff.post(f"{url}/api/v1/counters/{counter}/next", json={}, timeout=10)
            answered = time.perf_counter()
            if response.status_code != 200:
                print(f"  call {index}: HTTP {response.status_code}")
                continue
            calls.append((response.json()["number"], sent, answered))
            rss_peak = max(rss_peak, _worker_rss_mb(server))
            time.sleep(PAUSE)
        time.sleep(EVENT_TIMEOUT)  # stragglers
    finally:
        stop.set()
        shares = [out.get(timeout=60) for _ in processes]
        for process, _ready in processes:
            process.join(10)

    phones = set(t["number"] for t in tickets[:PHONES])
    latencies: list[float] = []
    from_request: list[float] = []
    missing = 0
    for number, sent, answered in calls:
        screens = [t for share in shares for t in share["screens"].get(number, [])]
        phone = [t for share in shares for t in share["phones"].get(number, [])]
        missing += DISPLAYS - len(screens) + (1 - min(1, len(phone)) if number in phones else 0)
        arrived = screens + phone
        if arrived:
            latencies.append(max(0.0, max(arrived) - answered) * 1000)
            from_request.append((max(arrived) - sent) * 1000)
    return {
        "latencies": latencies,
        "from_request": from_request,
        "missing": missing,
        "rss_idle": rss_idle,
        "rss_master": rss_master,
        "rss_peak": rss_peak,
        "connect_seconds": connect_seconds,
        "clients": DISPLAYS + len(tokens),
    }


def report(result: dict[str, Any]) -> None:
    latencies = result["latencies"]
    p50, p99 = percentile(latencies, 50), percentile(latencies, 99)
    q50, q99 = percentile(result["from_request"], 50), percentile(result["from_request"], 99)
    print(
        f"  clients: {result['clients']} ({DISPLAYS} screens, {PHONES} phones), "
        f"connected in {result['connect_seconds']:.1f} s"
    )
    print(f"  calls measured: {len(latencies)}, events missing: {result['missing']}")
    print(
        f"  fan-out after the HTTP answer: p50 {p50:.1f} ms, p99 {p99:.1f} ms "
        f"(target p99 < {P99_TARGET_MS:.0f} ms: ratio {p99 / P99_TARGET_MS:.2f})"
    )
    print(f"  fan-out from sending the call: p50 {q50:.1f} ms, p99 {q99:.1f} ms")
    print(
        f"  server worker RSS: {result['rss_idle']:.0f} MB idle, {result['rss_peak']:.0f} MB "
        f"with {result['clients']} sockets (target < {RSS_TARGET_MB:.0f} MB: ratio "
        f"{result['rss_peak'] / RSS_TARGET_MB:.2f}); gunicorn master "
        f"{result['rss_master']:.0f} MB"
    )


def main() -> None:
    started = time.monotonic()
    var = Path(tempfile.mkdtemp(prefix="anlaufstelle-bench-"))
    server = Server(f"sqlite:///{var / 'fanout.db'}", var=var)
    try:
        result = run(server, started)
    finally:
        server.stop()
    print("fan-out, sqlite, 1 process (gevent):")
    report(result)
    print(f"  took {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
