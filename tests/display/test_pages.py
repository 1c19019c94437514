"""The screen page and the visitor's status page as HTML: language, privacy, errors."""

from __future__ import annotations

import json
import re

SITE = "musterstadt"
QUEUE_NAMES = ("Ausländerbehörde", "Leistungsbehörde", "Jobcenter", "Jugendamt")


def issue(client, concern: str = "adresse", language: str = "de") -> dict:
    response = client.post(
        "/api/v1/tickets", json={"site": SITE, "concern": concern, "language": language}
    )
    assert response.status_code == 201, response.data
    return response.json


def model_of(html: str, element_id: str) -> dict:
    match = re.search(
        rf'<script type="application/json" id="{element_id}">(.*?)</script>', html, re.S
    )
    assert match, f"no {element_id} in the page"
    return json.loads(match.group(1))


def test_the_display_page_shows_zones_by_prefix_and_never_an_authority(client):
    response = client.get("/display/wartebereich")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<meta name="robots" content="noindex">' in html
    assert '<html lang="de" dir="ltr">' in html
    for name in QUEUE_NAMES:
        assert name not in html
    model = model_of(html, "display-model")
    assert [(z["id"], z["prefixes"]) for z in model["zones"]] == [
        ("eg", ["A"]),
        ("og1", ["B"]),
        ("og2", ["C"]),
    ]
    assert model["alternates"] == ["en", "ar", "ku", "ckb"]
    assert model["texts"]["ar"]["now_calling"] != model["texts"]["en"]["now_calling"]
    assert model["directions"]["ckb"] == "rtl"
    assert model["volume"] == 0.8 and model["speech"] is True


def test_a_display_for_one_floor_knows_only_that_floors_counters_and_languages(client):
    model = model_of(client.get("/display/flur-og2").get_data(as_text=True), "display-model")
    assert set(model["counters"]) == {f"raum-20{n}" for n in range(1, 8)}
    assert [z["id"] for z in model["zones"]] == ["og2"]
    assert model["primary"] == "de" and model["alternates"] == ["ar", "ckb"]
    assert set(model["texts"]) == {"de", "ar", "ckb"}


def test_an_unknown_display_is_a_404_page(client):
    assert client.get("/display/nowhere").status_code == 404


def test_the_status_page_speaks_the_tickets_language_right_to_left(client):
    ticket = issue(client, language="ar")
    response = client.get(f"/t/{ticket['token']}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    assert f'<bdi dir="ltr" class="number" id="number">{ticket["number"]}</bdi>' in html
    assert "يرجى الانتظار" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert '<meta name="referrer" content="no-referrer">' in html
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response.headers["X-Robots-Tag"]


def test_the_visitor_can_switch_the_language_and_it_is_remembered(client):
    ticket = issue(client, language="ar")
    html = client.get(f"/t/{ticket['token']}?lang=ku").get_data(as_text=True)
    assert '<html lang="ku" dir="ltr">' in html
    assert "Ji kerema xwe li bendê bin" in html
    again = client.get(f"/t/{ticket['token']}").get_data(as_text=True)
    assert '<html lang="ku" dir="ltr">' in again
    for code in ("de", "en", "ar", "ku", "ckb"):
        assert f"?lang={code}" in html


def test_a_called_ticket_names_the_counter_in_the_pages_language(client, login):
    ticket = issue(client, language="ar")
    clerk = login("clerk")
    called = clerk.post("/api/v1/counters/schalter-3/next", json={})
    assert called.status_code == 200 and called.json["token"] == ticket["token"]
    html = client.get(f"/t/{ticket['token']}").get_data(as_text=True)
    assert "الشباك 3" in html and "حان دورك" in html
    english = client.get(f"/t/{ticket['token']}?lang=en").get_data(as_text=True)
    assert "Counter 3" in english and "It is your turn!" in english


def test_the_status_page_shows_no_personal_data(client, login):
    reception = login("reception")
    response = reception.post(
        "/api/v1/tickets/reception",
        json={
            "site": SITE,
            "concern": "adresse",
            "language": "de",
            "priority_reason": "Schwangerschaft",
        },
    )
    assert response.status_code == 201, response.data
    staff_ticket = response.json
    moved = reception.post(
        f"/api/v1/tickets/{staff_ticket['id']}/transfer",
        json={"queue": "core-abh", "note": "Frau Mustermann, geb. 1.2.1990"},
    )
    assert moved.status_code == 200, moved.data
    html = client.get(f"/t/{staff_ticket['token']}").get_data(as_text=True)
    for private in ("Mustermann", "1990", "Schwangerschaft", '"priority', '"note":'):
        assert private not in html
    for name in QUEUE_NAMES:
        assert name not in html


def test_an_unknown_ticket_is_a_404_everyone_can_read(client):
    for token in ("no-such-token", "x" * 200):
        response = client.get(f"/t/{token}")
        assert response.status_code == 404
        html = response.get_data(as_text=True)
        assert "Traceback" not in html
        for lang, direction, words in (
            ("de", "ltr", "Bitte fragen Sie am Empfang"),
            ("en", "ltr", "Please ask at reception"),
            ("ar", "rtl", "الاستقبال"),
            ("ku", "ltr", "pêşwaziyê"),
            ("ckb", "rtl", "پێشوازی"),
        ):
            assert f'lang="{lang}" dir="{direction}"' in html
            assert words in html
        assert response.headers["Cache-Control"] == "no-store"
