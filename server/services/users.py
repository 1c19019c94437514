"""Staff users: create, authenticate, throttle failed logins."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from server.domain import languages as language_codes
from server.domain.errors import (  # noqa: F401  (the login failures, re-exported)
    BadCredentials,
    InvalidInput,
    PasswordChangeRequired,
    TooManyAttempts,
)
from server.domain.login import LoginFailures, locked
from server.domain.passwords import password_problem
from server.green import off_the_hub
from server.models import LoginFailure, User
from server.services.clock import utcnow

ROLES = ("reception", "clerk", "supervisor", "admin")
# Which roles may do what; a higher role includes the lower ones' rights.
RANK = {"clerk": 1, "reception": 1, "supervisor": 2, "admin": 3}
MIN_PASSWORD = 8


def hash_password(password: str) -> str:
    """scrypt, in a real thread under gevent (about 70 ms of C the hub need not wait for)."""
    return off_the_hub(generate_password_hash, password, "scrypt")


_dummy_hash: str | None = None


def _dummy_password_hash() -> str:
    """A hash to check unknown names against, so they take as long as known ones."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = hash_password("no user has this password")
    return _dummy_hash


def end_sessions(user: User) -> None:
    """End every session of user on every server (logout, password change, deactivation).

    Sessions carry the version they were made with (server.auth checks it per request);
    two bumps at once may both write v+1: either way every session made with v ends.
    """
    user.session_version = (user.session_version or 0) + 1


def add_user(
    session: Session,
    username: str,
    password: str,
    role: str,
    *,
    languages: str | list[str] | None = None,
    now: datetime | None = None,
    check_password: bool = True,
) -> User:
    """Create a staff user, or reset the password and role of an existing one.

    `languages`: the languages they serve in (`de,ar`); None keeps what was set.
    """
    if role not in ROLES:
        raise InvalidInput(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
    if not username or len(username) > 80 or not username.isprintable() or " " in username:
        raise InvalidInput("the user name must be 1 to 80 printable characters without spaces")
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"the password must have at least {MIN_PASSWORD} characters")
    problem = password_problem(password, username) if check_password else None
    if problem:
        raise InvalidInput(problem)
    spoken = language_codes.parse_list(languages) if languages is not None else None
    user = session.scalars(select(User).where(User.username == username)).first()
    if user is None:
        user = User(
            username=username, created_at=now or utcnow(), active=True, password_hash="", role=role
        )
        session.add(user)
    if user.id is not None:
        end_sessions(user)
    user.password_hash = hash_password(password)
    user.role = role
    user.active = True
    if spoken is not None:
        user.languages = language_codes.joined(spoken)
    session.flush()
    return user


def site_set(sites: str) -> frozenset[str]:
    """The sites a user may work for, from the stored comma-separated ids (empty: all)."""
    return frozenset(s for s in sites.split(",") if s)


@dataclass(frozen=True)
class Attempt:
    """A login attempt, counted as a failure until its password is found right."""

    username: str
    remote_addr: str | None
    user_id: int | None  # None: no active user of that name
    stored_hash: str | None  # None: no user of that name at all


def start_attempt(
    session: Session,
    username: str,
    *,
    remote_addr: str | None,
    attempts: int,
    window: timedelta,
    now: datetime | None = None,
) -> Attempt:
    """Refuse a throttled address, else count this attempt as a failure for now.

    The password is checked after this transaction (scrypt is ~70 ms of CPU, which must
    not hold the write lock), and attempts racing each other each count already, so
    sending many at once gets no more guesses than sending them one by one. The rule is
    server.domain.login; an unknown name costs the same hashing as a known one.
    """
    now = now or utcnow()
    if session.get_bind().dialect.name == "postgresql":
        # Attempts from one address count one after another, each seeing the ones before
        # (SQLite's write lock already does this; PostgreSQL's reads would miss them).
        session.execute(select(func.pg_advisory_xact_lock(func.hashtext(remote_addr or ""))))
    recent = select(func.count()).select_from(LoginFailure).where(LoginFailure.at > now - window)
    from_address = recent.where(LoginFailure.remote_addr.is_not_distinct_from(remote_addr))
    failures = LoginFailures(
        same_name_same_address=session.scalar(
            from_address.where(LoginFailure.username == username[:80])
        )
        or 0,
        same_address=session.scalar(from_address) or 0,
    )
    if locked(failures, attempts):
        raise TooManyAttempts()
    session.add(LoginFailure(username=username[:80], remote_addr=remote_addr, at=now))
    user = session.scalars(select(User).where(User.username == username)).first()
    active = user is not None and user.active
    stored = user.password_hash if user is not None else None
    return Attempt(username, remote_addr, user.id if user and active else None, stored)


def password_matches(attempt: Attempt, password: str) -> bool:
    """Check the password in a real thread under gevent: the server goes on meanwhile.

    An unknown name is checked against a hash of its own, so it costs the same time."""
    stored = attempt.stored_hash or _dummy_password_hash()
    return off_the_hub(check_password_hash, stored, password)


def finish_attempt(session: Session, attempt: Attempt, valid: bool) -> User:
    """The user of a right password (their failures are forgotten), else BadCredentials."""
    # Read for unknown names too (id 0 is nobody): both take the same statements.
    user = session.get(User, attempt.user_id or 0)
    if user is None or not user.active or not valid:
        raise BadCredentials()  # the failure counted at the start stays
    session.execute(
        delete(LoginFailure).where(
            LoginFailure.username == attempt.username,
            LoginFailure.remote_addr.is_not_distinct_from(attempt.remote_addr),
        )
    )
    return user
