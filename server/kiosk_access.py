"""Who is asking for a ticket: an enrolled kiosk, a staff member, or an anonymous client.

Enrolled kiosks (device key in the `X-Kiosk-Key` header or the kiosk browser's cookie) and
staff sessions issue without limit; anyone else is counted against the
`anonymous_tickets` limits, so that one client cannot drain a queue's daily capacity.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from flask_login import current_user
from sqlalchemy.orm import Session

from server.config import Site
from server.domain.errors import UnknownKioskKey, WrongKiosk
from server.domain.ratelimit import anonymous_limits
from server.runtime import runtime
from server.services import kiosk_keys

KEY_HEADER = "X-Kiosk-Key"
KEY_COOKIE = "kiosk_key"
# Ten years: a kiosk stays enrolled until an admin revokes its key.
KEY_COOKIE_SECONDS = 10 * 365 * 24 * 3600


def issuing_kiosk(session: Session, site: Site, claimed: str | None) -> str | None:
    """The kiosk this ticket request speaks for (or claimed); counts anonymous requests.

    Runs in the issuing transaction, so a ticket and its count are one unit of work (one
    commit) and a refused or failed ticket counts nothing. Raises UnknownKioskKey (401)
    for a bad header key, WrongKiosk (403) when the key belongs to another kiosk,
    AnonymousIssuingOff (403) or RateLimited (429).
    """
    header = request.headers.get(KEY_HEADER)
    key = header or request.cookies.get(KEY_COOKIE)
    if key:
        kiosk = kiosk_keys.kiosk_of(session, key)
        if kiosk is not None and site.kiosk(kiosk) is not None:
            if claimed is not None and claimed != kiosk:
                raise WrongKiosk()
            return kiosk
        if header:
            raise UnknownKioskKey()
        # A revoked cookie: this browser is an anonymous client again.
    if current_user.is_authenticated:
        return claimed
    server = runtime().settings.server
    limits = anonymous_limits(server.anonymous_tickets, server.anonymous_tickets_site)
    client = kiosk_keys.client_id(str(current_app.secret_key or ""), request.remote_addr)
    kiosk_keys.count_anonymous(session, site.id, client, limits)
    return claimed


def set_key_cookie(response: Any, key: str) -> Any:
    """Make this browser the kiosk whose key this is (an admin enrolled it)."""
    response.set_cookie(
        KEY_COOKIE,
        key,
        max_age=KEY_COOKIE_SECONDS,
        httponly=True,
        samesite="Strict",
        secure=runtime().settings.server.secure_cookies,
    )
    return response


LOOPBACK = frozenset({"127.0.0.1", "::1"})


def demo_enrolment(kiosk_id: str) -> str | None:
    """A new key for a kiosk page opened on this machine, if the demo setting allows it.

    Only with `enrol_loopback_kiosks` (the demo's config.toml; never behind a proxy, where
    every request comes from loopback) and only when the browser holds no valid key.
    """
    if not runtime().settings.server.enrol_loopback_kiosks:
        return None
    if request.remote_addr not in LOOPBACK:
        return None
    with runtime().db.writing() as session:
        held = request.cookies.get(KEY_COOKIE)
        if held and kiosk_keys.kiosk_of(session, held) == kiosk_id:
            return None
        return kiosk_keys.enrol(session, kiosk_id, user_id=None)


def enrol_kiosk(kiosk_id: str, user_id: int | None) -> str:
    """A new key for a configured kiosk (NotFound for another id); earlier keys end."""
    runtime().find("kiosk", kiosk_id)
    with runtime().db.writing() as session:
        return kiosk_keys.enrol(session, kiosk_id, user_id=user_id)


def revoke_kiosk(kiosk_id: str) -> None:
    """Revoke a configured kiosk's key (NotFound for another id)."""
    runtime().find("kiosk", kiosk_id)
    with runtime().db.writing() as session:
        kiosk_keys.revoke(session, kiosk_id)
