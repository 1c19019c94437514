"""The audit trail: one writer, append-only, and the reader behind the API and the page."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from server.domain.audit import ACTIONS
from server.domain.errors import InvalidInput
from server.models import AuditEntry
from server.services.clock import utcnow

LOCAL = ZoneInfo("Europe/Berlin")
MAX_ROWS = 5000
COLUMNS = ("at", "actor", "action", "target", "ip", "site")
_INSERT = insert(AuditEntry)


def record(
    session: Session,
    actor: str | None,
    action: str,
    target: str | None,
    ip: str | None,
    *,
    site_id: str | None = None,
    now: datetime | None = None,
) -> None:
    """Append one row; the only place that writes the audit trail."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    # A plain insert, as events.append: nothing reads the row back in this transaction.
    row = {
        "at": now or utcnow(),
        "site_id": site_id,
        "actor": actor[:80] if actor else None,
        "action": action,
        "target": target[:200] if target else None,
        "ip": ip[:64] if ip else None,
    }
    session.connection().execute(_INSERT, row)


def rows(
    session: Session,
    *,
    first: date | None = None,
    last: date | None = None,
    actor: str | None = None,
    action: str | None = None,
    sites: frozenset[str] | None = None,
) -> list[dict[str, Any]]:
    """Audit rows, newest first, filtered by local days, actor and action."""
    if action is not None and action not in ACTIONS:
        raise InvalidInput(f"unknown action {action!r}; use one of {', '.join(sorted(ACTIONS))}")
    statement = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(MAX_ROWS)
    if first is not None:
        statement = statement.where(AuditEntry.at >= datetime.combine(first, time.min, LOCAL))
    if last is not None:
        end = datetime.combine(last + timedelta(days=1), time.min, LOCAL)
        statement = statement.where(AuditEntry.at < end)
    if actor:
        statement = statement.where(AuditEntry.actor == actor)
    if action:
        statement = statement.where(AuditEntry.action == action)
    if sites is not None:
        statement = statement.where(
            AuditEntry.site_id.is_(None) | AuditEntry.site_id.in_(sorted(sites))
        )
    return [
        {
            "at": entry.at.isoformat(),
            "actor": entry.actor,
            "action": entry.action,
            "target": entry.target,
            "ip": entry.ip,
            "site": entry.site_id,
        }
        for entry in session.scalars(statement)
    ]


def _cell(value: Any) -> Any:
    return "'" + value if isinstance(value, str) and value[:1] in "=+-@" else value


def to_csv(entries: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for entry in entries:
        # A cell starting with = + - @ is a formula in a spreadsheet: keep it text.
        writer.writerow({k: _cell(v) for k, v in entry.items()})
    return out.getvalue()
