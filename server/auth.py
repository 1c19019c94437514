"""Staff sessions (Flask-Login), roles and CSRF for session clients."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import KW_ONLY, dataclass
from datetime import timedelta
from functools import wraps
from typing import Any, cast

from flask import abort, request, session
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_login import UserMixin, current_user, login_user, logout_user
from flask_wtf.csrf import generate_csrf
from itsdangerous import BadSignature, TimestampSigner
from sqlalchemy import Select, bindparam, select

from server.audit_web import audit_staff
from server.domain import languages as spoken_languages
from server.domain.audit import AuditAction
from server.domain.errors import DomainError
from server.extensions import csrf, login_manager
from server.models import User
from server.runtime import runtime
from server.services import users
from server.services.users import RANK, PasswordChangeRequired, site_set

CSRF_HEADER = "X-CSRF-Token"
# The user's session_version when this session was made; see users.end_sessions.
SESSION_VERSION_KEY = "sv"
# An unchanged session's cookie is signed again at most this often (IdleTimeoutSessions).
RENEW_EVERY = timedelta(seconds=60)


# eq=False: Flask-Login's UserMixin compares users by id, and that stays.
@dataclass(eq=False)
class StaffUser(UserMixin):
    """The logged-in staff member as the web layer sees it (detached from the session)."""

    id: int
    username: str
    role: str
    _: KW_ONLY
    session_version: int = 0
    # Empty: every site of the installation.
    sites: frozenset[str] = frozenset()
    must_change_password: bool = False
    # The languages the clerk speaks: "next" prefers visitors who need one of them.
    languages: tuple[str, ...] = ()

    @classmethod
    def of(cls, user: Any) -> StaffUser:
        """From a User, or a row of the same columns (load_user)."""
        return cls(
            user.id,
            user.username,
            user.role,
            session_version=user.session_version,
            sites=site_set(user.sites),
            must_change_password=user.must_change_password,
            languages=tuple(spoken_languages.parse_list(user.languages)),
        )

    def may_site(self, site_id: str) -> bool:
        return not self.sites or site_id in self.sites

    def may(self, role: str) -> bool:
        if self.role == "admin":
            return True
        if role in ("clerk", "reception"):
            return self.role in ("clerk", "reception", "supervisor")
        return RANK.get(self.role, 0) >= RANK[role]


@functools.cache
def _user_statement() -> Select[int, str, str, bool, int, str, bool, str | None]:
    return select(
        User.id,
        User.username,
        User.role,
        User.active,
        User.session_version,
        User.sites,
        User.must_change_password,
        User.languages,
    ).where(User.id == bindparam("id"))


@login_manager.user_loader
def load_user(user_id: str) -> StaffUser | None:
    """Once per staff request: one statement built once, read without the ORM."""
    try:
        ident = int(user_id)
    except ValueError:
        return None
    with runtime().db.engine.connect() as connection:
        user = connection.execute(_user_statement(), {"id": ident}).first()
    if user is None or not user.active:
        return None
    # Deactivation and a new password raise the version: older sessions end here.
    if session.get(SESSION_VERSION_KEY) != user.session_version:
        return None
    return StaffUser.of(user)


def require_site(site: Any) -> Any:
    """403 unless the logged-in user may work for this site; returns the site."""
    if not current_user.may_site(site.id):
        abort(403)
    return site


def start_session(staff: StaffUser) -> None:
    """Log the user in and remember the session version the session belongs to."""
    login_user(staff)
    session[SESSION_VERSION_KEY] = staff.session_version
    session.permanent = True  # the idle timeout applies from the first answer on


def log_in(username: str, password: str) -> StaffUser:
    """Check the credentials and start a session; raises BadCredentials or TooManyAttempts.

    The one login of the API and the counter page. The attempt is counted in a
    committed transaction before the password is checked, the check runs outside any
    transaction (users.start_attempt), and a refusal is audited and committed before it
    is raised.
    """
    server = runtime().settings.server
    db = runtime().db
    failure: DomainError | None = None
    with db.writing() as writing:
        try:
            attempt = users.start_attempt(
                writing,
                username,
                remote_addr=request.remote_addr,
                attempts=server.login_attempts,
                window=timedelta(minutes=server.login_window_minutes),
            )
        except users.TooManyAttempts as exc:
            failure = _refused(writing, username, exc)
    if failure is not None:
        raise failure
    valid = users.password_matches(attempt, password)
    with db.writing() as writing:
        try:
            user = users.finish_attempt(writing, attempt, valid)
            staff = StaffUser.of(user)
            audit_staff(writing, AuditAction.LOGIN, actor=user.username)
        except users.BadCredentials as exc:
            failure = _refused(writing, username, exc)
    if failure is not None:
        raise failure
    session.clear()  # no state of an earlier visitor of this browser carries over
    start_session(staff)
    return staff


def _refused(db: Any, username: str, refusal: DomainError) -> DomainError:
    audit_staff(db, AuditAction.LOGIN_FAILED, refusal.code, actor=username)
    return refusal


def log_out() -> None:
    """End this user's sessions on the server too: a copied cookie stops working."""
    if current_user.is_authenticated:
        with runtime().db.writing() as db:
            audit_staff(db, AuditAction.LOGOUT)
            user = db.get(User, current_user.id)
            if user is not None:
                users.end_sessions(user)
    logout_user()
    session.clear()


def init_auth(app: Any) -> None:
    settings = runtime_settings(app)
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.server.secure_cookies,
        PERMANENT_SESSION_LIFETIME=timedelta(minutes=settings.server.staff_idle_minutes),
        # Each request renews the session: the lifetime is an idle timeout.
        SESSION_REFRESH_EACH_REQUEST=True,
        WTF_CSRF_HEADERS=[CSRF_HEADER, "X-CSRFToken"],
        WTF_CSRF_TIME_LIMIT=None,
        WTF_CSRF_SSL_STRICT=settings.server.secure_cookies,
    )
    app.session_interface = IdleTimeoutSessions()
    login_manager.init_app(app)
    login_manager.login_view = "counter.login"
    csrf.init_app(app)


class IdleTimeoutSession(SecureCookieSession):
    # False while the cookie it came in is younger than RENEW_EVERY.
    renew: bool = True


class IdleTimeoutSessions(SecureCookieSessionInterface):
    """The cookie session, renewed at most once every RENEW_EVERY while unchanged.

    The session's lifetime is an idle timeout, so Flask would sign and send the cookie
    again with every answer; a staff request would pay for that each time. A session
    may now end up to RENEW_EVERY before its idle timeout, which is at least 5 minutes.
    """

    session_class = IdleTimeoutSession

    def open_session(self, app: Any, request: Any) -> IdleTimeoutSession | None:
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        try:
            data, signed_at = serializer.loads(value, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        opened = self.session_class(data)
        # The signer's own clock, the one that decides when the cookie has expired.
        now = cast(TimestampSigner, serializer.make_signer()).get_timestamp()
        opened.renew = now - signed_at.timestamp() >= RENEW_EVERY.total_seconds()
        return opened

    def should_set_cookie(self, app: Any, session: Any) -> bool:
        if session.modified:
            return True
        return bool(session.permanent and getattr(session, "renew", True))


def runtime_settings(app: Any):
    return runtime(app).settings


def new_csrf_token() -> str:
    return generate_csrf()


def staff_required(
    role: str = "clerk", *, check_csrf: bool = True, password_change: bool = False
) -> Callable:
    """Login, then role, then CSRF on state changes: the order the API contract fixes.

    A user whose password an admin reset may only choose a new one (`password_change`).
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                abort(401)
            if not current_user.may(role):
                abort(403)
            if current_user.must_change_password and not password_change:
                raise PasswordChangeRequired()
            site_id = (request.view_args or {}).get("site_id")
            if site_id is not None and not current_user.may_site(site_id):
                abort(403)
            if check_csrf and request.method not in ("GET", "HEAD", "OPTIONS"):
                csrf.protect()
            if not session.permanent:
                session.permanent = True  # setting it again would mark the session changed
            return view(*args, **kwargs)

        return wrapped

    return decorator
