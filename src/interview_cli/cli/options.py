"""Options and helpers shared by the commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from interview_cli.ui.terminal import Terminal

BanksOption = Annotated[
    list[Path] | None,
    typer.Option("--banks", metavar="DIR", help="Extra folder of banks (repeatable); also DRILL_BANKS."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON only (stable, documented in the README).")]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors and the requested output.")]


def terminal(quiet: bool = False) -> Terminal:
    return Terminal(quiet=quiet)


def command_names() -> list[str]:
    """The subcommands a mistyped first word may have meant."""
    from interview_cli.cli.app import app

    commands = [c.name for c in app.registered_commands if c.name and not c.hidden]
    return commands + [g.name for g in app.registered_groups if g.name]


def catalog(banks: list[Path] | None, term: Terminal | None = None):
    from interview_cli.banks.loader import discover

    found = discover(banks)
    if term is not None:
        for broken in found.broken:
            term.note(f"warning: skipped invalid bank {broken.problems[0].path} — see: drill banks validate")
        for shadowed in found.overridden:
            term.note(f"note: {shadowed.path} is overridden by a later bank for {shadowed.company_slug} "
                      f"{shadowed.role_slug} (see: drill banks list)")
    return found
