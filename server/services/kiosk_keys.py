"""Kiosk device keys (enrol, revoke, look up) and the rate limit of anonymous issuing."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from server.domain.errors import RateLimited
from server.domain.ratelimit import AnonymousLimits, wait_seconds
from server.models import AnonymousIssue, KioskKey
from server.services.clock import utcnow

KEY_BYTES = 32
# Rows of the anonymous count live no longer than the longest window allowed ("N/day").
KEEP_COUNTS = timedelta(days=1)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def enrol(
    session: Session, kiosk_id: str, *, user_id: int | None, now: datetime | None = None
) -> str:
    """A new device key for kiosk_id; earlier keys of that kiosk stop working."""
    now = now or utcnow()
    revoke(session, kiosk_id, now=now)
    key = secrets.token_urlsafe(KEY_BYTES)
    session.add(
        KioskKey(kiosk_id=kiosk_id, key_hash=_hash(key), created_at=now, created_by=user_id)
    )
    session.flush()
    return key


def revoke(session: Session, kiosk_id: str, *, now: datetime | None = None) -> int:
    """Revoke every active key of kiosk_id; the number revoked."""
    result = session.execute(
        update(KioskKey)
        .where(KioskKey.kiosk_id == kiosk_id, KioskKey.revoked_at.is_(None))
        .values(revoked_at=now or utcnow())
    )
    return int(getattr(result, "rowcount", 0) or 0)


def kiosk_of(session: Session, key: str) -> str | None:
    """The kiosk an active key belongs to, or None."""
    if not key or len(key) > 200:
        return None
    row = session.scalars(
        select(KioskKey).where(KioskKey.key_hash == _hash(key), KioskKey.revoked_at.is_(None))
    ).first()
    return row.kiosk_id if row is not None else None


def enrolled(session: Session) -> dict[str, datetime]:
    """Kiosk id → when its active key was made."""
    rows = session.scalars(select(KioskKey).where(KioskKey.revoked_at.is_(None)))
    return {row.kiosk_id: row.created_at for row in rows}


def client_id(secret: str, address: str | None) -> str:
    """A stable pseudonym of a client address (the address itself is not stored)."""
    return hmac.new(secret.encode(), (address or "?").encode(), "sha256").hexdigest()


def count_anonymous(
    session: Session,
    site_id: str,
    client: str,
    limits: AnonymousLimits,
    now: datetime | None = None,
) -> None:
    """Count one anonymous request against `limits`; RateLimited when one is reached."""
    now = now or utcnow()
    counted = [
        (limit, which)
        for limit, which in (
            (limits.per_client, AnonymousIssue.client == client),
            (limits.per_site, AnonymousIssue.site_id == site_id),
        )
        if limit is not None
    ]
    if not counted:
        return  # unlimited: nothing to count
    for limit, which in counted:
        recent = list(
            session.scalars(
                select(AnonymousIssue.at).where(which, AnonymousIssue.at > now - limit.window)
            )
        )
        wait = wait_seconds(recent, limit, now)
        if wait:
            raise RateLimited(wait)
    session.execute(delete(AnonymousIssue).where(AnonymousIssue.at < now - KEEP_COUNTS))
    session.add(AnonymousIssue(site_id=site_id, client=client, at=now))
