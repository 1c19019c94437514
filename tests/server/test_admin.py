"""User administration and the audit trail through the API (admin role)."""

from __future__ import annotations

import csv
import io

from tests.conftest import PASSWORD

NEW_PASSWORD = "Kirschbaum-Laterne-7"


def _patch(staff, path, body):
    return staff.client.patch(path, json=body, headers={"X-CSRF-Token": staff.token})


def test_an_admin_lists_creates_and_changes_users(login):
    admin = login("admin")
    created = admin.post(
        "/api/v1/users",
        json={
            "username": "amira",
            "role": "clerk",
            "password": NEW_PASSWORD,
            "languages": ["ar", "de"],
        },
    )
    assert created.status_code == 201, created.data
    assert created.get_json()["languages"] == ["ar", "de"]
    listed = {u["username"]: u for u in admin.get("/api/v1/users").get_json()}
    assert listed["amira"] == {
        "username": "amira",
        "role": "clerk",
        "languages": ["ar", "de"],
        "sites": [],
        "active": True,
        "must_change_password": False,
    }
    changed = _patch(admin, "/api/v1/users/amira", {"role": "reception", "languages": ["ku"]})
    assert changed.status_code == 200
    assert (changed.get_json()["role"], changed.get_json()["languages"]) == ("reception", ["ku"])


def test_user_admin_refuses_bad_input_with_clear_codes(login):
    admin = login("admin")
    assert _patch(admin, "/api/v1/users/nobody", {"role": "clerk"}).status_code == 404
    weak = admin.post(
        "/api/v1/users", json={"username": "u1", "role": "clerk", "password": "passwort123"}
    )
    assert weak.status_code == 422 and "common" in weak.get_json()["error"]["message"]
    short = admin.post(
        "/api/v1/users", json={"username": "u2", "role": "clerk", "password": "kurz"}
    )
    assert short.status_code == 422
    role = admin.post(
        "/api/v1/users", json={"username": "u3", "role": "king", "password": NEW_PASSWORD}
    )
    assert role.status_code == 422
    language = _patch(admin, "/api/v1/users/" + _me(admin), {"languages": ["xx"]})
    assert language.status_code == 422


def _me(staff) -> str:
    return staff.get("/api/v1/session").get_json()["username"]


def test_the_last_active_admin_cannot_be_deactivated_or_demoted(login):
    admin = login("admin")
    me = _me(admin)
    assert _patch(admin, f"/api/v1/users/{me}", {"active": False}).status_code == 409
    assert _patch(admin, f"/api/v1/users/{me}", {"role": "clerk"}).status_code == 409
    second = login("admin")
    assert _patch(second, f"/api/v1/users/{me}", {"active": False}).status_code == 200


def test_other_roles_may_not_administer_users(login, client):
    assert client.get("/api/v1/users").status_code == 401
    supervisor = login("supervisor")
    assert supervisor.get("/api/v1/users").status_code == 403
    assert supervisor.get("/api/v1/audit").status_code == 403


def test_deactivating_a_user_ends_its_sessions_at_once(login, app):
    admin = login("admin")
    clerk = login("clerk")
    name = _me(clerk)
    assert clerk.get("/api/v1/sites/musterstadt/queues").status_code == 200
    assert _patch(admin, f"/api/v1/users/{name}", {"active": False}).status_code == 200
    assert clerk.get("/api/v1/sites/musterstadt/queues").status_code == 401
    again = app.test_client().post("/api/v1/session", json={"username": name, "password": PASSWORD})
    assert again.status_code == 401
    assert _patch(admin, f"/api/v1/users/{name}", {"active": True}).status_code == 200
    back = app.test_client().post("/api/v1/session", json={"username": name, "password": PASSWORD})
    assert back.status_code == 204


def test_a_password_reset_ends_sessions_and_the_new_password_works(login, app):
    admin = login("admin")
    clerk = login("clerk")
    name = _me(clerk)
    assert _patch(admin, f"/api/v1/users/{name}", {"password": NEW_PASSWORD}).status_code == 200
    assert clerk.get("/api/v1/session").status_code == 401
    fresh = app.test_client()
    answer = fresh.post("/api/v1/session", json={"username": name, "password": NEW_PASSWORD})
    assert answer.status_code == 204


def test_the_audit_trail_records_logins_failures_user_changes_and_ticket_actions(
    login, app, client
):
    admin = login("admin")
    clerk = login("clerk")
    clerk_name = _me(clerk)
    client.post("/api/v1/session", json={"username": clerk_name, "password": "wrong-password"})
    ticket = client.post(
        "/api/v1/tickets", json={"site": "musterstadt", "concern": "adresse", "language": "de"}
    ).get_json()
    called = clerk.post("/api/v1/counters/schalter-1/next", json={})
    assert called.status_code == 200, called.data
    ticket_id = called.get_json()["id"]
    assert clerk.post(f"/api/v1/tickets/{ticket_id}/no-show").status_code == 200
    _patch(admin, f"/api/v1/users/{clerk_name}", {"languages": ["de", "en"]})

    rows = admin.get("/api/v1/audit").get_json()["rows"]
    seen = {(r["actor"], r["action"]) for r in rows}
    assert {
        (clerk_name, "login"),
        (clerk_name, "login_failed"),
        (clerk_name, "call"),
        (clerk_name, "no_show"),
        (_me(admin), "user_changed"),
    } <= seen
    failed = next(r for r in rows if r["action"] == "login_failed")
    assert failed["target"] == "bad_credentials" and failed["ip"] == "127.0.0.1"
    call = next(r for r in rows if r["action"] == "call")
    assert ticket["number"] in call["target"] and ticket["token"] not in str(rows)

    only_calls = admin.get(f"/api/v1/audit?action=call&actor={clerk_name}").get_json()["rows"]
    assert [r["action"] for r in only_calls] == ["call"]
    assert admin.get("/api/v1/audit?action=dance").status_code == 422
    assert admin.get("/api/v1/audit?from=yesterday").status_code == 422
    assert admin.get("/api/v1/audit?from=2000-01-01&to=2000-01-02").get_json()["rows"] == []

    exported = admin.get("/api/v1/audit?format=csv")
    assert exported.mimetype == "text/csv"
    table = list(csv.DictReader(io.StringIO(exported.get_data(as_text=True))))
    assert {"login", "call", "no_show"} <= {r["action"] for r in table}
    assert admin.get("/api/v1/audit?action=export").get_json()["rows"][0]["actor"] == _me(admin)


def test_after_a_reset_the_api_asks_for_a_new_password_first(login, app):
    admin = login("admin")
    clerk = login("clerk")
    name = _me(clerk)
    _patch(admin, f"/api/v1/users/{name}", {"password": NEW_PASSWORD})
    fresh = app.test_client()
    answer = fresh.post("/api/v1/session", json={"username": name, "password": NEW_PASSWORD})
    token = answer.headers["X-CSRF-Token"]
    blocked = fresh.get("/api/v1/sites/musterstadt/queues")
    assert blocked.status_code == 403
    assert blocked.get_json()["error"]["code"] == "password_change_required"
    weak = fresh.put(
        "/api/v1/session/password", json={"password": "12345678"}, headers={"X-CSRF-Token": token}
    )
    assert weak.status_code == 422
    done = fresh.put(
        "/api/v1/session/password",
        json={"password": "Apfelbaum-Sonnenuhr-4"},
        headers={"X-CSRF-Token": token},
    )
    assert done.status_code == 204
    assert fresh.get("/api/v1/sites/musterstadt/queues").status_code == 200


def test_booking_and_cancelling_an_appointment_are_audited_without_the_code(login):
    from datetime import UTC, datetime, timedelta

    admin = login("admin")
    reception = login("reception")
    day = datetime.now(UTC) + timedelta(days=2)
    while day.weekday() > 4:
        day += timedelta(days=1)
    start = day.replace(hour=9, minute=0, second=0, microsecond=0)
    booked = reception.post(
        "/api/v1/appointments",
        json={
            "site": "musterstadt",
            "queue": "core-abh",
            "start": start.isoformat(),
            "language": "ar",
        },
    )
    assert booked.status_code == 201, booked.data
    appointment = booked.get_json()
    assert reception.post(f"/api/v1/appointments/{appointment['id']}/cancel").status_code == 200
    rows = admin.get(f"/api/v1/audit?actor={_me(reception)}").get_json()["rows"]
    actions = [r["action"] for r in rows]
    assert actions[:2] == ["appointment_cancelled", "appointment_booked"]
    code = appointment["code"]
    assert all(
        code not in (r["target"] or "") and code.replace("-", "") not in (r["target"] or "")
        for r in rows
    )
