"""What a visitor reads when a public page fails: the message in every language, a pictogram.

The page's own language comes first and largest; the others follow, so a visitor who
arrived by a link in another language, or with a browser set to German, still reads it.
"""

from __future__ import annotations

from typing import Any

from flask_babel import force_locale, get_locale
from flask_babel import lazy_gettext as _l

from server.config import LANGUAGES, RTL_LANGUAGES

TITLE = _l("Sorry")
# code → (message, pictogram of server/templates/_pictograms.html)
MESSAGES: dict[str, tuple[Any, str]] = {
    "not_found": (_l("This page does not exist or is no longer valid."), "search"),
    "invitation_expired": (
        _l("This invitation is unknown or no longer valid. Please ask at reception."),
        "letter",
    ),
    "kiosk_out_of_order": (
        _l("This kiosk is out of order. Please ask at reception."),
        "screen-off",
    ),
    "too_many_attempts": (
        _l("Too many attempts. Please wait a few minutes and try again."),
        "hourglass",
    ),
    "queue_closed": (
        _l("This service takes no more visitors today. Please ask at reception."),
        "closed",
    ),
    "capacity_exhausted": (
        _l("All numbers for this service are given out for today. Please ask at reception."),
        "closed",
    ),
    "unknown_code": (
        _l("We do not know this invitation code. Please ask at reception."),
        "letter",
    ),
    "unauthorized": (_l("Please log in first."), "lock"),
    "forbidden": (_l("You are not allowed to open this page."), "lock"),
    "csrf": (_l("This form has expired. Please load the page again."), "warning"),
    "invalid": (_l("Something was not filled in correctly. Please try again."), "warning"),
    "bad_request": (_l("Something was not filled in correctly. Please try again."), "warning"),
    "server_error": (_l("Something went wrong on our side. Please ask at reception."), "warning"),
}


def known(code: str) -> bool:
    return code in MESSAGES


def page_model(code: str, title: Any = TITLE, message: Any = None) -> dict[str, Any]:
    """The error page in every language, the current one first."""
    text, pictogram = MESSAGES.get(code, MESSAGES["server_error"])
    text = message if message is not None else text
    current = str(get_locale() or "de")
    order = [current, *(lang for lang in LANGUAGES if lang != current)]
    messages = []
    for language in order:
        with force_locale(language):
            messages.append(
                {
                    "lang": language,
                    "dir": "rtl" if language in RTL_LANGUAGES else "ltr",
                    "title": str(title),
                    "text": str(text),
                }
            )
    return {"code": code, "pictogram": pictogram, "messages": messages}
