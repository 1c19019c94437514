"""`anlaufstelle history import` and `anlaufstelle demo history` (see ../shared/API.md)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from server.cli_parts import command_group
from server.config import Settings, Site


def _site(settings: Settings, site_id: str | None) -> Site | None:
    site = settings.site(site_id) if site_id else settings.sites[0]
    if site is None:
        known = ", ".join(s.id for s in settings.sites)
        print(f"error: unknown site {site_id!r} (known: {known})", file=sys.stderr)
    return site


def cmd_history_import(args: argparse.Namespace) -> int:
    from server.cli import _database, _settings
    from server.domain.history import BadLine
    from server.services.history import import_csv

    settings = _settings(args.config)
    site = _site(settings, args.site)
    if site is None:
        return 1
    path = Path(args.file)
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        print(f"error: cannot read {path}: {exc.strerror}", file=sys.stderr)
        return 1
    db = _database(settings)
    try:
        with handle, db.writing() as session:
            count = import_csv(session, site, handle)
    except BadLine as exc:
        print(f"error: {path}: {exc.message}; nothing was imported", file=sys.stderr)
        return 1
    except UnicodeDecodeError:
        print(
            f"error: {path} is not a UTF-8 text (CSV) file; nothing was imported", file=sys.stderr
        )
        return 1
    finally:
        db.dispose()
    print(f"imported {count} past visits into site {site.id}")
    return 0


def cmd_demo_history(args: argparse.Namespace) -> int:
    from server.cli import _database, _settings
    from server.domain.numbering import service_day
    from server.services.clock import utcnow
    from server.services.history import add_demo_history

    settings = _settings(args.config)
    site = _site(settings, args.site)
    if site is None:
        return 1
    db = _database(settings)
    try:
        with db.writing() as session:
            today = service_day(utcnow(), site.timezone)
            count = add_demo_history(session, site, args.weeks, today, seed=args.seed)
    finally:
        db.dispose()
    if count:
        print(f"demo history: {count} visits over {args.weeks} weeks for site {site.id}")
    else:
        print(f"demo history: site {site.id} has it already")
    return 0


def add_commands(commands: argparse._SubParsersAction) -> None:
    history_commands = command_group(
        commands, "history", "past visits for statistics and forecasts"
    )
    imp = history_commands.add_parser("import", help="import past visits from a CSV file")
    imp.add_argument("file")
    imp.add_argument("--site", default=None, help="site id (default: the first site)")
    imp.set_defaults(func=cmd_history_import)

    demo_commands = command_group(commands, "demo", "demo data")
    past = demo_commands.add_parser("history", help="seeded past visits (once per site)")
    past.add_argument("--weeks", type=int, default=8, choices=range(1, 53), metavar="1..52")
    past.add_argument("--site", default=None, help="site id (default: the first site)")
    past.add_argument("--seed", type=int, default=7)
    past.set_defaults(func=cmd_demo_history)
