"""The page model of a waiting-room screen: its languages, texts, counters and zones."""

from __future__ import annotations

from typing import Any

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from server.config import Display, Site
from server.i18n import text_direction

# Short texts of the screen, shown in German and one rotating language at a time.
TEXTS = {
    "now_calling": _l("Now calling"),
    "recent": _l("Recent calls"),
    "waiting": _l("People waiting"),
    "recall": _l("Called again"),
    "hint": _l("Please wait until your number appears here."),
    "no_calls": _l("No numbers called yet"),
}
# For the staff who set the screen up: the primary language is enough.
STAFF_TEXTS = {
    "offline": _l("Offline – reconnecting"),
    "enable_sound": _l("Enable sound"),
}
ROTATE_SECONDS = 6


def primary_language(display: Display) -> str:
    return "de" if "de" in display.languages else display.languages[0]


def _texts(language: str, texts: dict[str, Any]) -> dict[str, str]:
    with force_locale(language):
        return {key: str(text) for key, text in texts.items()}


def zones(site: Site, display: Display) -> list[dict[str, Any]]:
    """The display's zones with their number prefixes, never their queues.

    A zone is shown by the prefix letters its numbers start with: visitors know the
    letter on their ticket, and it says nothing about which authority they need.
    """
    result: dict[str, dict[str, Any]] = {}
    for queue in site.queues:
        if not display.shows(queue.zone):
            continue
        labels = site.zones.get(queue.zone)
        zone = result.setdefault(
            queue.zone,
            {
                "id": queue.zone,
                "labels": labels.model_dump() if labels else None,
                "prefixes": [],
            },
        )
        if queue.prefix not in zone["prefixes"]:
            zone["prefixes"].append(queue.prefix)
    order = display.zones or list(result)
    return [result[z] for z in order if z in result]


def screen_model(
    site: Site, display: Display, state: dict[str, Any], urls: dict[str, str]
) -> dict[str, Any]:
    """Everything the screen's script needs, as plain data (embedded as JSON in the page)."""
    primary = primary_language(display)
    return {
        "display": display.id,
        "timezone": site.timezone,
        "primary": primary,
        "alternates": [lang for lang in display.languages if lang != primary],
        "directions": {lang: text_direction(lang) for lang in display.languages},
        "texts": {lang: _texts(lang, TEXTS) for lang in display.languages},
        "staff_texts": _texts(primary, STAFF_TEXTS),
        "counters": {c.id: c.label.model_dump() for c in site.counters if display.shows(c.zone)},
        "zones": zones(site, display),
        "recent_calls": display.recent_calls,
        "speech": display.speech,
        "volume": display.volume,
        "rotate_seconds": ROTATE_SECONDS,
        "urls": urls,
        "state": state,
    }
