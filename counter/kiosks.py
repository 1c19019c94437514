"""Kiosk enrolment (admin): make this browser a kiosk, revoke a kiosk's key."""

from __future__ import annotations

from typing import Any

from flask import flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from counter import bp
from counter.access import staff_page
from server import kiosk_access
from server.kiosk_access import KEY_COOKIE, set_key_cookie
from server.runtime import runtime
from server.services import kiosk_keys


@bp.get("/kiosks")
@staff_page("admin")
def kiosks() -> Any:
    with runtime().db.reading() as session:
        since = kiosk_keys.enrolled(session)
        held = request.cookies.get(KEY_COOKIE)
        this_browser = kiosk_keys.kiosk_of(session, held) if held else None
    rows = [
        {"site": site, "kiosk": kiosk, "since": since.get(kiosk.id)}
        for site in runtime().settings.sites
        for kiosk in site.kiosks
    ]
    return render_template(
        "counter/kiosks.html",
        rows=rows,
        this_browser=this_browser,
        page="kiosks",
        title=gettext("Kiosks"),
    )


@bp.post("/kiosks/<kiosk_id>/enrol")
@staff_page("admin")
def enrol_kiosk(kiosk_id: str) -> Any:
    key = kiosk_access.enrol_kiosk(kiosk_id, current_user.id)
    flash(gettext("This browser is now the kiosk %(kiosk)s.", kiosk=kiosk_id), "ok")
    return set_key_cookie(make_response(redirect(url_for("counter.kiosks"))), key)


@bp.post("/kiosks/<kiosk_id>/revoke")
@staff_page("admin")
def revoke_kiosk(kiosk_id: str) -> Any:
    kiosk_access.revoke_kiosk(kiosk_id)
    flash(gettext("The key of the kiosk %(kiosk)s is revoked.", kiosk=kiosk_id), "ok")
    return redirect(url_for("counter.kiosks"))
