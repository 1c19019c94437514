"""The `anlaufstelle` command line (see ../shared/API.md)."""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
from pathlib import Path

from server.cli_history import add_commands as add_history_commands
from server.cli_parts import command_group
from server.config import LANGUAGES, ConfigError, Settings, load_settings


def _settings(path: str | None) -> Settings:
    try:
        return load_settings(path)
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        raise SystemExit(1) from None


def _database(settings: Settings):
    from server.db import Database, make_engine

    return Database(
        make_engine(
            settings.server.database_url, sqlite_synchronous=settings.server.sqlite_synchronous
        )
    )


def _usable_database(settings: Settings) -> None:
    """Migrate, then prove the database takes writes; else one clear line and exit 1."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    from server.health import database_problem, first_line
    from server.migrate import upgrade

    url = settings.server.database_url
    shown = url.split("@")[-1] if "@" in url else url  # never print a password
    path = make_url(url).database if url.startswith("sqlite") else None
    if path and os.path.exists(path) and not os.access(path, os.W_OK):
        print(f"anlaufstelle: cannot use the database {shown}: it is read-only", file=sys.stderr)
        raise SystemExit(1)
    try:
        db = _database(settings)
        upgrade(db.engine)
        problem = database_problem(db)
        db.dispose()
    except (SQLAlchemyError, OSError) as exc:
        print(f"anlaufstelle: cannot use the database {shown}: {first_line(exc)}", file=sys.stderr)
        raise SystemExit(1) from None
    if problem is not None:
        print(f"anlaufstelle: cannot use the database {shown}: {problem.message}", file=sys.stderr)
        raise SystemExit(1)


def cmd_check_config(args: argparse.Namespace) -> int:
    settings = _settings(args.path or args.config)
    sites = ", ".join(
        f"{s.id} ({len(s.concerns)} concerns, {len(s.queues)} queues, {len(s.counters)} counters)"
        for s in settings.sites
    )
    print(f"configuration ok: {sites}")
    return 0


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from server.migrate import upgrade

    settings = _settings(args.config)
    db = _database(settings)
    upgrade(db.engine)
    print("database is up to date")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from server.app import create_app
    from server.jobs import start_daily_jobs
    from server.serving import serve

    if args.config:
        os.environ["ANLAUFSTELLE_CONFIG"] = args.config
    settings = _settings(args.config)
    _usable_database(settings)
    app = create_app(settings)
    print(
        f"Anlaufstelle serving {', '.join(s.name for s in settings.sites)} "
        f"on http://{args.host}:{args.port}",
        flush=True,
    )
    serve(
        app,
        args.host,
        args.port,
        args.connections or settings.server.connections,
        on_worker_start=lambda: start_daily_jobs(app),
    )
    return 0


def cmd_user_add(args: argparse.Namespace) -> int:
    from server.domain.errors import DomainError
    from server.services.users import add_user

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass(f"password for {args.name}: ")
    db = _database(_settings(args.config))
    try:
        with db.writing() as session:
            add_user(session, args.name, password, args.role, languages=args.languages)
    except DomainError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 1
    spoken = f", languages {args.languages}" if args.languages else ""
    print(f"user {args.name} ({args.role}{spoken}) saved")
    return 0


DEMO_USERS = (
    ("empfang", "reception"),
    ("schalter", "clerk"),
    ("leitung", "supervisor"),
    ("admin", "admin"),
)
DEMO_PASSWORD = "demo-passwort"


def cmd_demo_users(args: argparse.Namespace) -> int:
    """Create the demo site's staff users, only if there are none yet."""
    from sqlalchemy import func, select

    from server.models import User
    from server.services.users import add_user

    db = _database(_settings(args.config))
    with db.writing() as session:
        if session.scalar(select(func.count()).select_from(User)):
            return 0
        for name, role in DEMO_USERS:
            add_user(session, name, DEMO_PASSWORD, role, check_password=False)
    users = ", ".join(f"{n} ({r})" for n, r in DEMO_USERS)
    print(f"demo users created (password {DEMO_PASSWORD!r}): {users}")
    return 0


def cmd_printer_test(args: argparse.Namespace) -> int:
    from server.printing import print_sample

    settings = _settings(args.config)
    try:
        print_sample(settings, args.uri, args.language)
    except Exception as exc:  # noqa: BLE001  every failure becomes one clear line and exit 1
        print(f"printer test failed: {exc}", file=sys.stderr)
        return 1
    print(f"sample ticket sent to {args.uri}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="anlaufstelle", description=__doc__)
    parser.add_argument("--config", help="path of config.toml (default $ANLAUFSTELLE_CONFIG)")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the server (HTTP + Socket.IO)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=5000)
    serve.add_argument("--config", dest="config", default=argparse.SUPPRESS)
    serve.add_argument("--connections", type=int, default=None)
    serve.set_defaults(func=cmd_serve)

    db_commands = command_group(commands, "db", "database schema")
    db_commands.add_parser("upgrade", help="apply migrations").set_defaults(func=cmd_db_upgrade)

    check = commands.add_parser("check-config", help="validate a configuration file")
    check.add_argument("path", nargs="?")
    check.set_defaults(func=cmd_check_config)

    user_commands = command_group(commands, "user", "staff users")
    add = user_commands.add_parser("add", help="add a user or reset a password")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=["reception", "clerk", "supervisor", "admin"])
    add.add_argument("--languages", help="languages the user serves in, ISO 639 codes: de,ar,ckb")
    add.add_argument("--password-stdin", action="store_true")
    add.set_defaults(func=cmd_user_add)

    printer_commands = command_group(commands, "printer", "printers")
    test = printer_commands.add_parser("test", help="print a sample ticket")
    test.add_argument("uri")
    test.add_argument("--language", default="de", choices=LANGUAGES)
    test.set_defaults(func=cmd_printer_test)

    from server.cli_admin import add_commands

    add_commands(commands, _settings, _database)

    commands.add_parser("demo-users", help="create demo staff users if none exist").set_defaults(
        func=cmd_demo_users
    )
    add_history_commands(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.func is cmd_serve:
        from server.green import patch

        patch()  # before Flask, SQLAlchemy, redis or psycopg are imported
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # Alembic announces each of its plugins at INFO on every start: noise, not news.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    if getattr(args, "config", None):
        args.config = str(Path(args.config))
    return int(args.func(args) or 0)


if __name__ == "__main__":
    raise SystemExit(main())
