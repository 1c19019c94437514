"""Visitor-facing errors: every language from the catalogs, the visitor's own first, a pictogram."""

from __future__ import annotations

import re

import pytest
from flask_babel import force_locale

from server import visitor_errors
from server.config import LANGUAGES

SECTION = re.compile(r'<section class="error-message[^"]*" lang="(\w+)" dir="(\w+)">')


def sections(html: str) -> list[tuple[str, str]]:
    return SECTION.findall(html)


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("/kiosk/no-such-kiosk", "kiosk_out_of_order"),
        ("/invitation/expired-or-never-was", "invitation_expired"),
        ("/t/no-such-token", "not_found"),
        ("/nowhere", "not_found"),
    ],
)
@pytest.mark.parametrize("language", ["ar", "ckb", "de"])
def test_a_visitor_error_speaks_every_language_the_visitors_own_first(client, path, code, language):
    response = client.get(path, headers={"Accept-Language": language})

    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert f'data-error="{code}"' in html
    assert 'class="pictogram error-pictogram"' in html
    found = sections(html)
    assert [lang for lang, _dir in found][0] == language
    assert sorted(lang for lang, _dir in found) == sorted(LANGUAGES)
    assert all(
        direction == ("rtl" if lang in ("ar", "ckb") else "ltr") for lang, direction in found
    )
    assert html.count("<h1>") == 1


def test_every_visitor_message_is_translated_into_every_language(app):
    with app.test_request_context():
        for code, (message, _pictogram) in visitor_errors.MESSAGES.items():
            with force_locale("en"):
                english = str(message)
            for language in LANGUAGES:
                with force_locale(language):
                    text = str(message)
                    title = str(visitor_errors.TITLE)
                assert text.strip() and title.strip(), (code, language)
                if language != "en":
                    assert text != english, (code, language)


def test_too_many_attempts_reads_as_a_wait_with_an_hourglass(app):
    with app.test_request_context(headers={"Accept-Language": "ku"}):
        model = visitor_errors.page_model("too_many_attempts")
    assert model["pictogram"] == "hourglass"
    assert model["messages"][0]["lang"] == "ku"
    assert "deqe" in model["messages"][0]["text"]  # "minutes" in Kurmanji


def test_an_unknown_code_falls_back_to_the_general_message_not_to_english_text(app):
    with app.test_request_context(headers={"Accept-Language": "ar"}):
        model = visitor_errors.page_model("no_such_code")
    assert model["code"] == "no_such_code" and model["pictogram"] == "warning"
    assert all(m["text"] for m in model["messages"])
