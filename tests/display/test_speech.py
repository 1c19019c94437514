"""Spoken calls: phrases, the espeak-ng cache and the validating route."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from display.announcement import call_phrase, spoken_number
from server.speech import Speech, SpeechUnavailable
from tests.conftest import REQUIRE_SERVICES

# In CI (make test installs espeak-ng) a missing voice engine fails the tests instead.
needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None and not REQUIRE_SERVICES,
    reason="espeak-ng is not installed (make system-deps)",
)
SPEECH = "/display/wartebereich/speech"


def test_the_number_is_spoken_as_letter_then_digits_without_leading_zeros():
    assert spoken_number("B-042") == "B, 42"
    assert spoken_number("AB-1234") == "A B, 1234"
    with pytest.raises(ValueError):
        spoken_number("B-42; rm -rf /")


def test_the_phrase_uses_the_language_and_the_counters_own_label(app, site):
    counter = site.counter("schalter-3")
    with app.test_request_context():
        assert call_phrase("B-042", counter, "de") == "Nummer B, 42, bitte zu Schalter 3."
        assert call_phrase("B-042", counter, "en") == "Number B, 42, please go to Counter 3."
        assert "الشباك 3" in call_phrase("B-042", counter, "ar")
        assert "Gîşe 3" in call_phrase("B-042", counter, "ku")


@needs_espeak
def test_a_phrase_is_synthesized_once_then_served_from_the_cache(tmp_path: Path):
    speech = Speech(tmp_path)
    first = speech.wav("Nummer B, 42, bitte zu Schalter 3.", "de")
    assert first.read_bytes()[:4] == b"RIFF" and first.stat().st_size > 10_000
    speech.binary = "espeak-ng-is-gone"  # a second synthesis would now fail
    assert speech.wav("Nummer B, 42, bitte zu Schalter 3.", "de") == first
    assert [p.name for p in tmp_path.iterdir()] == [first.name]  # no temporary files left


@needs_espeak
def test_the_cache_keeps_only_the_most_recently_used_phrases(tmp_path: Path):
    speech = Speech(tmp_path, max_files=3)
    phrase = "Nummer B, {}, bitte zu Schalter 1."
    paths = [speech.wav(phrase.format(n), "de") for n in (1, 2, 3)]
    for age, path in enumerate(paths, start=1):
        os.utime(path, (age, age))  # 1 is the oldest
    speech.wav(phrase.format(1), "de")  # a cache hit: phrase 1 is used again
    newest = speech.wav(phrase.format(4), "de")
    remaining = {p.name for p in tmp_path.glob("*.wav")}
    assert remaining == {paths[0].name, paths[2].name, newest.name}


def test_without_espeak_speech_is_unavailable(tmp_path: Path):
    speech = Speech(tmp_path, binary="espeak-ng-is-gone")
    assert not speech.available()
    with pytest.raises(SpeechUnavailable):
        speech.wav("Nummer B, 42.", "de")


@needs_espeak
def test_sorani_is_spoken_in_latin_letters_by_the_kurdish_voice(tmp_path: Path):
    speech = Speech(tmp_path)
    assert speech.supports("ckb")
    assert speech.spoken_form("ژمارە B, 42", "ckb") == "jimare B, çwar, dû"
    sorani = speech.wav("ژمارە B, 42", "ckb")
    kurmanji = speech.wav("jimare B, çwar, dû", "ku")
    # The same voice reads the same letters: the same sound, cached under its own name.
    assert sorani != kurmanji
    assert sorani.read_bytes()[44:] == kurmanji.read_bytes()[44:]
    with pytest.raises(ValueError):
        speech.wav("ژمارە B, 42", "fa")


@pytest.fixture
def speech_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ANLAUFSTELLE_VAR", str(tmp_path))
    return tmp_path / "speech"


@needs_espeak
@pytest.mark.parametrize("language", ["de", "en", "ar", "ku"])
def test_the_route_speaks_a_call_in_each_voice(client, speech_dir, language):
    with client.get(
        SPEECH, query_string={"number": "B-042", "counter": "schalter-3", "lang": language}
    ) as response:
        assert response.status_code == 200
        assert response.mimetype == "audio/wav"
        assert response.data[:4] == b"RIFF"


@needs_espeak
def test_the_route_caches_each_phrase_on_disk(client, speech_dir):
    query = {"number": "C-007", "counter": "raum-201", "lang": "de"}
    with client.get(SPEECH, query_string=query) as first:
        with client.get(SPEECH, query_string=query) as second:
            assert first.status_code == second.status_code == 200
            assert first.data == second.data
    assert len(list(speech_dir.glob("*.wav"))) == 1


@pytest.mark.parametrize(
    "query",
    [
        {"number": "B-042; rm -rf /", "counter": "schalter-3", "lang": "de"},
        {"number": "Hallo Welt", "counter": "schalter-3", "lang": "de"},
        {"number": "b-042", "counter": "schalter-3", "lang": "de"},
        {"number": "B-42", "counter": "schalter-3", "lang": "de"},
        {"number": "B-042", "counter": "no-such-counter", "lang": "de"},
        {"number": "B-042", "counter": "schalter-3", "lang": "fr"},
        {"number": "B-042", "counter": "schalter-3"},
    ],
    ids=[
        "injection",
        "free-text",
        "lowercase",
        "short",
        "unknown-counter",
        "unknown-language",
        "no-language",
    ],
)
def test_the_route_refuses_anything_but_a_real_number_counter_and_language(
    client, speech_dir, query
):
    assert client.get(SPEECH, query_string=query).status_code == 422
    assert not speech_dir.exists()


def test_the_route_refuses_counters_outside_the_displays_zones(client, speech_dir):
    # flur-og2 shows only the second floor: Schalter 3 is on the first.
    response = client.get(
        "/display/flur-og2/speech",
        query_string={"number": "B-042", "counter": "schalter-3", "lang": "de"},
    )
    assert response.status_code == 422


@needs_espeak
def test_sorani_calls_are_spoken(client, speech_dir):
    query = {"number": "B-042", "counter": "schalter-3", "lang": "ckb"}
    with client.get(SPEECH, query_string=query) as response:
        assert response.status_code == 200
        assert response.mimetype == "audio/wav" and len(response.data) > 10_000


def test_an_unknown_display_has_no_speech(client, speech_dir):
    response = client.get(
        "/display/nowhere/speech",
        query_string={"number": "B-042", "counter": "schalter-3", "lang": "de"},
    )
    assert response.status_code == 404


def test_a_display_without_speech_answers_404(settings, speech_dir):
    from server.app import create_app

    site = settings.sites[0]
    quiet = [d.model_copy(update={"speech": False}) for d in site.displays]
    settings = settings.model_copy(update={"sites": [site.model_copy(update={"displays": quiet})]})
    app = create_app(settings, testing=True)
    response = app.test_client().get(
        SPEECH, query_string={"number": "B-042", "counter": "schalter-3", "lang": "de"}
    )
    assert response.status_code == 404


def test_without_espeak_the_route_answers_503(app, client, speech_dir):
    app.extensions["anlaufstelle_speech"] = Speech(speech_dir, binary="espeak-ng-is-gone")
    response = client.get(
        SPEECH, query_string={"number": "B-042", "counter": "schalter-3", "lang": "de"}
    )
    assert response.status_code == 503


@needs_espeak
def test_the_visitors_language_is_found_by_the_server_never_sent_on_the_channel(client, speech_dir):
    ar = client.post(
        "/api/v1/tickets", json={"site": "musterstadt", "concern": "fiktion", "language": "ar"}
    ).json
    de = client.post(
        "/api/v1/tickets", json={"site": "musterstadt", "concern": "fiktion", "language": "de"}
    ).json
    visitor = {"counter": "schalter-3", "lang": "visitor"}
    with client.get(SPEECH, query_string={"number": ar["number"], **visitor}) as arabic:
        with client.get(
            SPEECH, query_string={"number": ar["number"], "counter": "schalter-3", "lang": "ar"}
        ) as direct:
            assert arabic.status_code == 200
            assert arabic.data == direct.data
    # German is the screen's main language: already spoken, so nothing more to say.
    assert client.get(SPEECH, query_string={"number": de["number"], **visitor}).status_code == 404
    # A number nobody holds today has no language to speak.
    assert client.get(SPEECH, query_string={"number": "Z-999", **visitor}).status_code == 422
