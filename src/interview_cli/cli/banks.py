"""`drill banks ...`: list, show, validate and create question banks."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from interview_cli.cli.options import BanksOption, JsonOption, catalog, terminal
from interview_cli.errors import ExitStatus

banks_app = typer.Typer(
    help="List, show, validate and create question banks.\n\nExample: drill banks show netflix backend",
    no_args_is_help=True,
)


@banks_app.command("list")
def list_banks(banks: BanksOption = None, json_out: JsonOption = False) -> None:
    """List every bank drill can find, and where each comes from.

    Example: drill banks list --json
    """
    from interview_cli.ui.views import banks as bank_views

    term = terminal()
    found = catalog(banks, term)
    if json_out:
        term.json([bank_views.bank_summary(b) for b in found.banks])
    else:
        term.result(bank_views.banks_table(found.banks))


@banks_app.command("show")
def show_bank(
    company: Annotated[str, typer.Argument(help="Company name or slug, e.g. netflix.")],
    role: Annotated[str, typer.Argument(help="Role name, slug or alias, e.g. backend.")],
    banks: BanksOption = None,
    json_out: JsonOption = False,
) -> None:
    """Show a bank's about text and each round's questions.

    COMPANY and ROLE take a name, slug or alias, as in drill banks list.

    Example: drill banks show netflix backend
    """
    from interview_cli.ui.views import banks as bank_views

    term = terminal()
    bank = catalog(banks, term).find(company, role)
    if json_out:
        term.json(bank_views.bank_detail(bank))
    else:
        bank_views.render_bank(term, bank)


@banks_app.command("validate")
def validate_banks(
    paths: Annotated[list[Path] | None, typer.Argument(help="Bank files or folders; default: every discovered bank.")] = None,
    banks: BanksOption = None,
) -> None:
    """Check banks against format v1; list every problem as file:line: message.

    PATHS are bank files or folders of them; with none, every bank drill can find.

    \b
    Example: drill banks validate ~/my-banks/acme/backend.yaml

    \b
    Exit codes: 0 all valid; 1 a bank is invalid; 2 a path does not exist.
    """
    from interview_cli.banks.loader import validate_paths
    from interview_cli.sanitize import clean

    term = terminal()
    checked, problems = validate_paths(paths, banks)
    for problem in problems:
        term.result(clean(str(problem), one_line=True), markup=False, highlight=False, soft_wrap=True)
    bad_files = len({p.path for p in problems})
    summary = f"{checked} bank file(s) checked, {bad_files} invalid, {len(problems)} problem(s)"
    term.note(summary)
    if problems:
        raise typer.Exit(ExitStatus.FAILED)


@banks_app.command("new")
def new_bank(
    company: Annotated[str, typer.Argument(help="Company name, e.g. 'Acme Corp'.")],
    role: Annotated[str, typer.Argument(help="Role name, e.g. 'Backend Engineer'.")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented skeleton bank into your user bank folder, ready to fill in.

    The file lands at $DRILL_HOME/banks/<company>/<role>.yaml and validates as written.

    Example: drill banks new "Acme Corp" "Backend Engineer"
    """
    from interview_cli.banks.skeleton import write_skeleton

    term = terminal()
    path = write_skeleton(company, role, force=force)
    term.result(f"wrote {path}", markup=False)
    term.note("edit it, then check it with: drill banks validate " + str(path))
