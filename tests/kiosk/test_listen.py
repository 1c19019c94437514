"""Read aloud: the kiosk's phrases as sound, only from the catalogs and the site's concerns."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.texts import words
from tests.display.test_speech import needs_espeak

LISTEN = "/kiosk/eingang/listen"


@pytest.fixture(autouse=True)
def speech_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ANLAUFSTELLE_VAR", str(tmp_path))
    return tmp_path / "speech"


def wav(client, **query: str) -> bytes:
    with client.get(LISTEN, query_string=query) as response:
        assert response.status_code == 200, response.data[:200]
        assert response.mimetype == "audio/wav"
        return response.data


@needs_espeak
@pytest.mark.parametrize("language", ["de", "en", "ar", "ku", "ckb"])
def test_every_language_hears_the_question_and_each_concern(client, site, language):
    question = wav(client, lang=language, say="concern_title")
    concern = wav(client, lang=language, say=f"concern:{site.concerns[0].id}")
    assert question[:4] == concern[:4] == b"RIFF"
    assert len(question) > 8_000 and len(concern) > 8_000 and question != concern


@needs_espeak
def test_the_phrase_is_cached_on_disk_and_served_again(client, speech_dir):
    first = wav(client, lang="ckb", say="choose_language")
    files = list(speech_dir.glob("*.wav"))
    second = wav(client, lang="ckb", say="choose_language")
    assert first == second and list(speech_dir.glob("*.wav")) == files and len(files) == 1


@needs_espeak
def test_the_ticket_number_is_spoken_and_differs_by_number(client):
    assert wav(client, lang="ar", say="number", number="B-042") != wav(
        client, lang="ar", say="number", number="B-043"
    )


@pytest.mark.parametrize(
    "query",
    [
        {"lang": "fr", "say": "concern_title"},
        {"lang": "de", "say": "anything the page likes"},
        {"lang": "de", "say": "concern:nope"},
        {"lang": "de", "say": "number", "number": "B-42; rm -rf /"},
        {"lang": "de", "say": "failed"},  # a kiosk word, but no step reads it
        {"lang": "de"},
    ],
)
def test_only_known_phrases_reach_the_synthesizer(client, query, speech_dir):
    response = client.get(LISTEN, query_string=query, headers={"Accept": "application/json"})
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "invalid"
    assert not speech_dir.exists()


def test_an_unknown_kiosk_is_404(client):
    assert client.get("/kiosk/nowhere/listen?lang=de&say=concern_title").status_code == 404


def test_every_spoken_word_exists_in_every_language():
    from kiosk.listen import SPOKEN_WORDS

    for language in ("de", "en", "ar", "ku", "ckb"):
        assert SPOKEN_WORDS <= set(words(language))
