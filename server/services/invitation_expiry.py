"""An old letter's code after pseudonymisation: "expired", not "unknown"."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.config import Site
from server.domain.errors import DomainError, InvitationExpired, UnknownCode
from server.domain.retention import appointment_expires, code_pseudonym
from server.models import Appointment


def _site_ids(session: Session, site: Site | None) -> list[str]:
    if site is not None:
        return [site.id]
    return list(session.scalars(select(Appointment.site_id).distinct()))


def expired_or_unknown(session: Session, site: Site | None, code: str) -> DomainError:
    """The error for a code no live appointment has: expired when retention replaced it."""
    digests = [code_pseudonym(code, site_id) for site_id in _site_ids(session, site)]
    found = session.scalars(
        select(Appointment.language).where(Appointment.code.in_(digests))
    ).first()
    if found is not None:
        return InvitationExpired(language=found)
    return UnknownCode()


def has_expired(site: Site, appointment: Appointment, now: datetime) -> bool:
    """An invitation is valid until its appointment plus the check-in window."""
    return now > appointment_expires(appointment.start, site.checkin.minutes_after)
