"""Enrolled kiosks issue freely; anonymous clients are limited per client and per site."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from server.config import ConfigError, load_settings
from server.domain.errors import AnonymousIssuingOff
from server.domain.ratelimit import (
    OFF,
    UNLIMITED,
    AnonymousLimits,
    Limit,
    anonymous_limits,
    parse_limit,
    wait_seconds,
)
from tests.conftest import CONFIG, PASSWORD, settings_for
from tests.hardening.conftest import log_in

BODY = {"site": "musterstadt", "concern": "adresse", "language": "de"}


def test_a_limit_is_read_from_its_setting():
    assert parse_limit("10/minute") == Limit(10, 60)
    assert parse_limit(" 3/Hour ") == Limit(3, 3600)
    assert parse_limit("off") == OFF and parse_limit("unlimited") == UNLIMITED
    for bad in ("10", "0/minute", "-1/minute", "ten/minute", "10/fortnight", ""):
        with pytest.raises(ValueError):
            parse_limit(bad)


def test_the_window_slides_and_names_the_wait():
    now = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
    limit = Limit(3, 60)
    times = [now - timedelta(seconds=s) for s in (50, 30, 10)]
    assert wait_seconds(times[:2], limit, now) == 0
    assert wait_seconds(times, limit, now) == 10  # the oldest leaves the window in 10 s
    assert wait_seconds(times + [now - timedelta(seconds=90)], limit, now) == 10
    assert wait_seconds(times, limit, now + timedelta(seconds=11)) == 0


def test_the_two_anonymous_settings_are_read_together():
    assert anonymous_limits("10/minute", "2/hour") == AnonymousLimits(Limit(10, 60), Limit(2, 3600))
    assert anonymous_limits("10/minute", "unlimited") == AnonymousLimits(Limit(10, 60), None)
    # `unlimited` per client lifts the site's limit as well: nothing is counted.
    assert anonymous_limits("unlimited", "2/hour") == AnonymousLimits(None, None)
    for client, site in (("off", "10/minute"), ("10/minute", "off"), ("unlimited", "off")):
        with pytest.raises(AnonymousIssuingOff):
            anonymous_limits(client, site)


def _app(database_url: str, **server: object):
    from server.app import create_app
    from server.migrate import upgrade

    app = create_app(settings_for(database_url, **server), testing=True)
    upgrade(app.extensions["anlaufstelle"].db.engine)
    return app


@pytest.fixture
def limited(database_url):
    apps = []

    def make(**server: object):
        app = _app(database_url, **server)
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.extensions["anlaufstelle"].db.dispose()


def _client(app, addr: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = addr
    return client


def test_an_anonymous_client_is_limited_and_told_when_to_come_back(limited):
    app = limited(anonymous_tickets="3/minute", anonymous_tickets_site="100/minute")
    greedy = _client(app, "10.0.0.1")
    codes = [greedy.post("/api/v1/tickets", json=BODY).status_code for _ in range(5)]
    assert codes == [201, 201, 201, 429, 429]
    refused = greedy.post("/api/v1/tickets", json=BODY)
    assert refused.get_json()["error"]["code"] == "rate_limited"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    # Check-in counts as well; another client is not affected.
    assert (
        greedy.post("/api/v1/checkin", json={"site": "musterstadt", "code": "X"}).status_code == 429
    )
    assert _client(app, "10.0.0.2").post("/api/v1/tickets", json=BODY).status_code == 201


def test_the_site_limit_holds_when_many_addresses_ask(limited):
    app = limited(anonymous_tickets="100/minute", anonymous_tickets_site="4/minute")
    codes = [
        _client(app, f"10.0.1.{i}").post("/api/v1/tickets", json=BODY).status_code for i in range(6)
    ]
    assert codes == [201] * 4 + [429] * 2


def test_one_anonymous_client_cannot_drain_a_queues_daily_capacity(limited):
    app = limited(anonymous_tickets="10/minute", anonymous_tickets_site="120/minute")
    client = _client(app, "10.0.2.1")
    issued = sum(client.post("/api/v1/tickets", json=BODY).status_code == 201 for _ in range(60))
    assert issued == 10


def test_anonymous_issuing_can_be_switched_off(limited):
    app = limited(anonymous_tickets="off")
    response = _client(app, "10.0.3.1").post("/api/v1/tickets", json=BODY)
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "anonymous_tickets_off"


def test_an_enrolled_kiosk_and_staff_issue_without_limit_until_the_key_is_revoked(limited):
    app = limited(anonymous_tickets="2/minute")
    admin = _admin(app)
    enrolled = admin.post("/api/v1/kiosks/eingang/key")
    assert enrolled.status_code == 201
    key = enrolled.get_json()["key"]
    assert enrolled.get_json()["kiosk"] == "eingang"
    kiosk = _client(app, "10.0.4.1")
    headers = {"X-Kiosk-Key": key}
    for _ in range(6):
        response = kiosk.post("/api/v1/tickets", json=BODY, headers=headers)
        assert response.status_code == 201
    # The key speaks for its kiosk: the ticket is the kiosk's, another kiosk id is refused.
    other = kiosk.post("/api/v1/tickets", json={**BODY, "kiosk": "nebeneingang"}, headers=headers)
    assert other.status_code == 403
    for _ in range(4):
        assert admin.post("/api/v1/tickets", json=BODY).status_code == 201
    listed = {row["kiosk"]: row for row in admin.get("/api/v1/kiosks").get_json()}
    assert listed["eingang"]["enrolled_since"] is not None

    assert (
        admin.client.delete(
            "/api/v1/kiosks/eingang/key", headers={"X-CSRF-Token": admin.token}
        ).status_code
        == 204
    )
    revoked = kiosk.post("/api/v1/tickets", json=BODY, headers=headers)
    assert revoked.status_code == 401
    assert revoked.get_json()["error"]["code"] == "unknown_kiosk_key"
    listed = {row["kiosk"]: row for row in admin.get("/api/v1/kiosks").get_json()}
    assert listed["eingang"]["enrolled_since"] is None


def test_only_an_admin_enrols_kiosks(limited):
    app = limited()
    assert app.test_client().post("/api/v1/kiosks/eingang/key").status_code == 401
    from server.services.users import add_user

    with app.extensions["anlaufstelle"].db.writing() as session:
        add_user(session, "clerk-k", PASSWORD, "clerk")
    _response, clerk = log_in(app, "clerk-k")
    assert clerk.post("/api/v1/kiosks/eingang/key").status_code == 403
    admin = _admin(app)
    assert admin.post("/api/v1/kiosks/no-such-kiosk/key").status_code == 404


def _admin(app):
    from server.services.users import add_user

    with app.extensions["anlaufstelle"].db.writing() as session:
        add_user(session, "admin-k", PASSWORD, "admin")
    response, admin = log_in(app, "admin-k", addr="10.9.9.9")
    assert response.status_code == 204
    return admin


def test_the_enrolment_page_makes_this_browser_the_kiosk(limited):
    app = limited(anonymous_tickets="1/minute")
    admin = _admin(app)
    page = admin.get("/counter/kiosks")
    assert page.status_code == 200 and "eingang" in page.text
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    done = admin.client.post("/counter/kiosks/eingang/enrol", data={"csrf_token": token})
    assert done.status_code == 302
    assert "kiosk_key=" in done.headers["Set-Cookie"]
    assert "HttpOnly" in done.headers["Set-Cookie"]
    # The browser logs the admin out; its kiosk cookie stays and issues without limit.
    admin.client.delete("/api/v1/session")
    codes = {admin.client.post("/api/v1/tickets", json=BODY).status_code for _ in range(4)}
    assert codes == {201}
    before = _admin(app).get("/counter/kiosks?lang=en").text  # another browser
    assert "<strong>(this browser)</strong>" not in before
    again = admin.client.post("/api/v1/session", json={"username": "admin-k", "password": PASSWORD})
    assert again.status_code == 204
    page = admin.client.get("/counter/kiosks?lang=en").text
    assert "<strong>(this browser)</strong>" in page


def test_the_demo_kiosk_enrols_itself_only_from_this_machine(limited):
    app = limited(anonymous_tickets="1/minute", enrol_loopback_kiosks=True)
    local = _client(app, "127.0.0.1")
    page = local.get("/kiosk/eingang")
    assert page.status_code == 200 and "kiosk_key=" in page.headers.get("Set-Cookie", "")
    assert {local.post("/api/v1/tickets", json=BODY).status_code for _ in range(3)} == {201}
    again = local.get("/kiosk/eingang")
    assert "kiosk_key=" not in again.headers.get("Set-Cookie", "")  # keeps its key
    remote = _client(app, "10.0.5.1").get("/kiosk/eingang")
    assert "kiosk_key=" not in remote.headers.get("Set-Cookie", "")


def test_the_environment_overrides_the_anonymous_setting(monkeypatch):
    monkeypatch.setenv("ANLAUFSTELLE_ANONYMOUS_TICKETS", "off")
    assert load_settings(CONFIG).server.anonymous_tickets == "off"
    monkeypatch.setenv("ANLAUFSTELLE_ANONYMOUS_TICKETS", "lots")
    with pytest.raises(ConfigError, match="ANLAUFSTELLE_ANONYMOUS_TICKETS"):
        load_settings(CONFIG)
