"""The ticket image: exactly what the kiosk printer gets, for checks and reprints."""

from __future__ import annotations

import io
from typing import Any

from server.api import bp
from server.api.helpers import runtime
from server.api.operations import operation
from server.printing import stored_ticket_image
from server.services import lookup


@bp.get("/tickets/<token>/image.png")
@operation("The ticket as the printer gets it (PNG)", {200: None}, files=("image/png",))
def ticket_image(token: str) -> Any:
    with runtime().db.reading() as session:
        ticket = lookup.ticket_by_token(session, token)
        image = stored_ticket_image(session, runtime().site(ticket.site_id), ticket)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    # The position and the wait on it change by the minute.
    return buffer.getvalue(), 200, {"Content-Type": "image/png", "Cache-Control": "no-store"}
