"""Languages and presence over HTTP: presence, interpreter need, overview, statistics, CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from server.models import User
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def _ticket(staff, language="de", queue="core-abh"):
    response = staff.post(
        "/api/v1/tickets/reception", {"site": "musterstadt", "queue": queue, "language": language}
    )
    assert response.status_code == 201, response.data
    return response.get_json()


def test_presence_is_set_by_staff_and_checked(client, login):
    assert (
        client.post("/api/v1/counters/raum-201/presence", json={"state": "open"}).status_code == 401
    )
    clerk = login("clerk")
    response = clerk.post("/api/v1/counters/raum-201/presence", {"state": "break"})
    assert response.status_code == 200
    body = response.get_json()
    assert (body["counter"], body["state"]) == ("raum-201", "break") and body["since"]
    bad = clerk.post("/api/v1/counters/raum-201/presence", {"state": "lunch"})
    assert bad.status_code == 422 and bad.get_json()["error"]["code"] == "invalid"
    assert clerk.post("/api/v1/counters/nowhere/presence", {"state": "open"}).status_code == 404
    states = {
        s["counter"]: s["state"] for s in clerk.get("/api/v1/sites/musterstadt/presence").get_json()
    }
    assert states["raum-201"] == "break" and states["raum-202"] == "closed"


def test_a_counter_on_break_answers_409_to_next_and_logout_closes_it(client, login):
    reception = login("reception")
    _ticket(reception)
    clerk = login("clerk")
    clerk.post("/api/v1/counters/raum-201/presence", {"state": "break"})
    refused = clerk.post("/api/v1/counters/raum-201/next", {})
    assert refused.status_code == 409
    assert refused.get_json()["error"]["code"] == "counter_on_break"
    clerk.post("/api/v1/counters/raum-201/presence", {"state": "open"})
    assert clerk.post("/api/v1/counters/raum-201/next", {}).status_code == 200
    assert clerk.client.delete("/api/v1/session").status_code == 204
    states = {
        s["counter"]: s["state"]
        for s in reception.get("/api/v1/sites/musterstadt/presence").get_json()
    }
    assert states["raum-201"] == "closed"


def test_reception_marks_an_interpreter_need_and_sees_it_unmet(login):
    reception = login("reception")
    ticket = _ticket(reception, language="de")
    assert ticket["language"] == "de" and ticket["needs_language"] is None
    marked = reception.post(f"/api/v1/tickets/{ticket['id']}/interpreter", {"language": "ckb"})
    assert marked.status_code == 200, marked.data
    body = marked.get_json()
    assert body["needs_language"] == "ckb"
    assert body["language_names"] == {
        "code": "ckb",
        "name": "Zentralkurdisch",
        "native": "کوردیی ناوەندی",
    }
    overview = reception.get("/api/v1/sites/musterstadt/languages").get_json()
    assert [(u["number"], u["code"]) for u in overview["unmet"]] == [(ticket["number"], "ckb")]
    unknown = reception.post(f"/api/v1/tickets/{ticket['id']}/interpreter", {"language": "zz"})
    assert unknown.status_code == 422
    missing = reception.post(f"/api/v1/tickets/{ticket['id']}/interpreter", {})
    assert missing.status_code == 422
    reception.post(f"/api/v1/tickets/{ticket['id']}/cancel")
    finished = reception.post(f"/api/v1/tickets/{ticket['id']}/interpreter", {"language": "ar"})
    assert finished.status_code == 409
    assert (
        reception.post("/api/v1/tickets/999999/interpreter", {"language": "ar"}).status_code == 404
    )


def test_language_statistics_count_demand_and_the_calls_language_decided(app, login):
    reception = login("reception")
    first = _ticket(reception, language="de")
    _ticket(reception, language="ar")
    supervisor = login("supervisor")
    db = app.extensions["anlaufstelle"].db
    with db.writing() as s:
        name = s.scalars(select(User.username).where(User.role == "supervisor")).first()
        s.scalars(select(User).where(User.username == name)).one().languages = "ar"
    called = supervisor.post("/api/v1/counters/raum-201/next", {}).get_json()
    assert called["language"] == "ar" and called["number"] != first["number"]
    stats = supervisor.get("/api/v1/sites/musterstadt/statistics/languages").get_json()
    demand = {(r["queue"], r["language"]): r["arrivals"] for r in stats["demand"]}
    assert demand == {("core-abh", "de"): 1, ("core-abh", "ar"): 1}
    rows = {r["language"]: r for r in stats["fairness"]}
    assert rows["ar"]["called"] == 1 and rows["de"]["called"] == 0
    assert rows["ar"]["language_preference_calls"] == 1
    assert rows["ar"]["language_preference_share"] == 1.0
    assert (
        supervisor.get("/api/v1/sites/musterstadt/statistics/languages?from=soon").status_code
        == 422
    )
    assert reception.get("/api/v1/sites/musterstadt/statistics/languages").status_code == 403


def test_user_add_takes_languages_and_refuses_unknown_codes(tmp_path):
    env = {**os.environ, "ANLAUFSTELLE_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}

    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "server.cli", *args],
            input="a-long-password\n",
            env=env,
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=60,
        )

    assert run("db", "upgrade").returncode == 0
    added = run(
        "user", "add", "amal", "--role", "clerk", "--languages", "de,ar,fa,kmr", "--password-stdin"
    )
    assert added.returncode == 0, added.stderr
    refused = run(
        "user", "add", "bo", "--role", "clerk", "--languages", "de,xx", "--password-stdin"
    )
    assert refused.returncode == 1 and "xx" in refused.stderr
    from server.db import Database, make_engine

    db = Database(make_engine(env["ANLAUFSTELLE_DATABASE_URL"]))
    with db.reading() as s:
        assert (
            s.scalars(select(User.languages).where(User.username == "amal")).one() == "de,ar,fa,ku"
        )
        assert s.scalars(select(User).where(User.username == "bo")).first() is None
    db.dispose()


def test_presence_at_a_counter_of_a_site_the_user_may_not_work_at_is_refused(app, make_user):
    name = make_user("clerk")
    db = app.extensions["anlaufstelle"].db
    with db.writing() as s:
        s.scalars(select(User).where(User.username == name)).one().sites = "nebenstelle"
    client = app.test_client()
    answer = client.post("/api/v1/session", json={"username": name, "password": PASSWORD})
    assert answer.status_code == 204
    token = answer.headers["X-CSRF-Token"]
    refused = client.post(
        "/api/v1/counters/raum-201/presence",
        json={"state": "open"},
        headers={"X-CSRF-Token": token},
    )
    assert refused.status_code == 403
    assert refused.get_json()["error"]["code"] == "forbidden"
