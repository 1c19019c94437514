"""Who may open a staff page, and in which language it speaks."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from flask import g, redirect, render_template, request, session, url_for
from flask_login import current_user

from server.i18n import STAFF_LANGUAGES


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


def staff_page(role: str = "clerk") -> Callable:
    """Login (else off to the login page), then role (else 403), for a staff HTML page."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            g.language = staff_language()
            if not current_user.is_authenticated:
                return redirect(url_for("counter.login", next=request.full_path.rstrip("?")))
            if not current_user.may(role):
                return render_template("counter/forbidden.html"), 403
            # Each request renews the signed cookie: the lifetime works as an idle timeout.
            session.permanent = True
            return view(*args, **kwargs)

        return wrapped

    return decorator
