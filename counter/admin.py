"""Admin pages: users (list, create, change, reset, deactivate), the audit trail, own password."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from counter import bp
from counter.access import staff_page
from counter.texts import LANGUAGE_NAMES
from server.audit_web import audit_csv_export, audit_staff, audit_user_changes
from server.domain.audit import ACTIONS, AuditAction
from server.domain.errors import DomainError
from server.runtime import runtime
from server.services import audit, user_admin
from server.services.users import ROLES

ROLE_NAMES = {
    "reception": _l("Reception"),
    "clerk": _l("Case worker"),
    "supervisor": _l("Supervisor"),
    "admin": _l("Administrator"),
}

ACTION_NAMES = {
    "login": _l("login"),
    "login_failed": _l("failed login"),
    "logout": _l("logout"),
    "user_created": _l("user created"),
    "user_changed": _l("user changed"),
    "password_reset": _l("password reset"),
    "password_changed": _l("password changed"),
    "user_deactivated": _l("user deactivated"),
    "user_reactivated": _l("user reactivated"),
    "call": _l("call"),
    "recall": _l("recall"),
    "start": _l("start"),
    "finish": _l("finish"),
    "no_show": _l("no-show"),
    "cancel": _l("cancel"),
    "park": _l("park"),
    "resume": _l("resume"),
    "transfer": _l("transfer"),
    "issue": _l("ticket issued"),
    "priority": _l("priority"),
    "interpreter": _l("interpreter"),
    "appointment_booked": _l("appointment booked"),
    "appointment_cancelled": _l("appointment cancelled"),
    "appointment_moved": _l("appointment moved"),
    "presence": _l("presence"),
    "queue_state": _l("queue opened or closed"),
    "export": _l("export"),
    "kiosk_key": _l("kiosk key"),
    "retention_run": _l("retention run"),
}


def _changed(username: str, change: Any) -> Any:
    """Apply a user change (a callable taking the session), say how it went, back to the list."""
    try:
        with runtime().db.writing() as session:
            _user, actions = change(session)
            audit_user_changes(session, username, actions)
    except DomainError as exc:
        flash(exc.message, "error")
    else:
        flash(gettext("User %(name)s saved.", name=username), "ok")
    return redirect(url_for("counter.admin_users"))


@bp.get("/admin/users")
@staff_page("admin")
def admin_users() -> Any:
    with runtime().db.reading() as session:
        users = user_admin.list_users(session)
    return render_template(
        "counter/admin_users.html",
        users=users,
        roles=ROLES,
        role_names=ROLE_NAMES,
        languages=LANGUAGE_NAMES,
        sites=runtime().settings.sites,
        page="admin_users",
        title=gettext("Users"),
    )


@bp.post("/admin/users")
@staff_page("admin")
def admin_create_user() -> Any:
    form = request.form
    username = form.get("username", "").strip()
    return _changed(
        username,
        lambda session: user_admin.create_user(
            session,
            username,
            form.get("role", ""),
            form.get("password", ""),
            languages=form.getlist("languages"),
            sites=form.getlist("sites"),
            known_sites=runtime().site_ids(),
        ),
    )


@bp.post("/admin/users/<username>")
@staff_page("admin")
def admin_update_user(username: str) -> Any:
    form = request.form
    what = form.get("what")
    if what == "deactivate":
        change = user_admin.Change(active=False)
    elif what == "reactivate":
        change = user_admin.Change(active=True)
    elif what == "password":
        change = user_admin.Change(password=form.get("password", ""))
    else:
        change = user_admin.Change(
            role=form.get("role"),
            languages=form.getlist("languages"),
            sites=form.getlist("sites"),
        )
    return _changed(
        username,
        lambda session: user_admin.update_user(
            session, username, change, known_sites=runtime().site_ids()
        ),
    )


def _local(moment: str) -> str:
    return datetime.fromisoformat(moment).astimezone(audit.LOCAL).strftime("%Y-%m-%d %H:%M:%S")


def _day(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


def _audit_rows(session: Any) -> list[dict[str, Any]]:
    action = request.args.get("action") or None
    return audit.rows(
        session,
        first=_day("day"),
        last=_day("day"),
        actor=request.args.get("actor") or None,
        action=action if action in ACTIONS else None,
        sites=current_user.sites or None,
    )


@bp.get("/admin/audit")
@staff_page("admin")
def admin_audit() -> Any:
    with runtime().db.reading() as session:
        rows = [{**row, "local": _local(row["at"])} for row in _audit_rows(session)]
    return render_template(
        "counter/admin_audit.html",
        rows=rows,
        actions=sorted(ACTIONS),
        action_names=ACTION_NAMES,
        page="admin_audit",
        title=gettext("Audit trail"),
    )


@bp.get("/admin/audit.csv")
@staff_page("admin")
def admin_audit_csv() -> Any:
    return audit_csv_export(_audit_rows)


@bp.route("/password", methods=["GET", "POST"])
@staff_page(password_page=True)
def change_password() -> Any:
    status = 200
    if request.method == "POST":
        new, repeat = request.form.get("password", ""), request.form.get("repeat", "")
        if new != repeat:
            flash(gettext("The two passwords differ."), "error")
            status = 422
        else:
            try:
                with runtime().db.writing() as session:
                    user = user_admin.change_own_password(session, current_user.id, new)
                    audit_staff(session, AuditAction.PASSWORD_CHANGED, f"user {user.username}")
            except DomainError as exc:
                flash(exc.message, "error")
                status = 422
            else:
                from server.auth import StaffUser, start_session

                start_session(StaffUser.of(user))  # this session goes on; the others ended
                return redirect(url_for("counter.index"))
    return render_template(
        "counter/password.html", page="password", title=gettext("Change password")
    ), status
