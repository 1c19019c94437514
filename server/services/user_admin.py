"""User administration by an admin: list, create, change role, languages, sites, password, state."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.domain import languages as language_codes
from server.domain.audit import AuditAction
from server.domain.errors import Conflict, InvalidInput, NotFound
from server.domain.passwords import password_problem
from server.models import User
from server.services.users import ROLES, add_user, end_sessions, hash_password, site_set


@dataclass(frozen=True)
class Change:
    """What a PATCH asks for; None leaves a field as it is."""

    role: str | None = None
    languages: list[str] | None = None
    sites: list[str] | None = None
    active: bool | None = None
    password: str | None = None


def view(user: User) -> dict[str, Any]:
    return {
        "username": user.username,
        "role": user.role,
        "languages": [code for code in user.languages.split(",") if code],
        "sites": sorted(site_set(user.sites)),
        "active": user.active,
        "must_change_password": user.must_change_password,
    }


def list_users(session: Session) -> list[dict[str, Any]]:
    return [view(u) for u in session.scalars(select(User).order_by(User.username))]


def get_user(session: Session, username: str) -> User:
    user = session.scalars(select(User).where(User.username == username)).first()
    if user is None:
        raise NotFound(f"no user {username!r}")
    return user


def _languages(codes: Iterable[str]) -> str:
    # One rule for staff languages (server/domain/languages.py): any ISO 639 code CLDR knows.
    return language_codes.joined(language_codes.parse_list(list(codes)))


def _sites(ids: Iterable[str], known: Iterable[str]) -> str:
    ids, known = list(ids), set(known)
    unknown = [s for s in ids if s not in known]
    if unknown:
        raise InvalidInput(f"unknown site {unknown[0]!r}")
    return ",".join(dict.fromkeys(ids))


def create_user(
    session: Session,
    username: str,
    role: str,
    password: str,
    *,
    languages: Iterable[str] = (),
    sites: Iterable[str] = (),
    known_sites: Iterable[str] = (),
) -> tuple[User, list[AuditAction]]:
    """A new user; 409 when the name is taken."""
    if session.scalars(select(User).where(User.username == username)).first() is not None:
        raise Conflict(f"the user name {username!r} is taken")
    user = add_user(session, username, password, role)
    user.languages = _languages(languages)
    user.sites = _sites(sites, known_sites)
    return user, [AuditAction.USER_CREATED]


def _active_admins(session: Session) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(User)
            .where(User.role == "admin", User.active.is_(True))
        )
        or 0
    )


def update_user(
    session: Session, username: str, change: Change, *, known_sites: Iterable[str] = ()
) -> tuple[User, list[AuditAction]]:
    """Apply a change; 404 for an unknown user, 409 when it would leave no active admin."""
    user = get_user(session, username)
    done: list[AuditAction] = []
    losing_admin = (
        user.role == "admin"
        and user.active
        and ((change.role is not None and change.role != "admin") or change.active is False)
    )
    if losing_admin and _active_admins(session) <= 1:
        raise Conflict("this is the last active administrator; make another one first")
    if change.role is not None and change.role != user.role:
        if change.role not in ROLES:
            raise InvalidInput(f"unknown role {change.role!r}; use one of {', '.join(ROLES)}")
        user.role = change.role
        done.append(AuditAction.USER_CHANGED)
    if change.languages is not None:
        user.languages = _languages(change.languages)
        done.append(AuditAction.USER_CHANGED)
    if change.sites is not None:
        user.sites = _sites(change.sites, known_sites)
        end_sessions(user)  # a session must not keep a site the user lost
        done.append(AuditAction.USER_CHANGED)
    if change.password is not None:
        problem = password_problem(change.password, user.username)
        if problem:
            raise InvalidInput(problem)
        user.password_hash = hash_password(change.password)
        user.must_change_password = True
        end_sessions(user)
        done.append(AuditAction.PASSWORD_RESET)
    if change.active is not None and change.active != user.active:
        user.active = change.active
        if not change.active:
            end_sessions(user)
        done.append(AuditAction.USER_REACTIVATED if change.active else AuditAction.USER_DEACTIVATED)
    session.flush()
    return user, list(dict.fromkeys(done))


def change_own_password(session: Session, user_id: int, new_password: str) -> User:
    """The user sets a password of their own (after a reset); other sessions end."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("no such user")
    problem = password_problem(new_password, user.username)
    if problem:
        raise InvalidInput(problem)
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    end_sessions(user)
    return user
