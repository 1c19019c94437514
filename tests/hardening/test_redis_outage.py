"""Two servers, one Redis that stops: once it is back, every screen and phone is right again."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from tests.conftest import need_program
from tests.display.helpers import Recorder, call_next, issue
from tests.live import free_port

pytestmark = [pytest.mark.redis, pytest.mark.slow]


class OwnRedis:
    """A redis-server of this test alone, on a free loopback port, to stop and start."""

    def __init__(self, tmp: Path) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.tmp = tmp
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> OwnRedis:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.tmp),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if redis.Redis.from_url(self.url, socket_timeout=0.5).ping():
                    return self
            except redis.RedisError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[OwnRedis]:
    need_program("redis-server", "redis-server")
    server = OwnRedis(tmp_path).start()
    yield server
    server.stop()


def test_after_a_redis_outage_screens_and_phones_get_a_fresh_snapshot(
    sqlite_url, own_redis, live_server_factory
):
    first = live_server_factory(sqlite_url, redis_url=own_redis.url)
    second = live_server_factory(sqlite_url, redis_url=own_redis.url)
    screen = Recorder(
        first.url, "/display", {"display": "wartebereich"}, ("state", "called", "waiting")
    ).connect()
    ticket = issue(second.url, "adresse", "ar")
    phone = Recorder(first.url, "/ticket", {"token": ticket["token"]}, ("ticket",)).connect()
    clerk = second.session("clerk")
    try:
        screen.wait_for("state")
        assert phone.wait_for("ticket")["status"] == "waiting"

        own_redis.stop()
        time.sleep(1)
        called = call_next(clerk, second.url, "schalter-1")  # made while Redis is down
        assert called["number"] == ticket["number"]
        time.sleep(3)
        screen_mark, phone_mark = screen.mark(), phone.mark()
        assert not [c for c in screen.of("called") if c["number"] == ticket["number"]]

        own_redis.start()
        back = time.monotonic()
        state = screen.wait_for(
            "state",
            lambda s: any(c["number"] == ticket["number"] for c in s["calls"]),
            timeout=10,
            after=screen_mark,
        )
        assert state["calls"][0]["counter"]["id"] == "schalter-1"
        update = phone.wait_for(
            "ticket", lambda t: t["status"] == "called", timeout=10, after=phone_mark
        )
        assert update["number"] == ticket["number"]
        print(f"resynchronised {time.monotonic() - back:.1f} s after Redis came back")

        # And calls flow through Redis again, from one server to the other.
        later = issue(second.url, "adresse", "de")
        again = call_next(clerk, second.url, "schalter-2")
        assert again["number"] == later["number"]
        screen.wait_for("called", lambda c: c["number"] == later["number"], timeout=5)
    finally:
        screen.close()
        phone.close()
