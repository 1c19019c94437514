"""The visitor's live status page on the phone: `/t/<token>`, the URL in the ticket's QR code."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, g, render_template, request, url_for
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l

from server import visitor_errors
from server.domain.errors import NotFound
from server.runtime import runtime
from server.services import lookup, present

status_bp = Blueprint(
    "status",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/status-static",
)

UNKNOWN_TITLE = _l("Number not found")
UNKNOWN_TEXT = _l("This number is unknown or no longer valid. Please ask at reception.")
# The token in the address is the visitor's key: no search engine, no cache, no referrer.
PRIVATE_HEADERS = {
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex, nofollow",
    "Referrer-Policy": "no-referrer",
}


def _page_language(ticket_language: str) -> str:
    """?lang= (remembered in a cookie by the app) wins; else the ticket's own language."""
    languages = runtime().settings.languages
    for wanted in (request.args.get("lang"), request.cookies.get("lang"), ticket_language):
        if wanted in languages:
            return wanted
    return "de"


def _unknown() -> Any:
    """A 404 that every visitor can read: all five languages, the browser's own first."""
    model = visitor_errors.page_model("not_found", title=UNKNOWN_TITLE, message=UNKNOWN_TEXT)
    body = render_template("display/status_unknown.html", **model)
    return body, 404, PRIVATE_HEADERS


@status_bp.get("/t/<token>")
def ticket_status(token: str) -> Any:
    if len(token) > 64:
        return _unknown()
    with runtime().db.reading() as session:
        try:
            ticket = lookup.ticket_by_token(session, token)
        except NotFound:
            return _unknown()
        site = runtime().site(ticket.site_id)
        public = present.public_ticket(session, site, ticket)
    g.language = language = _page_language(public["language"])
    with force_locale(language):
        model = {
            "token": token,
            "ticket": public,
            "counters": {c.id: c.label.get(language) for c in site.counters},
            "texts": {
                "about": gettext("about %(minutes)s min", minutes="{minutes}"),
                "soon": gettext("very soon"),
            },
            "urls": {"ticket": url_for("api.get_ticket", token=token)},
        }
        page = render_template(
            "display/status.html",
            model=model,
            ticket=public,
            languages=runtime().settings.languages,
            token=token,
        )
    response = current_app.make_response(page)
    response.headers.update(PRIVATE_HEADERS)
    return response
