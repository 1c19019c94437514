"""Security headers: a strict CSP everywhere, HSTS behind TLS, nothing with a token cached."""

from __future__ import annotations

import logging

import pytest

from tests.conftest import settings_for


def test_pages_carry_a_strict_policy_without_inline_scripts_or_styles(client):
    for path in ("/", "/kiosk/eingang", "/display/wartebereich", "/counter/login"):
        response = client.get(path)
        assert response.status_code == 200, path
        policy = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy
        assert "style-src 'self'" in policy
        assert "unsafe-inline" not in policy
        html = response.text
        assert " style=" not in html and "onclick" not in html and "<style" not in html
        assert "Strict-Transport-Security" not in response.headers  # plain HTTP: no HSTS


def test_hsts_is_sent_when_cookies_are_secure(sqlite_url):
    from server.app import create_app

    app = create_app(settings_for(sqlite_url, secure_cookies=True), testing=True)
    response = app.test_client().get("/api/v1/sites")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_staff_pages_and_anything_with_a_token_are_never_cached(client, login):
    issued = client.post(
        "/api/v1/tickets", json={"site": "musterstadt", "concern": "aufenthalt", "language": "de"}
    ).get_json()
    token = issued["token"]
    staff = login("clerk")
    for response in (
        client.get("/kiosk/qr.svg", query_string={"data": issued["status_url"]}),
        client.get(f"/api/v1/tickets/{token}/image.png"),
        client.get(f"/t/{token}"),
        client.get(f"/api/v1/tickets/{token}"),
        staff.get("/counter/"),
        staff.get("/api/v1/sites/musterstadt/queues"),
    ):
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store"
    static = client.get("/static/base.css")
    assert "no-store" not in static.headers.get("Cache-Control", "")
    static.close()


def test_csp_reports_are_logged(client, caplog):
    report = {
        "csp-report": {
            "document-uri": "http://127.0.0.1:5000/kiosk/eingang",
            "violated-directive": "style-src-attr",
            "blocked-uri": "inline",
        }
    }
    with caplog.at_level(logging.WARNING, logger="anlaufstelle.csp"):
        response = client.post(
            "/csp-report", json=report, headers={"Content-Type": "application/csp-report"}
        )
    assert response.status_code == 204
    assert "style-src-attr" in caplog.text and "/kiosk/eingang" in caplog.text


@pytest.mark.parametrize("body", [b"not json", b"[" * 5000, b"\x00\xff"])
def test_a_broken_csp_report_is_a_204_not_a_500(client, body):
    assert client.post("/csp-report", data=body).status_code == 204
