"""Several server processes: calls made on one reach screens and phones on another via Redis."""

from __future__ import annotations

import pytest

from tests.conftest import REDIS_URL, need_service
from tests.display.helpers import Recorder, call_next, issue

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]


def test_a_display_on_one_worker_sees_calls_made_on_another(postgres_url, live_server_factory):
    need_service("Redis", "127.0.0.1", 6379)
    first = live_server_factory(postgres_url, redis_url=REDIS_URL)
    second = live_server_factory(postgres_url, redis_url=REDIS_URL)
    screen = Recorder(
        first.url, "/display", {"display": "wartebereich"}, ("state", "called", "waiting")
    ).connect()
    ticket = issue(second.url, "adresse", "ar")
    phone = Recorder(first.url, "/ticket", {"token": ticket["token"]}, ("ticket",)).connect()
    try:
        screen.wait_for("state")
        assert phone.wait_for("ticket")["status"] == "waiting"
        called = call_next(second.session("clerk"), second.url, "schalter-1")
        assert called["number"] == ticket["number"]
        event = screen.wait_for("called", lambda c: c["number"] == ticket["number"], timeout=3)
        assert event["counter"]["id"] == "schalter-1"
        update = phone.wait_for("ticket", lambda t: t["status"] == "called", timeout=3)
        assert update["counter"]["label"] == "الشباك 1"
        # the waiting counts pushed from the other worker arrive as well
        screen.wait_for("waiting", lambda w: w["og1"] == 0, timeout=3)
    finally:
        screen.close()
        phone.close()
