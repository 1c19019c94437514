"""Administration (admin role): users and the audit trail."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_login import current_user

from server.api import bp
from server.api.helpers import date_arg, field, json_body, runtime
from server.audit_web import audit_csv_export, audit_staff, audit_user_changes
from server.auth import StaffUser, staff_required, start_session
from server.domain.audit import AuditAction
from server.domain.errors import InvalidInput
from server.services import audit, user_admin


def _string_list(data: dict[str, Any], name: str) -> list[str] | None:
    value = data.get(name)
    if value is None:
        return None
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",") if part.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidInput(f"field {name!r} must be a list of strings")
    return value


@bp.get("/users")
@staff_required("admin")
def list_users() -> Any:
    with runtime().db.reading() as session:
        return user_admin.list_users(session)


@bp.post("/users")
@staff_required("admin")
def create_user() -> Any:
    data = json_body()
    username = field(data, "username")
    with runtime().db.writing() as session:
        user, actions = user_admin.create_user(
            session,
            username,
            field(data, "role"),
            field(data, "password"),
            languages=_string_list(data, "languages") or (),
            sites=_string_list(data, "sites") or (),
            known_sites=runtime().site_ids(),
        )
        audit_user_changes(session, username, actions)
        return user_admin.view(user), 201


@bp.patch("/users/<username>")
@staff_required("admin")
def update_user(username: str) -> Any:
    data = json_body()
    change = user_admin.Change(
        role=field(data, "role", required=False),
        languages=_string_list(data, "languages"),
        sites=_string_list(data, "sites"),
        active=field(data, "active", bool, required=False),
        password=field(data, "password", required=False),
    )
    with runtime().db.writing() as session:
        user, actions = user_admin.update_user(
            session, username, change, known_sites=runtime().site_ids()
        )
        audit_user_changes(session, username, actions)
        return user_admin.view(user)


@bp.put("/session/password")
@staff_required(password_change=True)
def change_own_password() -> Any:
    """The logged-in user chooses a new password; other sessions of the user end."""
    password = field(json_body(), "password")
    with runtime().db.writing() as session:
        user = user_admin.change_own_password(session, current_user.id, password)
        audit_staff(session, AuditAction.PASSWORD_CHANGED, f"user {user.username}")
        staff = StaffUser.of(user)
    start_session(staff)
    return "", 204


def audit_rows(session: Any) -> list[dict[str, Any]]:
    """The audit rows the request's filters ask for, limited to the admin's sites."""
    return audit.rows(
        session,
        first=date_arg("from"),
        last=date_arg("to"),
        actor=request.args.get("actor") or None,
        action=request.args.get("action") or None,
        sites=current_user.sites or None,
    )


@bp.get("/audit")
@staff_required("admin")
def audit_trail() -> Any:
    if request.args.get("format") == "csv":
        return audit_csv_export(audit_rows)
    with runtime().db.reading() as session:
        return {"rows": audit_rows(session)}
