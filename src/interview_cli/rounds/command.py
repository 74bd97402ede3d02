"""What `drill COMPANY ROLE` does: pick the input path, record answers, score, render."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

from interview_cli.rounds import session as runner
from interview_cli.banks.model import Bank
from interview_cli.banks.loader import Catalog
from interview_cli.errors import EXIT_FAILED, EXIT_OK, ScoringError, UsageError, closest
from interview_cli.history.db import Store
from interview_cli.ui.terminal import Terminal

PIPE_SEPARATOR = "---"


@dataclass
class RoundOptions:
    round_id: str | None = None
    answers: Path | None = None
    count: int | None = None
    minutes: float | None = None
    seed: int | None = None
    follow_ups: bool = True
    due: bool = False
    model: str | None = None
    api_base: str | None = None
    concurrency: int = 4
    samples: int = 1
    json_out: bool = False


def missing_role(company: str, commands: list[str]) -> None:
    """`drill histroy` lands here as a company with no role: suggest the command instead."""
    guess = closest(company, commands)
    if guess:
        raise UsageError(f"unknown command '{company}' — did you mean 'drill {guess}'? (see: drill --help)")
    raise UsageError(f"missing ROLE — usage: drill {company} ROLE [--round ROUND] (see: drill banks list)")


def run_round(term: Terminal, bank: Bank, options: RoundOptions) -> int:
    if options.round_id:
        runner.resolve_round(bank, options.round_id)
    if options.answers is not None:
        return _run_from_answers_file(term, bank, options)
    if term.interactive:
        from interview_cli.rounds.interview import run_interactive

        return run_interactive(term, bank, options)
    if not term.stdin_is_tty:
        chunks = split_piped_answers(term.read_all_stdin())
        if any(chunks):
            return _run_from_pipe(term, bank, options, chunks)
    raise UsageError("no terminal to ask questions in — pass --answers FILE (YAML: question id -> answer), "
                     "or pipe answers on stdin separated by lines of '---'")


def _run_from_answers_file(term: Terminal, bank: Bank, options: RoundOptions) -> int:
    answers = runner.read_answers_file(options.answers)
    round_id, questions = runner.questions_for_answers(bank, options.round_id, list(answers))
    with Store() as store:
        session_id = runner.start_session(store, bank, round_id, questions, {"source": "answers-file"})
        for position, question in enumerate(questions):
            runner.record(store, session_id, position, runner.Answered(question, answers[question.id]))
        store.set_status(session_id, "unscored", finished=True)
        return finish_session(term, store, session_id, bank, options)


def split_piped_answers(text: str) -> list[str]:
    chunks, current = [], []
    for line in text.splitlines():
        if line.strip() == PIPE_SEPARATOR:
            chunks.append("\n".join(current).strip())
            current = []
        else:
            current.append(line)
    chunks.append("\n".join(current).strip())
    while chunks and not chunks[-1]:
        chunks.pop()
    return chunks


def planned_questions(store: Store, bank: Bank, options: RoundOptions, count: int | None = None):
    """The round id and questions for a run, honouring --round, --count, --seed and --due."""
    if options.due:
        from interview_cli.history.scheduling import due_round

        return due_round(store, bank, options.round_id, count or options.count or 3)
    if not options.round_id:
        raise UsageError(f"--round is required here — choose one of: {', '.join(bank.rounds)}")
    rnd = runner.resolve_round(bank, options.round_id)
    seen = store.last_asked(bank.company_slug, bank.role_slug)
    return options.round_id, runner.choose_questions(rnd, count or options.count, options.seed, seen)


def _run_from_pipe(term: Terminal, bank: Bank, options: RoundOptions, chunks: list[str]) -> int:
    with Store() as store:
        round_id, questions = planned_questions(store, bank, options, count=options.count or len(chunks))
        if len(chunks) > len(questions):
            raise UsageError(f"got {len(chunks)} answers on stdin but the round asks {len(questions)} question(s) — "
                             f"separate answers with a line '---' and pass --count")
        session_id = runner.start_session(store, bank, round_id, questions, {"source": "stdin"})
        for position, question in enumerate(questions):
            text = chunks[position] if position < len(chunks) else ""
            runner.record(store, session_id, position, runner.Answered(question, text, skipped=not text))
        store.set_status(session_id, "unscored", finished=True)
        return finish_session(term, store, session_id, bank, options)


def rescore(term: Terminal, session_id: str, catalog: Catalog, options: RoundOptions) -> int:
    with Store() as store:
        session = store.session(session_id)
        answered = {row["position"] for row in store.answers(session.id) if row["kind"] == "main"}
        if session.status in ("in_progress", "unfinished") and len(answered) < len(session.plan):
            raise UsageError(f"session {session.id} is unfinished ({len(answered)} of {len(session.plan)} answered) "
                             f"— finish it first with: drill resume {session.id}")
        bank = runner.bank_for_session(session, catalog)
        return finish_session(term, store, session.id, bank, options)


def finish_session(term: Terminal, store: Store, session_id: str, bank: Bank, options: RoundOptions) -> int:
    """Score a saved session, render or print it, and return the exit code."""
    from interview_cli.history import report as reports

    try:
        with _scoring_progress(term, options) as progress:
            runner.score_session(store, session_id, bank, _make_scorer(options, progress))
        code = EXIT_OK
    except ScoringError as exc:
        term.error(str(exc))
        code = EXIT_FAILED
    result = reports.session_result(store, session_id)
    if options.json_out:
        term.json(result)
    else:
        from interview_cli.ui.views.result import render_result

        render_result(term, result)
        term.show(f"Saved as session {result['session_id']}. Re-score with: drill score {result['session_id']}"
                  f" [--model MODEL]", markup=False, style="dim")
    if code == EXIT_OK:
        from interview_cli.history.scheduling import record_reviews

        record_reviews(store, session_id, bank)  # replaces this session's reviews on a re-score
    return code


def _make_scorer(options: RoundOptions, progress):
    from interview_cli.scoring.select import choose_scorer

    return choose_scorer(options.model, options.api_base, concurrency=options.concurrency,
                         samples=options.samples, progress=progress)


@contextlib.contextmanager
def _scoring_progress(term: Terminal, options: RoundOptions):
    """A spinner and a bar of answers scored, on a terminal; nothing for scripts and --json."""
    if not term.interactive or term.quiet or options.json_out:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

    columns = (SpinnerColumn(), TextColumn("Scoring your answers"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=term.out, transient=True) as bar:
        task = bar.add_task("scoring", total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)
