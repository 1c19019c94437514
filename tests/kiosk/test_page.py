"""The kiosk page as the server renders it: languages, words, pictograms, QR codes."""

from __future__ import annotations

import json
import re

import pytest

from kiosk import texts
from server.config import LANGUAGES, RTL_LANGUAGES

OWN_NAMES = {
    "de": "Deutsch",
    "en": "English",
    "ar": "العربية",
    "ku": "Kurdî (Kurmancî)",
    "ckb": "کوردی (سۆرانی)",
}


def page_json(html: str, element_id: str) -> dict:
    match = re.search(
        rf'<script type="application/json" id="{element_id}">(.*?)</script>', html, re.S
    )
    assert match, element_id
    return json.loads(match.group(1))


def test_kiosk_page_opens_at_step_one_in_every_language(client):
    response = client.get("/kiosk/eingang")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="de" dir="ltr">' in html
    assert 'data-step="language"' in html
    for language, name in OWN_NAMES.items():
        direction = "rtl" if language in RTL_LANGUAGES else "ltr"
        assert f'data-lang="{language}" lang="{language}" dir="{direction}"' in html
        assert f'<span class="language-name">{name}</span>' in html
    assert "<a " not in html  # no way off the page


@pytest.mark.parametrize("language", LANGUAGES)
def test_lang_parameter_opens_step_two_with_the_right_lang_and_dir(client, language):
    html = client.get(f"/kiosk/eingang?lang={language}").get_data(as_text=True)

    direction = "rtl" if language in RTL_LANGUAGES else "ltr"
    assert f'<html lang="{language}" dir="{direction}">' in html
    assert page_json(html, "kiosk-config")["start_language"] == language


def test_an_unknown_lang_parameter_falls_back_to_step_one(client):
    html = client.get("/kiosk/eingang?lang=xx").get_data(as_text=True)

    assert '<html lang="de" dir="ltr">' in html
    assert page_json(html, "kiosk-config")["start_language"] is None


def test_the_page_carries_the_kiosks_idle_time_and_printer(app_for):
    app = app_for(idle_seconds=45, printer=None)

    html = app.test_client().get("/kiosk/eingang").get_data(as_text=True)

    config = page_json(html, "kiosk-config")
    assert config["idle_seconds"] == 45
    assert config["printer"] is False
    assert config["code_alphabet"] == "ACDEFHJKLMNPRTUVWXY34679"


def test_an_unknown_kiosk_is_a_404_page(client):
    response = client.get("/kiosk/nowhere", headers={"Accept": "text/html"})

    assert response.status_code == 404
    assert "<html" in response.get_data(as_text=True)


def test_every_language_has_every_word_translated(client, site):
    packs = page_json(client.get("/kiosk/eingang").get_data(as_text=True), "kiosk-texts")

    assert set(packs) == set(LANGUAGES)
    english = packs["en"]["words"]
    for language, pack in packs.items():
        assert pack["dir"] == ("rtl" if language in RTL_LANGUAGES else "ltr")
        assert set(pack["words"]) == set(english)
        assert all(pack["words"].values())
        assert pack["concerns"] == {c.id: c.label.get(language) for c in site.concerns}
        if language not in ("en",):
            same = {k for k, v in pack["words"].items() if v == english[k] and k != "ok"}
            assert not same, (language, same)
        for forms in pack["plurals"].values():
            assert "other" in forms
            assert all(forms.values())


def test_plural_forms_follow_each_languages_rules(app):
    with app.test_request_context():
        arabic = texts.language_pack(app.extensions["anlaufstelle"].settings.sites[0], "ar")
        german = texts.language_pack(app.extensions["anlaufstelle"].settings.sites[0], "de")

    assert set(arabic["plurals"]["ahead"]) == {"zero", "one", "two", "few", "many", "other"}
    assert arabic["plurals"]["ahead"]["few"] == "يوجد %(num)d أشخاص قبلك."
    assert arabic["plurals"]["ahead"]["many"] == "يوجد %(num)d شخصًا قبلك."
    assert german["plurals"]["wait"] == {
        "one": "Voraussichtliche Wartezeit: etwa %(num)d Minute.",
        "other": "Voraussichtliche Wartezeit: etwa %(num)d Minuten.",
    }


def test_every_concern_of_the_demo_site_has_its_own_pictogram(app, site):
    with app.test_request_context():
        icons = app.jinja_env.get_template("_pictograms.html").module
        drawn = {concern.icon: str(icons.icon(concern.icon)) for concern in site.concerns}
        fallback = str(icons.icon("no-such-icon"))

    assert len(set(drawn.values())) == len(drawn)
    assert all(svg.startswith("<svg") for svg in drawn.values())
    assert [name for name, svg in drawn.items() if svg == fallback and name != "question"] == []


def test_concern_buttons_and_check_in_are_on_the_page(client, site):
    html = client.get("/kiosk/eingang").get_data(as_text=True)

    for concern in site.concerns:
        assert f'data-concern="{concern.id}"' in html
    assert 'data-concern="einladung" data-checkin' in html
    for key in "ACDEFHJKLMNPRTUVWXY34679":
        assert f'data-key="{key}"' in html
    assert '<bdi dir="ltr" class="number" id="ticket-number">' in html


def test_qr_code_is_drawn_for_this_sites_status_pages_only(client):
    ticket = client.post(
        "/api/v1/tickets", json={"site": "musterstadt", "concern": "kinder", "language": "ku"}
    ).get_json()

    own = client.get("/kiosk/qr.svg", query_string={"data": ticket["status_url"]})
    foreign = client.get(
        "/kiosk/qr.svg", query_string={"data": "https://example.org/t/" + "a" * 32}
    )
    not_status = client.get("/kiosk/qr.svg", query_string={"data": "http://127.0.0.1:5000/admin"})

    assert own.status_code == 200
    assert own.content_type.startswith("image/svg+xml")
    assert b"<svg" in own.data and b"<path" in own.data
    assert foreign.status_code == 404
    assert not_status.status_code == 404


def test_print_status_of_a_ticket_from_another_kiosk_is_none(app_for):
    app = app_for()
    client = app.test_client()
    ticket = client.post(
        "/api/v1/tickets", json={"site": "musterstadt", "concern": "kinder", "language": "de"}
    ).get_json()

    assert client.get(f"/kiosk/eingang/print-status/{ticket['token']}").get_json() == {
        "status": "none"
    }
