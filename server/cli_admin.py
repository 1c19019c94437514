"""Command-line administration: retention runs and backups (see ../shared/API.md)."""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from pathlib import Path

from sqlalchemy.engine import make_url

from server.cli_parts import command_group
from server.config import Settings


def parse_as_of(value: str) -> datetime:
    """--as-of: a date (its start, UTC) or a full ISO 8601 moment."""
    try:
        if len(value) == 10:
            return datetime.combine(date.fromisoformat(value), time.min, UTC)
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date like 2026-12-31: {value!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def cmd_retention_run(args: argparse.Namespace, settings: Settings, database: Callable) -> int:
    from server.services import retention

    db = database(settings)
    with db.writing() as session:
        report = retention.run(session, settings, args.as_of, dry_run=args.dry_run, actor="cli")
    print("\n".join(report.lines()))
    return 0


def sqlite_backup(source: str, target: Path) -> None:
    """A consistent copy of a live SQLite database via its online backup API."""
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    os.replace(partial, target)  # a half-written copy never carries the final name


def cmd_backup(args: argparse.Namespace, settings: Settings) -> int:
    url = make_url(settings.server.database_url)
    target = Path(args.path)
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            print("backup: the database is in memory; nothing to copy", file=sys.stderr)
            return 1
        if target.exists() and not args.force:
            print(f"backup: {target} exists; give another path or --force", file=sys.stderr)
            return 1
        try:
            sqlite_backup(url.database, target)
        except (sqlite3.Error, OSError) as exc:
            print(f"backup failed: {exc}", file=sys.stderr)
            return 1
        print(f"backup written to {target}")
        return 0
    # PostgreSQL has its own consistent online dump; we name it instead of imitating it.
    plain = url.set(drivername=url.get_backend_name())
    dsn = plain.render_as_string(hide_password=True)
    print(
        "backup: this installation uses PostgreSQL; make the copy with pg_dump:\n"
        f"  pg_dump --format=custom --file={target} '{dsn}'\n"
        "(no copy was made, so the exit status is 1)",
        file=sys.stderr,
    )
    return 1


def add_commands(commands: argparse._SubParsersAction, settings: Callable, database: Callable):
    """Register `retention run` and `backup` on the main parser."""
    retention_commands = command_group(commands, "retention", "retention periods (privacy)")
    run = retention_commands.add_parser("run", help="pseudonymise and delete what is due")
    run.add_argument("--as-of", type=parse_as_of, default=None, help="act as if it were DATE")
    run.add_argument("--dry-run", action="store_true", help="only print what would change")
    run.set_defaults(func=lambda a: cmd_retention_run(a, settings(a.config), database))

    backup = commands.add_parser("backup", help="a consistent copy of the database")
    backup.add_argument("path")
    backup.add_argument("--force", action="store_true", help="overwrite an existing file")
    backup.set_defaults(func=lambda a: cmd_backup(a, settings(a.config)))
