"""The admin pages: users (create, change, reset, deactivate), the audit trail, own password."""

from __future__ import annotations

import csv
import io

import pytest

from tests.conftest import PASSWORD
from tests.counter.conftest import form_token

NEW_PASSWORD = "Kirschbaum-Laterne-7"


def _form(staff, path: str, data: dict):
    page = staff.get("/counter/admin/users").get_data(as_text=True)
    return staff.client.post(path, data={"csrf_token": form_token(page), **data})


@pytest.mark.parametrize("role", ["clerk", "reception", "supervisor"])
def test_only_admins_open_the_admin_pages(login, role):
    staff = login(role)
    assert staff.get("/counter/admin/users").status_code == 403
    assert staff.get("/counter/admin/audit").status_code == 403
    assert staff.get("/counter/admin/audit.csv").status_code == 403


@pytest.mark.parametrize(("lang", "heading"), [("de", "Benutzer"), ("en", "Users")])
def test_the_user_list_speaks_german_and_english(login, lang, heading):
    admin = login("admin")
    html = admin.get(f"/counter/admin/users?lang={lang}").get_data(as_text=True)
    assert f'<html lang="{lang}"' in html and f"<h1>{heading}</h1>" in html
    assert "eingang" in html  # the kiosks of the site are listed too


def _login_form(client, name: str, password: str):
    page = client.get("/counter/login").get_data(as_text=True)
    return client.post(
        "/counter/login",
        data={"csrf_token": form_token(page), "username": name, "password": password},
    )


def test_a_created_user_works_at_once_and_after_a_reset_must_choose_a_password(login, app):
    admin = login("admin")
    created = _form(
        admin,
        "/counter/admin/users",
        {
            "username": "jana",
            "role": "reception",
            "password": NEW_PASSWORD,
            "languages": ["de", "ar"],
        },
    )
    assert created.status_code == 302
    jana = app.test_client()
    assert _login_form(jana, "jana", NEW_PASSWORD).status_code == 302
    assert jana.get("/counter/reception").status_code == 200

    reset = "Sonnenblume-Kompass-3"
    _form(admin, "/counter/admin/users/jana", {"what": "password", "password": reset})
    html = admin.get("/counter/admin/users?lang=en").get_data(as_text=True)
    assert 'data-user="jana"' in html and "must choose a new one" in html
    assert jana.get("/counter/reception").status_code == 302  # the reset ended her session
    assert _login_form(jana, "jana", reset).status_code == 302
    assert jana.get("/counter/reception").headers["Location"].endswith("/counter/password")
    page = jana.get("/counter/password?lang=en").get_data(as_text=True)
    weak = jana.post(
        "/counter/password",
        data={"csrf_token": form_token(page), "password": "passwort123", "repeat": "passwort123"},
    )
    assert weak.status_code == 422 and "common passwords" in weak.get_data(as_text=True)
    mine = "Apfelbaum-Sonnenuhr-4"
    done = jana.post(
        "/counter/password",
        data={"csrf_token": form_token(page), "password": mine, "repeat": mine},
    )
    assert done.status_code == 302
    assert jana.get("/counter/reception").status_code == 200


def test_deactivating_on_the_page_ends_the_users_session_and_the_last_admin_stays(login):
    admin = login("admin")
    clerk = login("clerk")
    name = clerk.get("/api/v1/session").get_json()["username"]
    _form(admin, f"/counter/admin/users/{name}", {"what": "deactivate"})
    assert clerk.get("/counter/").status_code == 302  # back to the login page
    me = admin.get("/api/v1/session").get_json()["username"]
    refused = _form(admin, f"/counter/admin/users/{me}", {"what": "deactivate"})
    assert refused.status_code == 302
    html = admin.get("/counter/admin/users?lang=en").get_data(as_text=True)
    assert "last active administrator" in html
    assert admin.get("/api/v1/session").status_code == 200


def test_the_audit_page_filters_by_day_user_and_action_and_exports_csv(login, app):
    admin = login("admin")
    clerk = login("clerk")
    name = clerk.get("/api/v1/session").get_json()["username"]
    app.test_client().post("/api/v1/session", json={"username": name, "password": "falsch-123"})
    html = admin.get(f"/counter/admin/audit?lang=en&actor={name}").get_data(as_text=True)
    assert html.count('data-action="login"') == 1
    assert html.count('data-action="login_failed"') == 1
    only = admin.get(f"/counter/admin/audit?actor={name}&action=login_failed").get_data(
        as_text=True
    )
    assert 'data-action="login"' not in only and 'data-action="login_failed"' in only
    empty = admin.get("/counter/admin/audit?day=2001-01-01&lang=en").get_data(as_text=True)
    assert "No entries for these filters." in empty
    exported = admin.get(f"/counter/admin/audit.csv?actor={name}")
    rows = list(csv.DictReader(io.StringIO(exported.get_data(as_text=True))))
    assert {r["action"] for r in rows} == {"login", "login_failed"}
    assert PASSWORD not in exported.get_data(as_text=True)
