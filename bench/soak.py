"""Soak: a mixed load for a long while, printing the server's RSS, descriptors and threads.

`make soak` (30 minutes; SOAK_MINUTES=N for another length). Loopback only, bounded
rates. After the warm-up (a sixth of the run, at least one minute) the worker's RSS
should grow by less than 10 MB: more means something keeps what it should let go.
"""

from __future__ import annotations

import os
import random
import threading
import time
import uuid
from pathlib import Path

import requests
import socketio

from bench.harness import Server, login

SITE = "musterstadt"
CONCERNS = ("adresse", "aufenthalt", "leistung-auszahlung", "kinder", "sprachkurs")
LANGUAGES = ("de", "en", "ar", "ku", "ckb")
GROWTH_LIMIT_MB = 10.0


def worker_pid(server: Server) -> int:
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    return int(children[0]) if children else server.pid


def sample(pid: int) -> tuple[float, int, int]:
    """RSS in MB, open file descriptors and threads of a process."""
    rss, threads = 0.0, 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            rss = int(line.split()[1]) / 1024
        elif line.startswith("Threads:"):
            threads = int(line.split()[1])
    return rss, len(os.listdir(f"/proc/{pid}/fd")), threads


class Load:
    """Visitors, phones, a display, clerks and logins, each on its own thread, paced."""

    def __init__(self, server: Server) -> None:
        self.url = server.url
        self.server = server
        self.stop = threading.Event()
        self.tokens: list[str] = []
        self.counts = {"issued": 0, "called": 0, "sockets": 0, "logins": 0, "errors": 0}
        self.lock = threading.Lock()

    def _count(self, name: str) -> None:
        with self.lock:
            self.counts[name] += 1

    def visitors(self) -> None:
        while not self.stop.wait(0.5):
            body = {
                "site": SITE,
                "concern": random.choice(CONCERNS),
                "language": random.choice(LANGUAGES),
            }
            try:
                r = requests.post(f"{self.url}/api/v1/tickets", json=body, timeout=10)
                if r.status_code == 201:
                    self._count("issued")
                    with self.lock:
                        self.tokens = (self.tokens + [r.json()["token"]])[-50:]
                    requests.get(f"{self.url}/t/{r.json()['token']}", timeout=10)
            except requests.RequestException:
                self._count("errors")

    def clerks(self, name: str) -> None:
        http = login(self.url, name)
        counters = ("schalter-1", "schalter-2", "schalter-3")
        while not self.stop.wait(1.0):
            try:
                r = http.post(
                    f"{self.url}/api/v1/counters/{random.choice(counters)}/next",
                    json={},
                    timeout=10,
                )
                if r.status_code == 200:
                    self._count("called")
                    http.post(f"{self.url}/api/v1/tickets/{r.json()['id']}/finish", timeout=10)
            except requests.RequestException:
                self._count("errors")

    def sockets(self) -> None:
        """Phones and screens that come and go: each connection must be let go again."""
        while not self.stop.wait(2.0):
            with self.lock:
                token = random.choice(self.tokens) if self.tokens else None
            for namespace, auth in (
                ("/display", {"display": "wartebereich"}),
                ("/ticket", {"token": token} if token else None),
            ):
                if auth is None:
                    continue
                client = socketio.Client(reconnection=False)
                try:
                    client.connect(
                        self.url,
                        namespaces=[namespace],
                        auth=auth,
                        transports=["websocket"],
                        wait_timeout=10,
                    )
                    time.sleep(0.5)
                    self._count("sockets")
                except Exception:
                    self._count("errors")
                finally:
                    client.disconnect()

    def logins(self, name: str) -> None:
        while not self.stop.wait(5.0):
            try:
                http = login(self.url, name)
                http.get(f"{self.url}/api/v1/session", timeout=10)
                http.delete(f"{self.url}/api/v1/session", timeout=10)
                self._count("logins")
            except Exception:
                self._count("errors")

    def start(self) -> list[threading.Thread]:
        threads = [
            threading.Thread(target=self.visitors, daemon=True),
            threading.Thread(
                target=self.clerks, args=(self.server.add_user("clerk"),), daemon=True
            ),
            threading.Thread(target=self.sockets, daemon=True),
            threading.Thread(
                target=self.logins, args=(self.server.add_user("clerk"),), daemon=True
            ),
        ]
        for thread in threads:
            thread.start()
        return threads


def main(minutes: float | None = None) -> int:
    minutes = minutes or float(os.environ.get("SOAK_MINUTES", "30"))
    warm_up = max(1.0, minutes / 6)
    db = Path(f"/tmp/anlaufstelle-soak-{uuid.uuid4().hex[:8]}.db")
    server = Server(f"sqlite:///{db}")
    load = Load(server)
    try:
        pid = worker_pid(server)
        load.start()
        print(f"soak: {minutes:g} min mixed load, warm-up {warm_up:g} min, worker pid {pid}")
        print(f"{'min':>4} {'RSS MB':>8} {'fds':>5} {'threads':>7}  load so far", flush=True)
        began = time.monotonic()
        after_warm_up: float | None = None
        rss = 0.0
        for minute in range(1, int(minutes) + 1):
            time.sleep(max(0.0, began + minute * 60 - time.monotonic()))
            rss, fds, threads = sample(pid)
            with load.lock:
                counts = dict(load.counts)
            print(f"{minute:>4} {rss:>8.1f} {fds:>5} {threads:>7}  {counts}", flush=True)
            if after_warm_up is None and minute >= warm_up:
                after_warm_up = rss
        growth = rss - (after_warm_up or rss)
        verdict = "ok" if growth < GROWTH_LIMIT_MB else "TOO MUCH"
        print(
            f"RSS growth after warm-up: {growth:+.1f} MB (limit {GROWTH_LIMIT_MB:g} MB): {verdict}"
        )
        return 0 if growth < GROWTH_LIMIT_MB else 1
    finally:
        load.stop.set()
        server.stop()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)


if __name__ == "__main__":
    raise SystemExit(main())
