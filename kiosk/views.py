"""Kiosk routes: the touch page, the QR code of a status page, the print status of a ticket."""

from __future__ import annotations

from typing import Any

from flask import g, make_response, render_template, request

from kiosk import bp
from kiosk.qr import status_qr_svg
from kiosk.texts import language_packs
from server import printing
from server.domain.appointment_codes import CODE_ALPHABET, CODE_LENGTH
from server.domain.errors import KioskOutOfOrder, NotFound
from server.kiosk_access import demo_enrolment, set_key_cookie
from server.runtime import runtime

# How long a ticket stays on screen before the kiosk is ready for the next visitor; longer
# when it did not print, so the visitor has time to take a photo or write it down.
TICKET_SECONDS = 25
UNPRINTED_TICKET_SECONDS = 60
PAGE_LANGUAGE = "de"


@bp.get("/<kiosk_id>")
def kiosk_page(kiosk_id: str) -> Any:
    try:
        site, kiosk = runtime().find("kiosk", kiosk_id)
    except NotFound as exc:
        raise KioskOutOfOrder(exc.message) from exc
    languages = list(runtime().settings.languages)
    start = request.args.get("lang")
    start = start if start in languages else None
    # Step 1 speaks every language; its page frame is German until the visitor picks one.
    page_language = PAGE_LANGUAGE if PAGE_LANGUAGE in languages else languages[0]
    g.language = start or page_language
    config = {
        "site": site.id,
        "kiosk": kiosk.id,
        "languages": languages,
        "start_language": start,
        "page_language": page_language,
        "idle_seconds": kiosk.idle_seconds,
        "ticket_seconds": TICKET_SECONDS,
        "unprinted_ticket_seconds": UNPRINTED_TICKET_SECONDS,
        "printer": kiosk.printer is not None,
        "timezone": site.timezone,
        "code_alphabet": CODE_ALPHABET,
        "code_length": CODE_LENGTH,
    }
    page = render_template(
        "kiosk/kiosk.html",
        site=site,
        kiosk=kiosk,
        config=config,
        packs=language_packs(site, languages),
        languages=languages,
    )
    key = demo_enrolment(kiosk.id)
    return set_key_cookie(make_response(page), key) if key else page


@bp.get("/qr.svg")
def qr_code() -> Any:
    svg = status_qr_svg(runtime().settings, request.args.get("data", ""))
    return (
        svg,
        200,
        {
            "Content-Type": "image/svg+xml; charset=utf-8",
            # The data is the status URL, which holds the ticket's token.
            "Cache-Control": "no-store",
        },
    )


@bp.get("/<kiosk_id>/print-status/<token>")
def print_status(kiosk_id: str, token: str) -> Any:
    site, kiosk = runtime().find("kiosk", kiosk_id)
    with runtime().db.reading() as session:
        status = printing.print_status(session, site, kiosk, token)
    return {"status": status}, 200, {"Cache-Control": "no-store"}
