"""The `drill` command line: thin commands that parse options, call domain code and render."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import click
import typer
from typer.core import TyperCommand, TyperGroup

HELP = """Timed backend interview drills in your terminal, scored offline or by any LLM.

\b
Run a round:    drill COMPANY ROLE [--round ROUND]
Example:        drill netflix backend --round system-design
Round options:  drill netflix backend --help
Banks:          drill banks list

\b
Exit codes:
  0  success
  1  a run, scoring or check failed (answers are kept)
  2  usage or input error
  130  interrupted (Ctrl-C, or a round quit to resume later)
"""


class LazyCommands(Mapping):
    """Subcommand name -> click command, each converted from its typer registration (reading its signature's
    type hints) only when first looked up: converting all of them costs more than a warm `banks list` does."""

    def __init__(self, registry: typer.Typer, root: typer.Typer):
        self._commands = {info.name: info for info in registry.registered_commands}
        self._groups = {info.name: info for info in registry.registered_groups}
        self._root = root
        self._built: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        if name not in self._built:
            self._built[name] = self._convert(name)
        return self._built[name]

    def __contains__(self, name: object) -> bool:
        return name in self._commands or name in self._groups

    def __iter__(self) -> Iterator[str]:
        return iter([*self._commands, *self._groups])

    def __len__(self) -> int:
        return len(self._commands) + len(self._groups)

    def _convert(self, name: str) -> click.Command:
        settings = {"pretty_exceptions_short": self._root.pretty_exceptions_short,
                    "rich_markup_mode": self._root.rich_markup_mode}
        if name in self._commands:
            return typer.main.get_command_from_info(self._commands[name], **settings)
        if name in self._groups:
            # click already says "Did you mean 'show'?" for `banks shwo`; typer's suggestion would repeat it
            return typer.main.get_group_from_info(self._groups[name], suggest_commands=False, **settings)
        raise KeyError(name)


class DrillGroup(TyperGroup):
    """Routes `drill COMPANY ROLE ...` to the `run` command; known words stay subcommands. The subcommands
    are `subcommands`' registrations, made click commands when used."""

    default_command = "run"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.commands = LazyCommands(subcommands, app)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        from interview_cli.cli.completion import completion_request, run_completion_request

        request = completion_request(args)
        if request is not None:  # `--install-completion zsh`: for the shell named, not the one detected
            run_completion_request(*request)
            raise click.exceptions.Exit(0)
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            ctx.meta["drill.routed"] = True
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)

    def resolve_command(self, ctx: click.Context, args: list[str]):
        name, command, rest = super().resolve_command(ctx, args)
        if ctx.meta.get("drill.routed") and name == self.default_command:
            return "", command, rest  # usage then reads `drill COMPANY ROLE`, not `drill run ...`
        return name, command, rest

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)

    def shell_complete(self, ctx: click.Context, incomplete: str):
        """The first word is a subcommand or, for `drill COMPANY ROLE`, a company."""
        from click.shell_completion import CompletionItem

        from interview_cli.cli.completion import complete_company

        items = super().shell_complete(ctx, incomplete)
        if incomplete.startswith("-"):
            return items
        return items + [CompletionItem(value, help=help_text) for value, help_text in complete_company(ctx, [], incomplete)]


class RoutedCommand(TyperCommand):
    """The default command: its usage line reads `drill COMPANY ROLE`, not `drill run`."""

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(" ".join(ctx.command_path.split()), " ".join(self.collect_usage_pieces(ctx)))


app = typer.Typer(  # the root command and its options
    cls=DrillGroup,
    help=HELP,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,  # drill's own --install-completion/--show-completion [SHELL], below
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,
)


def _print_version(value: bool) -> None:
    if value:
        from interview_cli import __version__

        typer.echo(f"drill {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", "-V", callback=_print_version, is_eager=True,
                                 help="Print drill's version and exit."),
    install_completion: str = typer.Option(None, "--install-completion", metavar="[SHELL]",
                                           help="Install tab completion for bash, zsh, fish or powershell "
                                                "(default: your $SHELL)."),
    show_completion: str = typer.Option(None, "--show-completion", metavar="[SHELL]",
                                        help="Print the completion script, to install it yourself."),
) -> None:
    pass


def register_commands(group: typer.Typer) -> None:
    """Every command, named in one place (no registration by import side effect)."""
    from interview_cli.cli import banks, coding, doctor, practice, resume, round, voice

    group.command("run", hidden=True, cls=RoutedCommand)(round.run)
    group.command("score")(round.score)
    group.command("resume")(resume.resume)
    group.command("discard")(resume.discard)
    group.command("history")(practice.history)
    group.command("report")(practice.report)
    group.command("stats")(practice.stats)
    group.command("plan")(practice.plan)
    group.command("export")(practice.export)
    group.command("import")(practice.import_)
    group.command("run-tests")(coding.run_tests)
    group.command("doctor")(doctor.doctor)
    group.add_typer(banks.banks_app, name="banks")
    voice.voice_app.command("setup")(voice.setup)
    group.add_typer(voice.voice_app, name="voice")


subcommands = typer.Typer()  # every subcommand, registered below
register_commands(subcommands)
