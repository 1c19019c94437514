"""Staff pages: login, the counter workplace, the reception desk, the supervisor overview."""

from __future__ import annotations

from typing import Any

from flask import g, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from counter import bp
from counter.access import chosen_site, safe_next, staff_page
from counter.forms import LoginForm
from counter.texts import page_texts, site_data
from server.api.languages import close_counters_of
from server.auth import log_in, log_out
from server.config import Site
from server.runtime import runtime
from server.services import users


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    if current_user.is_authenticated and request.method == "GET":
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    failure = None
    if form.validate_on_submit():
        try:
            log_in(form.username.data or "", form.password.data or "")
            return redirect(safe_next(request.args.get("next")))
        except (users.BadCredentials, users.TooManyAttempts) as exc:
            failure = exc.code
    status = {"too_many_attempts": 429, "bad_credentials": 401}.get(failure or "", 200)
    minutes = runtime().settings.server.login_window_minutes
    return render_template(
        "counter/login.html", form=form, failure=failure, minutes=minutes
    ), status


@bp.post("/logout")
def logout() -> Any:
    if current_user.is_authenticated:
        close_counters_of(current_user.id)
    log_out()
    return redirect(url_for("counter.login"))


def _site() -> Site:
    return chosen_site()


PAGE_TITLES = {
    "counter": _l("Counter"),
    "reception": _l("Reception desk"),
    "overview": _l("Overview"),
}


def _page(template: str, page: str) -> Any:
    site = _site()
    language = str(g.language)
    config = {
        "page": page,
        "site": site_data(site, language),
        "csrf": generate_csrf(),
        "user": {"name": current_user.username, "role": current_user.role},
        "login_url": url_for("counter.login"),
        "texts": page_texts(),
        "lang": language,
    }
    return render_template(template, site=site, config=config, page=page, title=PAGE_TITLES[page])


@bp.get("/")
@staff_page()
def index() -> Any:
    return _page("counter/counter.html", "counter")


@bp.get("/reception")
@staff_page("reception")
def reception() -> Any:
    return _page("counter/reception.html", "reception")


@bp.get("/overview")
@staff_page("supervisor")
def overview() -> Any:
    return _page("counter/overview.html", "overview")
