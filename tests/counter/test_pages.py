"""The staff pages as HTML: roles, navigation, language, the page's own CSRF token."""

from __future__ import annotations

import json
import re

import pytest

from tests.counter.conftest import SITE


def page_config(html: str) -> dict:
    found = re.search(
        r'<script id="page-config" type="application/json">(.*?)</script>', html, re.S
    )
    assert found
    return json.loads(found.group(1))


@pytest.mark.parametrize(
    ("role", "path", "status"),
    [
        ("clerk", "/counter/", 200),
        ("clerk", "/counter/reception", 200),
        ("clerk", "/counter/overview", 403),
        ("reception", "/counter/", 200),
        ("reception", "/counter/reception", 200),
        ("reception", "/counter/overview", 403),
        ("supervisor", "/counter/overview", 200),
        ("admin", "/counter/overview", 200),
    ],
)
def test_each_role_opens_the_pages_it_may(login, role, path, status):
    assert login(role).get(path).status_code == status


def test_a_page_not_for_the_role_says_so_in_german(login):
    response = login("reception").get("/counter/overview")
    assert response.status_code == 403
    assert "Nicht für Ihre Rolle" in response.text
    assert 'action="/counter/logout"' in response.text


def test_the_navigation_shows_what_the_role_may_open(login):
    clerk = login("clerk").get("/counter/").text
    assert 'href="/counter/overview"' not in clerk
    assert 'href="/counter/reception"' in clerk
    assert 'href="/counter/appointments"' in clerk
    supervisor = login("supervisor").get("/counter/").text
    assert 'href="/counter/overview"' in supervisor
    assert 'action="/counter/logout"' in supervisor


def test_staff_pages_speak_german_by_default_and_english_on_request(login):
    clerk = login("clerk")
    german = clerk.get("/counter/", headers={"Accept-Language": "fr"})
    assert '<html lang="de" dir="ltr">' in german.text
    assert "Nächste Person aufrufen" in german.text
    english = clerk.get("/counter/?lang=en")
    assert '<html lang="en" dir="ltr">' in english.text
    assert "Call next" in english.text
    assert page_config(english.text)["texts"]["languages"]["ar"] == "Arabic"
    assert page_config(german.text)["texts"]["languages"]["ar"] == "Arabisch"


def test_staff_pages_fall_back_to_german_for_visitor_languages(login):
    page = login("clerk").get("/counter/?lang=ar")
    assert '<html lang="de" dir="ltr">' in page.text


def test_every_action_button_shows_its_shortcut(login):
    html = login("clerk").get("/counter/").text
    keys = dict(re.findall(r'data-action="(\w+)" data-key="(\w)"', html))
    assert keys == {
        "next": "n",
        "recall": "r",
        "start": "s",
        "finish": "f",
        "no_show": "x",
        "transfer": "t",
        "park": "p",
        "resume": "u",
        "cancel": "c",
    }
    for key in keys.values():
        assert f"<kbd>{key.upper()}</kbd>" in html


def test_the_page_carries_a_csrf_token_the_api_accepts(login, issue):
    staff = login("clerk")
    config = page_config(staff.get("/counter/").text)
    assert config["site"]["id"] == SITE
    issue()
    response = staff.client.post(
        "/api/v1/counters/schalter-1/next", json={}, headers={"X-CSRF-Token": config["csrf"]}
    )
    assert response.status_code == 200


def test_the_page_lists_the_counters_with_their_queues(login):
    config = page_config(login("clerk").get("/counter/?lang=en").text)
    counters = {c["id"]: c for c in config["site"]["counters"]}
    assert counters["schalter-1"] == {
        "id": "schalter-1",
        "label": "Counter 1",
        "queues": ["bo-abh", "bo-leistung"],
    }


def test_ticket_numbers_are_isolated_left_to_right_runs(login):
    for path in ("/counter/", "/counter/reception"):
        html = login("supervisor").get(path).text
        for tag in re.findall(r"<bdi[^>]*>", html):
            assert 'dir="ltr"' in tag and "number" in tag
