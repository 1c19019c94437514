"""Against a real server process: crash safety (invariant 3) and the API contract end to end."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.conftest import LiveServer

pytestmark = pytest.mark.slow

CONCERNS = [
    "fiktion",
    "adresse",
    "leistung-auszahlung",
    "jobcenter-unterlagen",
    "sonstiges",
    "aufenthalt",
    "sprachkurs",
    "kinder",
    "wohnen",
    "arbeit-beratung",
    "leistung-antrag",
    "anerkennung",
    "arbeitserlaubnis",
]


def test_every_acknowledged_ticket_survives_a_sigkill(database_url, tmp_path):
    server = LiveServer(database_url, tmp_path).start()
    acknowledged: list[str] = []
    lock = threading.Lock()
    killed = threading.Event()

    def burst(worker: int) -> None:
        http = requests.Session()
        for i in range(400):
            if killed.is_set():
                return
            try:
                r = http.post(
                    server.url + "/api/v1/tickets",
                    timeout=5,
                    json={
                        "site": "musterstadt",
                        "concern": CONCERNS[(worker + i) % len(CONCERNS)],
                        "language": "de",
                    },
                )
            except requests.RequestException:
                return
            if r.status_code == 201:
                with lock:
                    acknowledged.append(r.json()["token"])
                    if len(acknowledged) >= 150 and not killed.is_set():
                        killed.set()
                        server.kill()  # SIGKILL in the middle of the burst

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(burst, range(8)))
    assert killed.is_set() and len(acknowledged) >= 150

    restarted = LiveServer(database_url, tmp_path).start()
    try:
        http = requests.Session()
        missing = [
            t
            for t in acknowledged
            if http.get(f"{restarted.url}/api/v1/tickets/{t}", timeout=5).status_code != 200
        ]
        assert missing == []
        # Numbering goes on after the crash without reusing a number.
        after = http.post(
            restarted.url + "/api/v1/tickets",
            timeout=5,
            json={"site": "musterstadt", "concern": "fiktion", "language": "de"},
        ).json()["number"]
        numbers = [
            http.get(f"{restarted.url}/api/v1/tickets/{t}", timeout=5).json()["number"]
            for t in acknowledged
        ]
        assert after not in numbers
    finally:
        restarted.stop()


def test_four_hundred_tickets_from_eight_threads_then_all_counters_drain_every_queue(
    database_url, live_server_factory
):
    """On both databases under the gevent server: psycopg waits cooperatively, SQLite's
    writers meet at the write gate (server/db.py), and no number or call is doubled."""
    live_server = live_server_factory(database_url)
    url = live_server.url

    def take(i: int) -> dict:
        r = requests.post(
            url + "/api/v1/tickets",
            timeout=10,
            json={
                "site": "musterstadt",
                "concern": CONCERNS[i % len(CONCERNS)],
                "language": ["de", "en", "ar", "ku", "ckb"][i % 5],
            },
        )
        assert r.status_code == 201, r.text
        return r.json()

    with ThreadPoolExecutor(8) as pool:
        issued = list(pool.map(take, range(400)))
    numbers = Counter(t["number"] for t in issued)
    assert len(numbers) == 400 and max(numbers.values()) == 1

    counters = [
        c["id"] for c in requests.get(url + "/api/v1/sites/musterstadt/counters", timeout=10).json()
    ]
    clerk = live_server.session("clerk")

    def drain(counter: str) -> list[str]:
        got = []
        for _ in range(1000):
            r = clerk.post(f"{url}/api/v1/counters/{counter}/next", timeout=10)
            if r.status_code == 204:
                return got
            assert r.status_code == 200, r.text
            got.append(r.json()["number"])
        raise AssertionError("queue did not drain")

    with ThreadPoolExecutor(len(counters)) as pool:
        called = [n for batch in pool.map(drain, counters) for n in batch]
    assert len(called) == len(set(called)), "a ticket was called twice"
    assert sorted(called) == sorted(numbers)
    queues = clerk.get(url + "/api/v1/sites/musterstadt/queues", timeout=10).json()
    assert all(q["waiting"] == 0 for q in queues)
