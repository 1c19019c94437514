"""What the command-line modules share: how a group of subcommands is made."""

from __future__ import annotations

import argparse


def command_group(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], name: str, help: str
) -> argparse._SubParsersAction[argparse.ArgumentParser]:
    """Add `anlaufstelle NAME …`, a command that only groups subcommands, and return its list."""
    group = commands.add_parser(name, help=help)
    return group.add_subparsers(dest=f"{name}_command", required=True)
