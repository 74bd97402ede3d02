"""Options and helpers shared by the commands."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from interview_cli.cli import environment
from interview_cli.ui.terminal import Terminal

if TYPE_CHECKING:
    from interview_cli.rounds.context import RoundContext

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
    from interview_cli.cli.app import subcommands

    names = [c.name for c in subcommands.registered_commands if c.name and not c.hidden]
    return names + [g.name for g in subcommands.registered_groups if g.name]


def catalog(banks: list[Path] | None, term: Terminal | None = None):
    """Every bank, from the bank index (a bank file is parsed and validated only when it changed)."""
    from interview_cli.errors import DrillError
    from interview_cli.history.index import catalog as indexed_catalog

    try:
        with _index_store() as store:
            found = indexed_catalog(store, banks)
    except DrillError:  # no usable history database: read the bank files themselves
        from interview_cli.banks.loader import discover

        found = discover(banks)
    if term is not None:
        warn_broken_banks(term, found.broken)
        for shadowed in found.overridden:
            term.note(f"note: {shadowed.path} is overridden by a later bank for {shadowed.company_slug} "
                      f"{shadowed.role_slug} (see: drill banks list)")
    return found


def _index_store():
    """The history database the bank index lives in: created when missing, so the next command finds
    the index warm; opened read-only on a read-only or full home."""
    from interview_cli.errors import DrillError
    from interview_cli.history.db import Store

    try:
        return Store()
    except DrillError:
        return Store(read_only=True)


def warn_broken_banks(term: Terminal, broken: list) -> None:
    """One line per bank file that does not load: its first problem, and the command to see them all."""
    for bank in broken:
        term.warn(f"warning: skipped invalid bank {bank.problem} — see: drill banks validate {bank.path}")


@contextlib.contextmanager
def round_context(term: Terminal) -> Iterator[RoundContext]:
    """The store, the scorer and the terminal UI a round works with, from the run's Environment."""
    from interview_cli.history.db import Store
    from interview_cli.rounds.context import RoundContext
    from interview_cli.ui.round_ui import TerminalRoundUI

    with Store() as store:
        yield RoundContext(TerminalRoundUI(term), store, environment.current().make_scorer)
