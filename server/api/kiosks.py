"""Kiosk device keys (admin): enrol a kiosk, revoke its key, list the enrolled kiosks."""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from server import kiosk_access
from server.api import answers as a
from server.api import bp
from server.api.helpers import runtime
from server.api.operations import operation
from server.auth import staff_required
from server.services import kiosk_keys


@bp.post("/kiosks/<kiosk_id>/key")
@staff_required("admin")
@operation("Enrol a kiosk: a new device key (admin)", {201: a.KioskKey})
def enrol_kiosk(kiosk_id: str) -> Any:
    return {"kiosk": kiosk_id, "key": kiosk_access.enrol_kiosk(kiosk_id, current_user.id)}, 201


@bp.delete("/kiosks/<kiosk_id>/key")
@staff_required("admin")
@operation("Revoke a kiosk's key (admin)", {204: None})
def revoke_kiosk(kiosk_id: str) -> Any:
    kiosk_access.revoke_kiosk(kiosk_id)
    return "", 204


@bp.get("/kiosks")
@staff_required("admin")
@operation("Kiosks and their keys (admin)", {200: [a.KioskItem]})
def enrolled_kiosks() -> Any:
    with runtime().db.reading() as session:
        since = kiosk_keys.enrolled(session)
    return [
        {
            "kiosk": kiosk.id,
            "site": site.id,
            "name": kiosk.name,
            "enrolled_since": since[kiosk.id].isoformat() if kiosk.id in since else None,
        }
        for site in runtime().settings.sites
        for kiosk in site.kiosks
    ]
