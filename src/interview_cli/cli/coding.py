"""`drill run-tests`: a solution file against a question's tests, for people who write code in their own editor."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from interview_cli.cli.options import BanksOption, JsonOption, catalog, terminal
from interview_cli.errors import ExitStatus, UsageError, unknown_choice


def run_tests(
    file: Annotated[Path, typer.Argument(metavar="FILE.py", help="Python file with the solution.")],
    question_id: Annotated[str, typer.Option("--question", "-q", metavar="ID", help="Question id, e.g. "
                                             "merge-viewing-intervals (see: drill banks show).")],
    hidden: Annotated[bool, typer.Option("--hidden", help="Also run the hidden tests, as a submission does.")] = False,
    banks: BanksOption = None,
    json_out: JsonOption = False,
) -> None:
    """Run a solution file against a coding question's tests.

    The tests run in the same sandbox as the round.

    Shows each visible test as ✓ or ✗ with expected and got, as /run does in the editor;
    --hidden adds the hidden tests, as a submission does, and shows their inputs too.

    \b
    Example: drill run-tests merge.py --question merge-viewing-intervals

    \b
    Exit codes: 0 every test passed; 1 a test failed; 2 no such file or question, or not a coding question.
    """
    from interview_cli.rounds import coding

    term = terminal()
    question = _coding_question(question_id, banks, term)
    try:
        source = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {file}: {getattr(exc, 'strerror', None) or exc} — pass a UTF-8 Python file") from None
    report = coding.run_all(question, source) if hidden else coding.run_visible(question, source)
    if json_out:
        term.json({"question": question.id, "passed": report.passed, "total": report.total,
                   "hidden_failed": report.hidden_failed, "isolated": report.isolated,
                   "results": coding.result_rows(question, report)})
    else:
        _show(term, question, report)
    if not report.all_passed:
        raise typer.Exit(ExitStatus.FAILED)


def _coding_question(question_id: str, banks, term):
    found = catalog(banks, term)
    ids = []
    for bank in found.banks:
        hit = bank.find_question(question_id)
        if hit is not None:
            if hit[1].code is None:
                raise UsageError(f"question '{question_id}' has no tests: it is answered in prose, not code — "
                                 f"see: drill banks show {bank.company_slug} {bank.role_slug}")
            return hit[1]
        ids += [q.id for _, q in bank.questions() if q.code is not None]
    raise unknown_choice("coding question", question_id, ids, "drill banks show COMPANY ROLE")


def _show(term, question, report) -> None:
    from rich.text import Text

    from interview_cli.ui.views.code_results import test_result_lines

    shown = [t for t, _ in question.code.all_tests()] if report.total > len(question.code.tests) else question.code.tests
    visible = [(_json(t.args), _json(t.expected)) for t in shown]
    styles = {"class:toolbar.pass": "green", "class:toolbar.fail": "red", "class:toolbar.note": "dim"}
    width = term.out.width
    for style, line in test_result_lines(report, visible, width):
        term.result(Text(line.rstrip(), style=styles.get(style, "")))
    if not report.isolated:
        term.note("note: ran without network and file isolation (bubblewrap unavailable)")


def _json(value) -> str:
    import json

    return json.dumps(value)
