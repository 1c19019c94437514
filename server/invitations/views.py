"""Public pages of an invitation: the letter by its long token, the check-in hint by code."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response, g, render_template, request
from sqlalchemy.orm import Session

from server.config import LANGUAGES
from server.domain.appointments import AppointmentState
from server.domain.errors import InvitationExpired, LetterGone, NotFound
from server.green import off_the_hub
from server.invitations import bp, letter, pdf
from server.models import Appointment
from server.runtime import runtime
from server.services import appointment_queries, clock
from server.services.invitation_expiry import has_expired


def _language(default: str) -> str:
    """The visitor's language; ?lang= lets reception show the page in another one."""
    wanted = request.args.get("lang")
    return wanted if wanted in LANGUAGES else default


def _by_token(session: Session, token: str) -> Appointment:
    """The appointment of a letter's link; an unknown or deleted one reads as expired."""
    try:
        return appointment_queries.by_token(session, token)
    except NotFound as exc:
        raise LetterGone(exc.message) from exc


def _letter(find: Callable[[Session], Appointment]) -> tuple[Appointment, letter.Letter]:
    """The appointment `find` loads, and its letter in the visitor's (or the asked) language."""
    with runtime().db.reading() as session:
        appointment = find(session)
        site = runtime().site(appointment.site_id)
        g.language = _language(appointment.language)
        return appointment, letter.build(site, appointment, g.language)


@bp.get("/invitation/<token>")
def invitation(token: str) -> Any:
    appointment, content = _letter(lambda s: _by_token(s, token))
    return render_template(
        "invitation/letter.html",
        letter=content,
        token=token,
        qr=letter.qr_data_uri(content.checkin_url),
        cancelled=appointment.status == AppointmentState.CANCELLED,
    )


@bp.get("/invitation/<token>.pdf")
def invitation_pdf(token: str) -> Any:
    _appointment, content = _letter(lambda s: _by_token(s, token))
    body = off_the_hub(pdf.render_pdf, content)
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
    try:
        appointment, content = _letter(lambda s: appointment_queries.by_code(s, None, code))
    except InvitationExpired as exc:
        # The letter outlived its data: answer in the language it was written in.
        g.language = _language(exc.language or "de")
        return render_template("invitation/expired.html"), 410
    site = runtime().site(appointment.site_id)
    expired = has_expired(site, appointment, clock.utcnow())
    return render_template(
        "invitation/checkin.html",
        letter=content,
        text=content.texts[0],
        cancelled=appointment.status == AppointmentState.CANCELLED,
        expired=expired and appointment.status != AppointmentState.CHECKED_IN,
    )
