"""Two sites in one database: numbers, displays, phones, statistics, audit and retention apart."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from server.config import ConfigError, parse_settings
from server.models import Ticket
from server.services import retention
from server.services.clock import utcnow
from tests.conftest import settings_for
from tests.server.two_sites import SECOND, with_second_site

FIRST = "musterstadt"


@pytest.fixture
def settings(sqlite_url):
    # The second site keeps personal data twice as long as the installation's default.
    return with_second_site(settings_for(sqlite_url), personal_days=60)


def _issue(client, site: str, concern: str = "adresse") -> dict:
    answer = client.post(
        "/api/v1/tickets", json={"site": site, "concern": concern, "language": "ar"}
    )
    assert answer.status_code == 201, answer.data
    return answer.get_json()


def _limited(app, admin, role: str, name: str, sites: list[str]):
    """A user limited to `sites`, created by the admin, logged in with its first password."""
    password = "Laterne-Kirschbaum-9"
    created = admin.post(
        "/api/v1/users", json={"username": name, "role": role, "password": password, "sites": sites}
    )
    assert created.status_code == 201, created.data
    from tests.conftest import StaffClient

    client = app.test_client()
    token = client.post("/api/v1/session", json={"username": name, "password": password}).headers[
        "X-CSRF-Token"
    ]
    changed = client.put(
        "/api/v1/session/password",
        json={"password": password + "!x"},
        headers={"X-CSRF-Token": token},
    )
    assert changed.status_code == 204
    return StaffClient(client, token)


def test_two_sites_keep_numbers_displays_phones_statistics_and_audit_apart(app, client, login):
    a1, a2 = _issue(client, FIRST), _issue(client, FIRST)
    b1 = _issue(client, SECOND)
    assert (a1["number"], a2["number"], b1["number"]) == ("B-001", "B-002", "B-001")
    # The phone of the first visitor at the second site: first in line there.
    assert client.get(f"/api/v1/tickets/{b1['token']}").get_json()["position"] == 1
    assert client.get(f"/api/v1/tickets/{a2['token']}").get_json()["position"] == 2

    admin = login("admin")
    north = _limited(app, admin, "supervisor", "nord-leitung", [SECOND])
    assert north.get(f"/api/v1/sites/{FIRST}/queues").status_code == 403
    assert north.get(f"/api/v1/sites/{SECOND}/queues").status_code == 200
    assert north.post("/api/v1/counters/schalter-1/next", json={}).status_code == 403
    called = north.post("/api/v1/counters/n-schalter-1/next", json={})
    assert called.status_code == 200 and called.get_json()["number"] == "B-001"
    assert client.get(f"/api/v1/tickets/{b1['token']}").get_json()["status"] == "called"
    assert client.get(f"/api/v1/tickets/{a1['token']}").get_json()["status"] == "waiting"

    north_screen = client.get("/api/v1/displays/n-wartebereich/state").get_json()
    first_screen = client.get("/api/v1/displays/wartebereich/state").get_json()
    assert [c["counter"]["id"] for c in north_screen["calls"]] == ["n-schalter-1"]
    assert first_screen["calls"] == []

    stats_north = north.get(f"/api/v1/sites/{SECOND}/statistics").get_json()
    stats_first = admin.get(f"/api/v1/sites/{FIRST}/statistics").get_json()
    assert sum(r["arrivals"] for r in stats_north["rows"]) == 1
    assert sum(r["called"] for r in stats_north["rows"]) == 1
    assert sum(r["arrivals"] for r in stats_first["rows"]) == 2
    assert sum(r["called"] for r in stats_first["rows"]) == 0

    north_admin = _limited(app, admin, "admin", "nord-admin", [SECOND])
    actions = {
        (r["action"], r["site"]) for r in north_admin.get("/api/v1/audit").get_json()["rows"]
    }
    assert ("call", SECOND) in actions
    admin.post("/api/v1/sites/musterstadt/queues/bo-abh/state", json={"closed": True})
    rows = north_admin.get("/api/v1/audit?action=queue_state").get_json()["rows"]
    assert rows == []  # the first site's queue is none of the second site's admin's business
    assert len(admin.get("/api/v1/audit?action=queue_state").get_json()["rows"]) == 1


def test_each_site_keeps_personal_data_for_its_own_period(app, client, db, settings):
    _issue(client, FIRST)
    _issue(client, SECOND)
    with db.writing() as session:
        report = retention.run(session, settings, utcnow() + timedelta(days=45))
    assert report.counts[f"{FIRST}: tickets pseudonymised"] == 1
    assert report.counts[f"{SECOND}: tickets pseudonymised"] == 0
    with db.reading() as session:
        tokens = dict(session.execute(select(Ticket.site_id, Ticket.token)).all())
    assert tokens[FIRST].startswith("~") and not tokens[SECOND].startswith("~")


def test_staff_pages_let_a_user_of_several_sites_choose_and_limit_the_others(app, login):
    admin = login("admin")
    html = admin.get("/counter/?lang=en").get_data(as_text=True)
    assert 'name="site"' in html and "Migrationsagentur Nordstadt" in html
    chosen = admin.get(f"/counter/?site={SECOND}").get_data(as_text=True)
    assert f'"id": "{SECOND}"' in chosen
    north = _limited(app, admin, "clerk", "nord-schalter", [SECOND])
    page = north.get("/counter/").get_data(as_text=True)
    assert f'"id": "{SECOND}"' in page and 'name="site"' not in page  # one site: no choice
    assert north.get(f"/counter/?site={FIRST}").status_code == 403


def test_an_id_may_name_only_one_counter_in_the_installation(settings):
    data = settings.model_dump(mode="json", exclude_none=True)
    data["sites"][1]["counters"][0]["id"] = data["sites"][0]["counters"][0]["id"]
    with pytest.raises(ConfigError, match="already used by site 'musterstadt'"):
        parse_settings(data)


def test_the_staff_channel_carries_only_the_sites_a_user_may_work_at(app, login):
    from server.extensions import socketio

    limited = _limited(app, login("admin"), "clerk", "nur-nordstadt", [SECOND])
    channel = socketio.test_client(app, namespace="/staff", flask_test_client=limited.client)
    assert channel.is_connected("/staff")
    received = channel.get_received("/staff")
    assert {m["args"][0]["site"] for m in received if m["name"] == "queues"} == {SECOND}
    channel.disconnect(namespace="/staff")
