"""The `drill` command line: thin commands that parse options, call domain code and render."""

from __future__ import annotations

import click
import typer
from typer.core import TyperGroup

HELP = """Timed backend interview drills in your terminal, scored offline or by any LLM.

Run a round:  drill netflix backend --round system-design
Round options: drill netflix backend --help

Exit codes: 0 success; 1 a run, scoring or check failed (answers are kept); 2 usage or input error.
"""


class DrillGroup(TyperGroup):
    """Routes `drill COMPANY ROLE ...` to the `run` command; known words stay subcommands."""

    default_command = "run"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)


app = typer.Typer(
    cls=DrillGroup,
    help=HELP,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,
)

from . import banks as _banks  # noqa: E402  (commands register themselves on import)
from . import practice as _practice  # noqa: E402,F401
from . import run as _run  # noqa: E402,F401
from . import session_commands as _session_commands  # noqa: E402,F401

app.add_typer(_banks.banks_app, name="banks")
