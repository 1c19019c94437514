"""Administration (admin role): users and the audit trail."""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from server.api import answers as a
from server.api import bp
from server.api import schemas as s
from server.api.helpers import runtime
from server.api.operations import operation
from server.audit_web import audit_csv_export, audit_staff, audit_user_changes
from server.auth import StaffUser, staff_required, start_session
from server.domain.audit import AuditAction
from server.services import audit, user_admin


@bp.get("/users")
@staff_required("admin")
@operation("The staff accounts (admin)", {200: [a.User]})
def list_users() -> Any:
    with runtime().db.reading() as session:
        return user_admin.list_users(session)


@bp.post("/users")
@staff_required("admin")
@operation("Add a staff account (admin)", {201: a.User}, body=s.NewUser)
def create_user(body: s.NewUser) -> Any:
    username = body.username
    with runtime().db.writing() as session:
        user, actions = user_admin.create_user(
            session,
            username,
            body.role,
            body.password,
            languages=body.languages or (),
            sites=body.sites or (),
            known_sites=runtime().site_ids(),
        )
        audit_user_changes(session, username, actions)
        return user_admin.view(user), 201


@bp.patch("/users/<username>")
@staff_required("admin")
@operation("Change a staff account (admin)", {200: a.User}, body=s.UserChange)
def update_user(username: str, body: s.UserChange) -> Any:
    change = user_admin.Change(
        role=body.role,
        languages=body.languages,
        sites=body.sites,
        active=body.active,
        password=body.password,
    )
    with runtime().db.writing() as session:
        user, actions = user_admin.update_user(
            session, username, change, known_sites=runtime().site_ids()
        )
        audit_user_changes(session, username, actions)
        return user_admin.view(user)


@bp.put("/session/password")
@staff_required(password_change=True)
@operation("Choose a new password for oneself", {204: None}, body=s.NewPassword)
def change_own_password(body: s.NewPassword) -> Any:
    """The logged-in user chooses a new password; other sessions of the user end."""
    password = body.password
    with runtime().db.writing() as session:
        user = user_admin.change_own_password(session, current_user.id, password)
        audit_staff(session, AuditAction.PASSWORD_CHANGED, f"user {user.username}")
        staff = StaffUser.of(user)
    start_session(staff)
    return "", 204


def audit_rows(session: Any, query: s.AuditQuery) -> list[dict[str, Any]]:
    """The audit rows the request's filters ask for, limited to the admin's sites."""
    return audit.rows(
        session,
        first=query.from_,
        last=query.to,
        actor=query.actor,
        action=query.action,
        sites=current_user.sites or None,
    )


@bp.get("/audit")
@staff_required("admin")
@operation("The audit trail (admin)", {200: a.Rows}, query=s.AuditQuery, files=("text/csv",))
def audit_trail(query: s.AuditQuery) -> Any:
    if query.format == "csv":
        return audit_csv_export(lambda session: audit_rows(session, query))
    with runtime().db.reading() as session:
        return {"rows": audit_rows(session, query)}
