"""Staff login: the form and the API, throttling, logout, the idle timeout."""

from __future__ import annotations

import time
from email.utils import parsedate_to_datetime
from types import SimpleNamespace

import itsdangerous.timed
import pytest

from tests.conftest import PASSWORD
from tests.counter.conftest import form_token


def login_form(client, username: str, password: str, next_path: str | None = None):
    page = client.get("/counter/login")
    query = f"?next={next_path}" if next_path else ""
    return client.post(
        f"/counter/login{query}",
        data={"csrf_token": form_token(page.text), "username": username, "password": password},
    )


def session_cookie(response) -> str:
    return next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))


@pytest.mark.parametrize("path", ["/counter/", "/counter/reception", "/counter/overview"])
def test_staff_pages_send_a_visitor_without_session_to_the_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/counter/login?next=")
    assert path in response.headers["Location"]


def test_the_login_form_logs_in_and_returns_to_the_page_asked_for(client, make_user):
    name = make_user("supervisor")
    response = login_form(client, name, PASSWORD, "/counter/overview")
    assert response.status_code == 302
    assert response.headers["Location"] == "/counter/overview"
    assert client.get("/counter/overview").status_code == 200


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x"]
)
def test_after_login_the_form_never_leads_to_another_site(client, make_user, target):
    response = login_form(client, make_user("clerk"), PASSWORD, target)
    assert response.headers["Location"] == "/counter/"


def test_the_login_form_refuses_a_post_without_csrf_token(client, make_user):
    name = make_user("clerk")
    response = client.post("/counter/login", data={"username": name, "password": PASSWORD})
    assert response.status_code in (400, 403)
    assert client.get("/counter/").status_code == 302


def test_a_wrong_password_is_named_in_german_and_english(client, make_user):
    name = make_user("clerk")
    response = login_form(client, name, "wrong-password")
    assert response.status_code == 401
    assert "Benutzername oder Passwort ist falsch." in response.text
    client.set_cookie("lang", "en")
    response = login_form(client, name, "wrong-password")
    assert response.status_code == 401
    assert "User name or password is wrong." in response.text


def test_the_login_form_throttles_repeated_failures(client, make_user, settings):
    name = make_user("clerk")
    attempts = settings.server.login_attempts
    for _ in range(attempts):
        assert login_form(client, name, "wrong-password").status_code == 401
    response = login_form(client, name, PASSWORD)  # even the right password must wait now
    assert response.status_code == 429
    assert "Zu viele Fehlversuche" in response.text
    assert f"{settings.server.login_window_minutes} Minuten" in response.text
    assert client.get("/counter/").status_code == 302


def test_the_login_api_throttles_repeated_failures(client, make_user, settings):
    name = make_user("clerk")
    for _ in range(settings.server.login_attempts):
        response = client.post("/api/v1/session", json={"username": name, "password": "nope"})
        assert response.status_code == 401
    response = client.post("/api/v1/session", json={"username": name, "password": PASSWORD})
    assert response.status_code == 429
    assert response.get_json()["error"]["code"] == "too_many_attempts"


def test_failures_through_the_form_and_the_api_add_up(client, make_user, settings):
    name = make_user("clerk")
    for index in range(settings.server.login_attempts):
        if index % 2:
            client.post("/api/v1/session", json={"username": name, "password": "nope"})
        else:
            login_form(client, name, "nope")
    response = client.post("/api/v1/session", json={"username": name, "password": PASSWORD})
    assert response.status_code == 429


@pytest.mark.parametrize(
    ("lang", "title", "direction"),
    [
        ("de", "Anmeldung für Mitarbeitende", "ltr"),
        ("en", "Staff login", "ltr"),
        ("ar", "تسجيل دخول الموظفين", "rtl"),
        ("ku", "Têketina karmendan", "ltr"),
        ("ckb", "چوونەژوورەوەی فەرمانبەران", "rtl"),
    ],
)
def test_the_login_page_speaks_every_site_language(client, lang, title, direction):
    response = client.get(f"/counter/login?lang={lang}")
    assert response.status_code == 200
    assert f'<html lang="{lang}" dir="{direction}">' in response.text
    assert title in response.text


def test_logout_ends_the_session(client, make_user):
    login_form(client, make_user("clerk"), PASSWORD)
    page = client.get("/counter/")
    assert page.status_code == 200
    assert client.post("/counter/logout", data={}).status_code in (400, 403)
    response = client.post("/counter/logout", data={"csrf_token": form_token(page.text)})
    assert response.status_code == 302
    assert client.get("/counter/").status_code == 302
    assert client.get("/api/v1/session").status_code == 401


@pytest.mark.parametrize("how", ["form", "api"])
def test_the_session_expires_after_the_configured_idle_time(
    client, make_user, settings, monkeypatch, how
):
    idle = settings.server.staff_idle_minutes
    name = make_user("clerk")
    if how == "form":
        response = login_form(client, name, PASSWORD)
    else:
        response = client.post("/api/v1/session", json={"username": name, "password": PASSWORD})
    expires = parsedate_to_datetime(session_cookie(response).split("Expires=")[1].split(";")[0])
    assert abs(expires.timestamp() - (time.time() + idle * 60)) < 60

    def later(minutes: float) -> None:
        clock = SimpleNamespace(time=lambda: time.time() + minutes * 60)
        monkeypatch.setattr(itsdangerous.timed, "time", clock)

    # Each request within the idle time renews the cookie ...
    later(idle - 1)
    renewed = client.get("/counter/")
    assert renewed.status_code == 200
    assert session_cookie(renewed)
    # ... and from that renewal on, the idle time counts again.
    later(2 * idle - 2)
    assert client.get("/counter/").status_code == 200
    # A session left alone longer than the idle time is over.
    later(4 * idle)
    assert client.get("/counter/").status_code == 302
    assert client.get("/api/v1/session").status_code == 401


def test_an_unchanged_session_is_renewed_at_most_once_a_minute(client, make_user, monkeypatch):
    from server.auth import RENEW_EVERY

    name = make_user("clerk")
    response = client.post("/api/v1/session", json={"username": name, "password": PASSWORD})
    assert session_cookie(response)
    # Right after the login, staff requests do not sign and send the cookie again ...
    for _ in range(3):
        quiet = client.get("/api/v1/session")
        assert quiet.status_code == 200
        assert not [h for h in quiet.headers.getlist("Set-Cookie") if h.startswith("session=")]
    # ... but once the cookie is older than RENEW_EVERY, the next request renews it.
    clock = SimpleNamespace(time=lambda: time.time() + RENEW_EVERY.total_seconds() + 1)
    monkeypatch.setattr(itsdangerous.timed, "time", clock)
    assert session_cookie(client.get("/api/v1/session"))
