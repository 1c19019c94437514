"""Is the database usable: reachable, taking writes, with room left on its disk?

A health check that only reads says "ok" while every ticket fails on a full disk, so the
check writes one row, and on SQLite also looks at the free space of the database's disk
(SQLite reuses its WAL file, so a small write may still succeed when a ticket would not).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from server.db import Database
from server.models import HealthProbe
from server.services.clock import utcnow

# Less than this left on the SQLite file's disk counts as full: a day's tickets need more.
MIN_FREE_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Problem:
    code: str  # unreachable, unwritable, disk_full
    message: str


def first_line(exc: BaseException) -> str:
    cause = getattr(exc, "orig", None) or exc
    return (str(cause).strip().splitlines() or [type(cause).__name__])[0][:200]


def database_problem(db: Database) -> Problem | None:
    """None when the database reads and writes; else what is wrong, in one line."""
    try:
        with db.reading() as session:
            session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        return Problem("unreachable", f"the database is unreachable: {first_line(exc)}")
    path = db.engine.url.database if db.is_sqlite else None
    if path and path != ":memory:":
        stat = os.statvfs(os.path.dirname(os.path.abspath(path)))
        free = stat.f_bavail * stat.f_frsize
        if free < MIN_FREE_BYTES:
            return Problem("disk_full", f"the database's disk is full ({free} bytes left)")
    try:
        with db.writing() as session:
            session.merge(HealthProbe(id=1, at=utcnow()))
    except (SQLAlchemyError, OSError) as exc:
        return Problem("unwritable", f"the database takes no writes: {first_line(exc)}")
    return None
