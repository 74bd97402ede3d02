"""Rounds without prompts: answers from a YAML file (--answers) or piped on stdin."""

from __future__ import annotations

from interview_cli.banks.model import Bank
from interview_cli.errors import ExitStatus, UsageError
from interview_cli.history.db import SessionRow
from interview_cli.rounds import session as runner
from interview_cli.rounds.context import RoundContext
from interview_cli.rounds.finish import finish_session
from interview_cli.rounds.options import RoundOptions
from interview_cli.rounds.plan import planned_questions

PIPE_SEPARATOR = "---"


def run_from_answers_file(ctx: RoundContext, bank: Bank, options: RoundOptions) -> ExitStatus:
    """`--answers FILE`: every answer from a YAML file, committed, then scored."""
    answers = runner.read_answers_file(options.answers)
    round_id, questions = runner.questions_for_answers(bank, options.round_id, list(answers))
    store = ctx.store
    session_id = runner.start_session(store, bank, round_id, questions, {"source": "answers-file"})
    for position, question in enumerate(questions):
        runner.record(store, session_id, position, runner.Answered(question, answers[question.id]))
    store.set_status(session_id, "unscored", finished=True)
    return finish_session(ctx.ui, store, session_id, bank, options, ctx.make_scorer)


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


def run_from_pipe(ctx: RoundContext, bank: Bank, options: RoundOptions, chunks: list[str]) -> ExitStatus:
    """Answers piped on stdin, separated by lines of '---'."""
    for number, chunk in enumerate(chunks, 1):
        if len(chunk) > runner.MAX_ANSWER_CHARS:
            raise UsageError(f"stdin: answer {number} is {len(chunk):,} characters; the limit is "
                             f"{runner.MAX_ANSWER_CHARS:,} — shorten it")
    store = ctx.store
    round_id, questions = planned_questions(store, bank, options, count=options.count or len(chunks))
    if len(chunks) > len(questions):
        raise UsageError(f"got {len(chunks)} answers on stdin but the round asks {len(questions)} question(s) — "
                         f"separate answers with a line '---' and pass --count")
    session_id = runner.start_session(store, bank, round_id, questions, {"source": "stdin"})
    for position, question in enumerate(questions):
        text = chunks[position] if position < len(chunks) else ""
        runner.record(store, session_id, position, runner.Answered(question, text, skipped=not text))
    store.set_status(session_id, "unscored", finished=True)
    return finish_session(ctx.ui, store, session_id, bank, options, ctx.make_scorer)


def finish_from_answers_file(ctx: RoundContext, session: SessionRow, bank: Bank, options: RoundOptions) -> ExitStatus:
    """`drill resume ID --answers FILE`: the session's unanswered questions from the file, then scored.

    Questions already answered keep their answer (the file that started the run can finish it);
    a planned question the file does not answer is recorded as skipped."""
    answers = runner.read_answers_file(options.answers)
    planned = set(session.plan)
    stray = [qid for qid in answers if qid not in planned]
    if stray:
        raise UsageError(f"{options.answers}: '{stray[0]}' is not a question of session {session.id} "
                         f"(it asks: {', '.join(session.plan)})")
    store = ctx.store
    answered = {row["position"] for row in store.answers(session.id) if row["kind"] == "main"}
    for position, question_id in enumerate(session.plan):
        if position in answered:
            continue
        question = runner.session_question(session, bank, question_id)
        text = answers.get(question_id, "")
        runner.record(store, session.id, position, runner.Answered(question, text, skipped=not text.strip()))
    store.set_status(session.id, "unscored", finished=True)
    return finish_session(ctx.ui, store, session.id, bank, options, ctx.make_scorer)
