"""`drill banks ...`: list, show, validate and create question banks."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from interview_cli.cli.completion import complete_company, complete_role
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
        term.result(bank_views.banks_table(found.banks, term.out.width))


@banks_app.command("show")
def show_bank(
    company: Annotated[str, typer.Argument(help="Company name or slug, e.g. netflix.", autocompletion=complete_company)],
    role: Annotated[str, typer.Argument(help="Role name, slug or alias, e.g. backend.", autocompletion=complete_role)],
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
    run_tests: Annotated[bool, typer.Option("--run-tests", help="Also run each reference_solution against all "
                                            "its question's tests, hidden ones included.")] = False,
) -> None:
    """Check banks against format v1.1; list every problem as file:line: message.

    PATHS are bank files or folders of them; with none, every bank drill can find.
    With --run-tests, each coding question's reference_solution runs against all its
    tests in the sandbox, so a bank author knows the tests are right.

    \b
    Example: drill banks validate ~/my-banks/acme/backend.yaml --run-tests

    \b
    Exit codes: 0 all valid; 1 a bank is invalid or a reference solution fails; 2 a path does not exist.
    """
    from interview_cli.banks.loader import validate_paths
    from interview_cli.sanitize import clean

    term = terminal()
    checked, problems = validate_paths(paths, banks)
    for problem in problems:
        term.result(clean(str(problem), one_line=True), markup=False, highlight=False, soft_wrap=True)
    bad_files = len({p.path for p in problems})
    summary = f"{checked} bank file(s) checked, {bad_files} invalid, {len(problems)} problem(s)"
    failed = 0
    if run_tests:
        failed, ran, tests = _run_reference_solutions(term, paths, banks, {p.path for p in problems})
        summary += f"; {ran} reference solution(s) run against {tests} test(s), {failed} failing"
    term.note(summary)
    if problems or failed:
        raise typer.Exit(ExitStatus.FAILED)


def _run_reference_solutions(term, paths: list[Path] | None, banks: list[Path] | None,
                             broken: set[str]) -> tuple[int, int, int]:
    """(failing, run, tests run) over the valid bank files; prints file:line for each failure."""
    from interview_cli.banks.loader import bank_files, bank_sources, load_bank, question_key_lines
    from interview_cli.rounds.coding import check_reference
    from interview_cli.ui.views.scores import failing_tests

    targets = paths or [folder for _, folder in bank_sources(banks)]
    failing = ran = tests = 0
    for path in [f for t in targets for f in bank_files(t)]:
        if str(path) in broken:
            continue
        bank = load_bank(path)
        lines = _Lazy(lambda path=path: question_key_lines(path, "reference_solution"))
        for _, question in bank.questions():
            if question.code is not None and not question.reference_solution:
                term.note(f"{path}:{lines[question.id]}: question '{question.id}' has no reference_solution; "
                          "its tests were not checked")
            report = check_reference(question)
            if report is None:
                continue
            ran, tests = ran + 1, tests + report.total
            if report.all_passed:
                continue
            failing += 1
            term.result(f"{path}:{lines[question.id]}: reference_solution of '{question.id}' {report.summary()}",
                        markup=False, highlight=False, soft_wrap=True)
            for line in failing_tests(_summary(question, report)):
                term.result(f"  {line}", markup=False, highlight=False, soft_wrap=True)
    return failing, ran, tests


class _Lazy(dict):
    """question id -> line, parsed from the file only when a line is first needed."""

    def __init__(self, load):
        super().__init__()
        self._load = load

    def __missing__(self, key):
        self.update(self._load())
        return dict.get(self, key, 1)


def _summary(question, report) -> dict:
    from interview_cli.rounds.coding import result_rows

    rows = result_rows(question, report)
    return {"results": [dict(r, index=r["test_index"]) for r in rows]}


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
