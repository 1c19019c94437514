"""Tickets per second over HTTP and call-next latency, on SQLite and on PostgreSQL.

- issue: 8 concurrent clients (separate processes, keep-alive) post tickets;
- call-next: 10 counters each press "next" once a second for 15 s (a working day's
  pace), then call at once in a closed loop until the queues are drained; latency per call;
- checks: no number issued twice, no ticket called twice.
SQLite runs one server process; PostgreSQL runs one server per core with the Redis
Socket.IO message queue, clients spread across them (as a proxy with sticky sessions would).
"""

from __future__ import annotations

import http.client
import json
import multiprocessing
import os
import time
from collections import Counter
from pathlib import Path

from bench.harness import (
    REDIS_URL,
    Server,
    drop_postgres,
    fresh_postgres,
    login,
    percentile,
    reachable,
)

CLIENTS = 8
TICKETS = int(os.environ.get("BENCH_TICKETS", "3000"))
COUNTERS = [
    "schalter-1",
    "schalter-2",
    "schalter-3",
    "schalter-4",
    "schalter-5",
    "schalter-6",
    "empfang-1",
    "empfang-2",
    "raum-201",
    "raum-202",
]
CONCERNS = [
    "fiktion",
    "adresse",
    "leistung-auszahlung",
    "jobcenter-unterlagen",
    "sonstiges",
    "aufenthalt",
]
TARGETS = {"sqlite": 400.0, "postgresql": 1000.0}
CALL_P99_TARGET_MS = 30.0
PACE_S = 1.0
PACED_CALLS = 15
FLOOR_PATH = "/api/v1/sites"
HEALTH_PATH = "/api/v1/health"


def _issue_worker(url: str, count: int, index: int, start, out) -> None:
    # A plain keep-alive connection: the client should cost as little CPU as possible,
    # since it shares the two cores with the server it measures.
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    numbers = []
    start.wait(30)
    for i in range(count):
        body = json.dumps(
            {
                "site": "musterstadt",
                "language": "de",
                "concern": CONCERNS[(index + i) % len(CONCERNS)],
            }
        )
        connection.request("POST", "/api/v1/tickets", body, {"Content-Type": "application/json"})
        response = connection.getresponse()
        data = response.read()
        if response.status != 201:
            out.put(("error", response.status, data[:200]))
            return
        numbers.append(json.loads(data)["number"])
    out.put(("ok", numbers))


def _floor_worker(url: str, path: str, count: int, start, out) -> None:
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    start.wait(30)
    for _ in range(count):
        connection.request("GET", path)
        connection.getresponse().read()
    out.put(count)


def floor(servers: list[Server], path: str = FLOOR_PATH, per_client: int = 400) -> float:
    """The server's CPU per request of `path` (ms): the yardsticks of the ratios.

    `GET /api/v1/sites` answers from the configuration alone: a bare request.
    `GET /api/v1/health` was the issue's floor when it read one row; since issue 11 it
    also writes a probe row, so it is printed beside it, not instead of it.
    """
    urls = [s.url for s in servers]
    clients = [(urls[i % len(urls)], path, per_client) for i in range(CLIENTS)]
    counts, cpu, _elapsed = _at_once(servers, _floor_worker, clients)
    requests = sum(counts)
    return cpu / requests * 1000


class _Staff:
    """A logged-in clerk over one keep-alive connection, as lean a client as the issuing
    ones: `requests` would spend a millisecond of the two shared cores per request."""

    def __init__(self, url: str, name: str) -> None:
        session = login(url, name)  # the login itself, once, through the test helper
        cookie = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
        self.headers = {"Cookie": cookie, "X-CSRF-Token": session.headers["X-CSRF-Token"]}
        host, port = url.removeprefix("http://").split(":")
        self.connection = http.client.HTTPConnection(host, int(port), timeout=30)

    def post(self, path: str) -> tuple[int, bytes]:
        self.connection.request("POST", path, headers=self.headers)
        response = self.connection.getresponse()
        return response.status, response.read()


def _call_worker(
    url: str, name: str, counter: str, pace: float | None, offset: float, start, out
) -> None:
    """Call and finish until nothing waits; with `pace`, PACED_CALLS calls `pace` s apart."""
    staff = _Staff(url, name)
    latencies, numbers = [], []
    start.wait(30)
    began = time.perf_counter() + offset
    for i in range(TICKETS if pace is None else PACED_CALLS):
        if pace is not None:
            time.sleep(max(0.0, began + i * pace - time.perf_counter()))
        t0 = time.perf_counter()
        status, body = staff.post(f"/api/v1/counters/{counter}/next")
        latencies.append((time.perf_counter() - t0) * 1000)
        if status == 204:
            break
        if status != 200:
            raise RuntimeError(f"next failed: {status} {body[:200]!r}")
        ticket = json.loads(body)
        numbers.append(ticket["number"])
        status, body = staff.post(f"/api/v1/tickets/{ticket['id']}/finish")
        if status != 200:
            raise RuntimeError(f"finish failed: {status} {body[:200]!r}")
    out.put((latencies, numbers))


def _at_once(servers: list[Server], target, clients: list[tuple]) -> tuple[list, float, float]:
    """One process per client (its arguments, then the start event and the out queue),
    all let go at once: their results, the servers' CPU seconds and the wall time."""
    ctx = multiprocessing.get_context("fork")
    start, out = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=target, args=(*args, start, out)) for args in clients]
    for p in procs:
        p.start()
    time.sleep(1.0)  # started and logged in
    cpu0 = sum(s.cpu_seconds() for s in servers)
    t0 = time.perf_counter()
    start.set()
    results = [out.get(timeout=600) for _ in procs]
    elapsed = time.perf_counter() - t0
    cpu = sum(s.cpu_seconds() for s in servers) - cpu0
    for p in procs:
        p.join()
    return results, cpu, elapsed


def run(kind: str, servers: list[Server], users: list[str]) -> dict[str, float]:
    urls = [s.url for s in servers]
    per_client = TICKETS // CLIENTS
    floor_before, health_before = floor(servers), floor(servers, HEALTH_PATH)
    clients = [(urls[i % len(urls)], per_client, i) for i in range(CLIENTS)]
    results, issue_cpu, elapsed = _at_once(servers, _issue_worker, clients)
    errors = [r for r in results if r[0] == "error"]
    if errors:
        raise RuntimeError(f"issue failed: {errors[0]}")
    issued = [n for r in results for n in r[1]]
    duplicates = sum(c - 1 for c in Counter(issued).values() if c > 1)

    # First as a working day has it: each counter presses "next" once a second, the ten
    # of them spread over that second.
    spread = PACE_S / len(COUNTERS)
    at_counters = [(urls[i % len(urls)], users[i], c) for i, c in enumerate(COUNTERS)]
    paced_clients = [(*clerk, PACE_S, i * spread) for i, clerk in enumerate(at_counters)]
    paced, _cpu, _elapsed = _at_once(servers, _call_worker, paced_clients)
    # Then in a closed loop, each counter calling again as soon as it has an answer.
    closed_clients = [(*clerk, None, 0) for clerk in at_counters]
    calls, call_cpu, _elapsed = _at_once(servers, _call_worker, closed_clients)
    floor_after, health_after = floor(servers), floor(servers, HEALTH_PATH)
    latencies = [lat for lats, _ in calls for lat in lats]
    paced_latencies = [lat for lats, _ in paced for lat in lats]
    called = [n for _, numbers in calls + paced for n in numbers]
    called_twice = sum(c - 1 for c in Counter(called).values() if c > 1)
    return {
        "tickets": len(issued),
        "tickets_per_s": len(issued) / elapsed,
        "cpu_ms_per_ticket": issue_cpu / max(len(issued), 1) * 1000,
        "cpu_ms_per_call": call_cpu / max(sum(len(numbers) for _, numbers in calls), 1) * 1000,
        # Measured before and after the load, in the same run: the machine is shared.
        "floor_ms": (floor_before + floor_after) / 2,
        "health_ms": (health_before + health_after) / 2,
        "duplicates": duplicates,
        "calls": len(called),
        "called_twice": called_twice,
        "p50_ms": percentile(latencies, 50),
        "p99_ms": percentile(latencies, 99),
        "paced_calls": len(paced_latencies),
        "paced_p50_ms": percentile(paced_latencies, 50),
        "paced_p99_ms": percentile(paced_latencies, 99),
    }


def report(label: str, kind: str, r: dict[str, float]) -> None:
    target = TARGETS[kind]
    print(
        f"{label}: {r['tickets']:.0f} tickets in {r['tickets'] / r['tickets_per_s']:.1f} s "
        f"= {r['tickets_per_s']:.0f} tickets/s (target >= {target:.0f}, "
        f"ratio {r['tickets_per_s'] / target:.2f}); duplicates: {r['duplicates']:.0f}; "
        f"server CPU {r['cpu_ms_per_ticket']:.2f} ms per ticket"
    )
    ticket, call = r["cpu_ms_per_ticket"], r["cpu_ms_per_call"]
    print(
        f"{label}: server CPU per bare GET {FLOOR_PATH} (floor) {r['floor_ms']:.2f} ms, "
        f"per GET {HEALTH_PATH} (a read and a probe write) {r['health_ms']:.2f} ms; "
        f"per ticket {ticket / r['floor_ms']:.2f}x the floor, "
        f"{ticket / r['health_ms']:.2f}x health (goal <= 1.5x); "
        f"per call + finish {call / r['floor_ms']:.2f}x the floor, "
        f"{call / r['health_ms']:.2f}x health (goal <= 3x)"
    )
    print(
        f"{label}: call-next with {len(COUNTERS)} counters at once: {r['calls']:.0f} calls, "
        f"p50 {r['p50_ms']:.1f} ms, p99 {r['p99_ms']:.1f} ms (target p99 < "
        f"{CALL_P99_TARGET_MS:.0f} ms, ratio {r['p99_ms'] / CALL_P99_TARGET_MS:.2f}); "
        f"called twice: {r['called_twice']:.0f}; "
        f"server CPU {r['cpu_ms_per_call']:.2f} ms per call + finish",
    )
    print(
        f"{label}: call-next with {len(COUNTERS)} counters each pressing once a second: "
        f"{r['paced_calls']:.0f} calls, p50 {r['paced_p50_ms']:.1f} ms, "
        f"p99 {r['paced_p99_ms']:.1f} ms",
        flush=True,
    )


def clerks(server: Server) -> list[str]:
    """One clerk per counter, as in an office (and logins in flight count against the
    throttle of one name at one address, see users.start_attempt)."""
    return [server.add_user() for _ in COUNTERS]


def main() -> None:
    import tempfile

    var = Path(tempfile.mkdtemp(prefix="anlaufstelle-bench-"))
    server = Server(f"sqlite:///{var / 'bench.db'}", var=var)
    try:
        report("sqlite, 1 process", "sqlite", run("sqlite", [server], clerks(server)))
    finally:
        server.stop()

    if not (reachable("127.0.0.1", 5432) and reachable("127.0.0.1", 6379)):
        print("postgresql: skipped (PostgreSQL or Redis not reachable on 127.0.0.1)")
        return
    url, name = fresh_postgres()
    workers = max(2, os.cpu_count() or 2)
    servers = []
    try:
        servers = [Server(url, redis_url=REDIS_URL) for _ in range(workers)]
        report(
            f"postgresql, {workers} workers + redis",
            "postgresql",
            run("postgresql", servers, clerks(servers[0])),
        )
    finally:
        for s in servers:
            s.stop()
        drop_postgres(name)


if __name__ == "__main__":
    main()
