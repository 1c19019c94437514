"""The JSON API v1 contract: shapes, status codes and the order of staff checks."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD

TICKET_KEYS = {
    "number",
    "token",
    "status",
    "queue",
    "position",
    "estimated_wait_minutes",
    "counter",
    "language",
    "status_url",
    "appointment",
}


def issue(client, concern="fiktion", language="de", **extra):
    return client.post(
        "/api/v1/tickets",
        json={"site": "musterstadt", "concern": concern, "language": language, **extra},
    )


def test_health_and_public_lists(client):
    assert client.get("/api/v1/health").json == {"status": "ok"}
    assert client.get("/api/v1/sites").json == [
        {"id": "musterstadt", "name": "Migrationsagentur Musterstadt"}
    ]
    concerns = client.get("/api/v1/sites/musterstadt/concerns?lang=ar").json
    assert {"id", "label", "icon", "queue"} <= set(concerns[0])
    assert concerns[0]["label"] == "طلب تصريح الإقامة أو تمديده"
    counters = client.get("/api/v1/sites/musterstadt/counters").json
    assert {
        "id": "schalter-1",
        "label": "Schalter 1",
        "queues": ["bo-abh", "bo-leistung"],
    } in counters
    assert client.get("/api/v1/sites/musterstadt/displays").json[0]["id"] == "wartebereich"
    assert client.get("/api/v1/sites/musterstadt/kiosks").json[0]["id"] == "eingang"
    assert client.get("/api/v1/sites/nowhere/concerns").status_code == 404


def test_issuing_a_ticket_answers_201_with_the_public_ticket(client):
    response = issue(client, language="ckb")
    assert response.status_code == 201
    ticket = response.json
    assert TICKET_KEYS <= set(ticket)
    assert ticket["number"] == "B-001" and ticket["status"] == "waiting"
    assert ticket["counter"] is None and ticket["appointment"] is False
    assert len(ticket["token"]) >= 32
    assert client.get(f"/api/v1/tickets/{ticket['token']}").json["number"] == "B-001"
    assert client.get("/api/v1/tickets/not-a-token").status_code == 404


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ('{"site": "musterstadt", ', 400, "bad_request"),
        ("[1, 2]", 400, "bad_request"),
        ('{"site": "musterstadt", "language": "de"}', 422, "invalid"),
        ('{"site": "musterstadt", "concern": 5, "language": "de"}', 422, "invalid"),
        ('{"site": "musterstadt", "concern": "fiktion", "language": "fr"}', 422, "invalid"),
        ('{"site": "nowhere", "concern": "fiktion", "language": "de"}', 404, "not_found"),
        ('{"site": "musterstadt", "concern": "nothing", "language": "de"}', 404, "not_found"),
        (
            '{"site": "musterstadt", "concern": "fiktion", "language": "de", "kiosk": "x"}',
            404,
            "not_found",
        ),
    ],
)
def test_bad_ticket_requests_get_a_json_error(client, body, status, code):
    response = client.post("/api/v1/tickets", data=body, content_type="application/json")
    assert response.status_code == status
    assert response.json["error"]["code"] == code
    assert response.json["error"]["message"]


def test_a_retried_request_with_the_same_key_returns_the_same_ticket(client):
    headers = {"Idempotency-Key": "kiosk-eingang-123"}
    first = client.post(
        "/api/v1/tickets",
        json={"site": "musterstadt", "concern": "fiktion", "language": "de"},
        headers=headers,
    )
    again = client.post(
        "/api/v1/tickets",
        json={"site": "musterstadt", "concern": "fiktion", "language": "de"},
        headers=headers,
    )
    assert first.json["token"] == again.json["token"]
    assert issue(client).json["number"] == "B-002"


def test_staff_endpoints_need_a_session_then_a_role_then_csrf(client, login, make_user):
    assert client.post("/api/v1/counters/schalter-1/next").status_code == 401
    assert client.get("/api/v1/sites/musterstadt/queues").status_code == 401
    clerk = login("clerk")
    no_csrf = clerk.client.post("/api/v1/counters/schalter-1/next")
    assert no_csrf.status_code in (400, 403)
    assert no_csrf.json["error"]["code"] == "csrf"
    # Wrong role comes before CSRF: a clerk may not close queues, token or not.
    assert (
        clerk.client.post(
            "/api/v1/sites/musterstadt/queues/bo-abh/state", json={"closed": True}
        ).status_code
        == 403
    )
    assert clerk.post("/api/v1/counters/schalter-1/next").status_code == 204


def test_login_answers_401_for_wrong_credentials_and_429_after_repeated_failures(client, make_user):
    name = make_user("clerk")
    for _ in range(5):
        wrong = client.post("/api/v1/session", json={"username": name, "password": "nope"})
        assert wrong.status_code == 401
    throttled = client.post("/api/v1/session", json={"username": name, "password": PASSWORD})
    assert throttled.status_code == 429
    assert throttled.json["error"]["code"] == "too_many_attempts"


def test_logout_ends_the_session(login):
    clerk = login("clerk")
    assert clerk.get("/api/v1/sites/musterstadt/queues").status_code == 200
    assert clerk.client.delete("/api/v1/session").status_code == 204
    assert clerk.get("/api/v1/sites/musterstadt/queues").status_code == 401


def test_a_clerk_calls_recalls_transfers_and_finishes(client, login):
    token = issue(client, concern="sonstiges", language="ar").json["token"]
    clerk = login("clerk")
    called = clerk.post("/api/v1/counters/empfang-1/next").json
    assert called["token"] == token and called["status"] == "called"
    assert called["counter"] == {"id": "empfang-1", "label": "Empfang 1"}
    public = client.get(f"/api/v1/tickets/{token}").json
    assert public["status"] == "called" and public["counter"]["label"] == "الاستقبال 1"
    assert "id" not in public and "note" not in public
    ticket_id = called["id"]
    assert clerk.post(f"/api/v1/tickets/{ticket_id}/recall").json["recalls"] == 1
    moved = clerk.post(f"/api/v1/tickets/{ticket_id}/transfer", json={"queue": "core-abh"}).json
    assert (moved["number"], moved["status"], moved["queue"]) == (
        called["number"],
        "waiting",
        "core-abh",
    )
    assert clerk.post(f"/api/v1/tickets/{ticket_id}/finish").status_code == 409
    again = clerk.post("/api/v1/counters/raum-201/next").json
    assert again["id"] == ticket_id
    assert clerk.post(f"/api/v1/tickets/{ticket_id}/finish").json["status"] == "done"
    conflict = clerk.post(f"/api/v1/tickets/{ticket_id}/no-show")
    assert conflict.status_code == 409 and conflict.json["error"]["code"] == "invalid_transition"
    assert client.get(f"/api/v1/tickets/{token}").json["status"] == "done"


def test_the_staff_answers_show_each_stop_as_the_move_left_it(client, login, db):
    """Stops are written with plain updates: the answer, the push and the database agree."""
    from sqlalchemy import select

    from server.models import Visit

    issue(client, concern="sonstiges", language="de")
    clerk = login("clerk")
    called = clerk.post("/api/v1/counters/empfang-1/next").json
    stop = called["stops"][-1]
    assert stop["counter"] == "empfang-1" and stop["called_at"] == called["called_at"]
    assert stop["finished_at"] is None and stop["outcome"] is None
    clerk.post(f"/api/v1/tickets/{called['id']}/start")
    done = clerk.post(f"/api/v1/tickets/{called['id']}/finish").json
    stop = done["stops"][-1]
    assert stop["outcome"] == "done" and stop["finished_at"] is not None
    assert clerk.get(f"/api/v1/tickets/{called['id']}").json["stops"] == done["stops"]
    with db.reading() as session:
        visit = session.scalars(select(Visit).where(Visit.ticket_id == called["id"])).one()
        assert visit.counter_id == "empfang-1" and visit.user_id is not None
        assert visit.started_at is not None and visit.outcome == "done"


def test_staff_errors_for_unknown_things(login):
    clerk = login("clerk")
    assert clerk.post("/api/v1/counters/nowhere/next").status_code == 404
    assert clerk.post("/api/v1/tickets/999999/finish").status_code == 404
    assert clerk.post("/api/v1/counters/schalter-1/next", json={"queue": 7}).status_code == 422
    assert clerk.post("/api/v1/tickets/1/transfer", json={}).status_code in (404, 422)


def test_queues_overview_for_staff(client, login):
    issue(client)
    queues = login("clerk").get("/api/v1/sites/musterstadt/queues").json
    bo = next(q for q in queues if q["id"] == "bo-abh")
    assert bo["kind"] == "back_office" and bo["waiting"] == 1
    assert bo["oldest_wait_seconds"] >= 0


def test_display_state_has_calls_and_waiting_counts_only(client, login):
    issue(client)
    login("clerk").post("/api/v1/counters/schalter-1/next")
    issue(client, concern="adresse")
    state = client.get("/api/v1/displays/wartebereich/state").json
    assert state["calls"][0]["number"] == "B-001"
    assert state["calls"][0]["counter"] == {"id": "schalter-1", "label": "Schalter 1"}
    # Totals per zone the screen shows, never per queue; a call is number, counter, time.
    assert state["waiting"] == {"eg": 0, "og1": 1, "og2": 0}
    assert set(state["calls"][0]) == {"number", "counter", "called_at", "recall"}
    assert client.get("/api/v1/displays/nowhere/state").status_code == 404


def test_statistics_report_waits_against_the_target(client, login):
    issue(client)
    issue(client, concern="adresse")
    clerk = login("clerk")
    first = clerk.post("/api/v1/counters/schalter-1/next").json
    clerk.post(f"/api/v1/tickets/{first['id']}/finish")
    second = clerk.post("/api/v1/counters/schalter-1/next").json
    clerk.post(f"/api/v1/tickets/{second['id']}/no-show")
    assert clerk.get("/api/v1/sites/musterstadt/statistics").status_code == 403
    boss = login("supervisor")
    stats = boss.get("/api/v1/sites/musterstadt/statistics").json
    assert stats["by"] == "day"
    row = next(d for d in stats["rows"] if d["queue"] == "bo-abh")
    assert (row["arrivals"], row["called"], row["no_show"]) == (2, 2, 1)
    assert row["within_target_percent"] == 100.0
    assert boss.get("/api/v1/sites/musterstadt/statistics?from=bad").status_code == 422
