"""Coding questions in a round: the bank's `code:` block as a runnable task, runs stored, failures shown."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from interview_cli.banks.snapshot import Question
from interview_cli.coding import CodeTask, Compare, RunReport, TestCase, entry_point, run_code

if TYPE_CHECKING:
    from interview_cli.history.db import Store

SHOWN_CHARS = 300  # stored and shown arguments / expected values are cut to this


def code_task(question: Question) -> CodeTask | None:
    """The question's tests ready to run (visible first, then hidden); None for a prose question."""
    code = question.code
    if code is None:
        return None
    entry = entry_point(code.signature)
    if entry is None:
        return None
    tests = tuple(TestCase(t.args, t.expected, hidden) for t, hidden in code.all_tests())
    return CodeTask(entry, tests, Compare(code.compare), code.time_limit_s, code.language)


def run_visible(question: Question, source: str) -> RunReport:
    """What /run does: the visible tests only."""
    return run_code(code_task(question).visible, source)


def run_all(question: Question, source: str) -> RunReport:
    """What a submission gets: every test, hidden ones included."""
    return run_code(code_task(question), source)


def check_reference(question: Question) -> RunReport | None:
    """The bank's reference_solution against all its tests; None when there is none to run."""
    if question.code is None or not question.reference_solution:
        return None
    return run_all(question, question.reference_solution)


def own_text(answer: str, starter: str) -> str:
    """A coding answer without the starter's lines (its docstring would cover rubric points for free).

    The starter's first line, the signature, stays so the code still reads as code."""
    given = {line.strip() for line in starter.splitlines()[1:] if line.strip()}
    return "\n".join(line for line in answer.splitlines() if line.strip() not in given)


def shorten(text: str, limit: int = SHOWN_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def result_rows(question: Question, report: RunReport) -> list[dict]:
    """One row per test, as stored (Store.save_test_results) and shown in --json."""
    task = code_task(question)
    return [
        {
            "test_index": o.index,
            "hidden": o.hidden,
            "status": o.status.value,
            "seconds": round(o.seconds, 6),
            "args": shorten(json.dumps(task.tests[o.index].args)),
            "expected": shorten(json.dumps(task.tests[o.index].expected)),
            "got": o.got,
            "error": o.error,
        }
        for o in report.outcomes
    ]


def run_and_store(store: Store, session_id: str, position: int, question: Question, source: str) -> RunReport:
    """Every test on a submitted answer, stored before anything is shown."""
    report = run_all(question, source)
    store.save_test_results(session_id, position, question.id, result_rows(question, report), report.isolated)
    return report
