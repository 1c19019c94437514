"""Read aloud: each kiosk step spoken in the visitor's language, from the kiosk's own words.

Only phrases of the catalogs and the site configuration reach the synthesizer; the page
names them by key (a word of kiosk/texts.py, a concern, or a ticket number).
"""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, request, send_file

from kiosk import bp
from kiosk.texts import words
from server.domain.errors import InvalidInput
from server.domain.spoken import NUMBER, spoken_number
from server.runtime import runtime
from server.speech import SpeechUnavailable, app_engine

# The words of the kiosk that a step speaks (keys of kiosk.texts._words).
SPOKEN_WORDS = frozenset(
    {
        "choose_language",
        "concern_title",
        "your_number",
        "next_steps",
        "checked_in",
        "checkin_title",
        "checkin_help",
        "print_failed",
        "no_printer",
    }
)


def phrase(site: Any, language: str, say: str, number: str = "") -> str:
    """The text for one key: a kiosk word, `concern:<id>`, or `number` with a ticket number."""
    if say in SPOKEN_WORDS:
        return words(language)[say]
    if say.startswith("concern:"):
        concern = next((c for c in site.concerns if c.id == say.removeprefix("concern:")), None)
        if concern is None:
            raise InvalidInput(f"no concern {say!r} at this site")
        return concern.label.get(language)
    if say == "number":
        if not NUMBER.fullmatch(number):
            raise InvalidInput("number must look like B-042")
        return spoken_number(number)
    raise InvalidInput(f"nothing to say for {say!r}")


@bp.get("/<kiosk_id>/listen")
def listen(kiosk_id: str) -> Any:
    """One phrase of a kiosk step as WAV, synthesized offline on the box and cached."""
    site, _kiosk = runtime().find("kiosk", kiosk_id)
    language = request.args.get("lang", "")
    if language not in runtime().settings.languages:
        raise InvalidInput(f"language {language!r} is not a language of this site")
    text = phrase(site, language, request.args.get("say", ""), request.args.get("number", ""))
    try:
        path = app_engine().wav(text, language)
    except SpeechUnavailable:
        current_app.logger.warning("speech unavailable", exc_info=True)
        abort(503)
    return send_file(path, mimetype="audio/wav", max_age=24 * 3600)
