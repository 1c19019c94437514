"""Who may open a staff page, and in which language it speaks."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from flask import g, redirect, render_template, request, session, url_for
from flask_login import current_user

from server.config import Site
from server.i18n import STAFF_LANGUAGES
from server.runtime import runtime


def staff_language() -> str:
    """German by default; English when asked for. Staff pages offer only these two."""
    wanted = request.args.get("lang") or request.cookies.get("lang")
    if wanted in STAFF_LANGUAGES:
        return str(wanted)
    return request.accept_languages.best_match(STAFF_LANGUAGES) or STAFF_LANGUAGES[0]


def safe_next(target: str | None) -> str:
    """Where to go after login: only a path on this server, never another host."""
    # Browsers read "/\\host" like "//host", so a backslash is as suspect as a scheme.
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("counter.index")


def staff_page(role: str = "clerk", *, password_page: bool = False) -> Callable:
    """Login (else off to the login page), then role (else 403), for a staff HTML page.

    A user whose password an admin reset sees only the page to choose a new one.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            g.language = staff_language()
            if not current_user.is_authenticated:
                return redirect(url_for("counter.login", next=request.full_path.rstrip("?")))
            if current_user.must_change_password and not password_page:
                return redirect(url_for("counter.change_password"))
            if not current_user.may(role):
                return render_template("counter/forbidden.html"), 403
            site_id = request.values.get("site")
            if site_id and not current_user.may_site(site_id):
                return render_template("counter/forbidden.html"), 403
            # The signed cookie is renewed at most once a minute (server.auth's
            # IdleTimeoutSessions): its lifetime works as an idle timeout.
            if not session.permanent:
                session.permanent = True  # setting it again would mark the session changed
            return view(*args, **kwargs)

        return wrapped

    return decorator


def chosen_site() -> Site:
    """The site a staff page works for: ?site= if the user may, else the user's first site."""
    sites = runtime().settings.sites
    site_id = request.values.get("site")
    if site_id:
        return runtime().site(site_id)
    return next((s for s in sites if current_user.may_site(s.id)), sites[0])


def user_sites() -> list[Site]:
    """The sites the logged-in user may work for (all, when not limited)."""
    return [s for s in runtime().settings.sites if current_user.may_site(s.id)]
