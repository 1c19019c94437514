"""The waiting-room screen and its spoken calls."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, g, render_template, request, send_file, url_for

from display import bp
from display.announcement import NUMBER, call_phrase
from display.screen import primary_language, screen_model
from server.domain.errors import InvalidInput, NotFound
from server.runtime import runtime
from server.services import displays, lookup
from server.speech import SpeechUnavailable, app_engine

# `lang=visitor`: the language of the ticket called, looked up here, never sent on the
# display's channel (invariant 4).
VISITOR = "visitor"


@bp.get("/<display_id>")
def screen(display_id: str) -> Any:
    site, display = runtime().find("display", display_id)
    g.language = primary_language(display)
    with runtime().db.reading() as session:
        state = displays.display_state(session, site, display)
    urls = {
        "speech": url_for("display.speech", display_id=display.id),
        "gong": url_for("display.static", filename="gong.wav"),
        "state": url_for("api.display_state", display_id=display.id),
    }
    model = screen_model(site, display, state, urls)
    response = current_app.make_response(
        render_template("display/screen.html", site=site, display=display, model=model)
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<display_id>/speech")
def speech(display_id: str) -> Any:
    """The spoken call for one number and counter; only configured words reach espeak-ng."""
    site, display = runtime().find("display", display_id)
    number = request.args.get("number", "")
    counter_id = request.args.get("counter", "")
    language = request.args.get("lang", "")
    if not NUMBER.fullmatch(number):
        raise InvalidInput("number must look like B-042")
    counter = site.counter(counter_id)
    if counter is None or not display.shows(counter.zone):
        raise InvalidInput(f"counter {counter_id!r} is not shown on this display")
    if language == VISITOR:
        with runtime().db.reading() as session:
            language = lookup.language_of_number(session, site, number) or ""
        if language == primary_language(display):
            raise NotFound("the call was spoken in this language already")
    if language not in display.languages:
        raise InvalidInput(f"language {language!r} is not a language of this display")
    engine = app_engine()
    if not display.speech or not engine.supports(language):
        raise NotFound(f"no spoken calls in {language!r} on this display")
    try:
        path = engine.wav(call_phrase(number, counter, language), language)
    except SpeechUnavailable:
        current_app.logger.warning("speech unavailable", exc_info=True)
        abort(503)
    return send_file(path, mimetype="audio/wav", max_age=24 * 3600)
