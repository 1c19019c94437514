"""Public pages of an invitation: the letter by its long token, the check-in hint by code."""

from __future__ import annotations

from typing import Any

from flask import Response, g, render_template, request

from server.config import LANGUAGES
from server.domain.errors import InvitationExpired, NotFound
from server.invitations import bp, letter, pdf
from server.runtime import runtime
from server.services import appointments


def _language(default: str) -> str:
    """The visitor's language; ?lang= lets reception show the page in another one."""
    wanted = request.args.get("lang")
    return wanted if wanted in LANGUAGES else default


def _by_token(session: Any, token: str) -> Any:
    """The appointment of a letter's link; an unknown or deleted one reads as expired."""
    try:
        return appointments.by_token(session, token)
    except NotFound as exc:
        raise InvitationExpired(exc.message) from exc


@bp.get("/invitation/<token>")
def invitation(token: str) -> Any:
    with runtime().db.reading() as session:
        appointment = _by_token(session, token)
        site = runtime().site(appointment.site_id)
        g.language = _language(appointment.language)
        content = letter.build(site, appointment, g.language)
    return render_template(
        "invitation/letter.html",
        letter=content,
        token=token,
        qr=letter.qr_data_uri(content.checkin_url),
        cancelled=appointment.status == appointments.CANCELLED,
    )


@bp.get("/invitation/<token>.pdf")
def invitation_pdf(token: str) -> Any:
    with runtime().db.reading() as session:
        appointment = _by_token(session, token)
        site = runtime().site(appointment.site_id)
        g.language = _language(appointment.language)
        content = letter.build(site, appointment, g.language)
    body = pdf.render_pdf(content)
    name = f"einladung-{content.code}.pdf"
    return Response(
        body,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="{name}"',
            "Cache-Control": "private, no-store",
        },
    )


@bp.get("/c/<code>")
def checkin_hint(code: str) -> Any:
    """What a phone camera opens from the letter's QR code: show this at the kiosk."""
    with runtime().db.reading() as session:
        appointment = appointments.by_code(session, None, code)
        site = runtime().site(appointment.site_id)
        g.language = _language(appointment.language)
        content = letter.build(site, appointment, g.language)
    return render_template(
        "invitation/checkin.html",
        letter=content,
        text=content.texts[0],
        cancelled=appointment.status == appointments.CANCELLED,
    )
