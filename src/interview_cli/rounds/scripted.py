"""Rounds without prompts: answers from a YAML file (--answers) or piped on stdin."""

from __future__ import annotations

from interview_cli.banks.snapshot import Bank, Question
from interview_cli.errors import ExitStatus, UsageError
from interview_cli.history.rows import SessionRow, SessionStatus
from interview_cli.rounds import session as runner
from interview_cli.rounds.context import RoundContext
from interview_cli.rounds.finish import finish_session
from interview_cli.rounds.ask import offline_reply
from interview_cli.rounds.interview import time_limit
from interview_cli.rounds.options import RoundOptions
from interview_cli.rounds.phases import PlannedPhase, plan_phases
from interview_cli.rounds.plan import planned_questions

PIPE_SEPARATOR = "---"


def run_from_answers_file(ctx: RoundContext, bank: Bank, options: RoundOptions) -> ExitStatus:
    """`--answers FILE`: every answer from a YAML file, committed, then scored."""
    answers = runner.read_answers_file(options.answers)
    round_id, questions = runner.questions_for_answers(bank, options.round_id, list(answers))
    store = ctx.store
    session_id = runner.start_session(store, bank, round_id, questions, {"source": "answers-file"})
    for position, question in enumerate(questions):
        scripted = answers[question.id]
        phases = _phases(bank, round_id, question)
        text = _phase_text(options.answers, question, phases, scripted) if scripted.phases else scripted.text
        for asked, at in scripted.asks:
            reply = offline_reply(question, asked)
            store.add_ask(session_id, position=position, question=asked, reply=reply.text,
                          source="fact" if reply.fact is not None else "fallback", at_seconds=at,
                          phase=_phase_at(phases, scripted, at))
        runner.record(store, session_id, position, runner.Answered(question, text))
        if phases:
            store.save_phases(session_id, position, _phase_rows(phases, scripted))
    store.set_status(session_id, SessionStatus.UNSCORED, finished=True)
    return finish_session(ctx.ui, store, session_id, bank, options, ctx.make_scorer)


def _phases(bank: Bank, round_id: str, question: Question) -> list[PlannedPhase]:
    rnd = bank.rounds.get(round_id)
    phases = rnd.phases_for(question) if rnd else list(question.phases or [])
    return plan_phases(phases, time_limit(question, rnd, None))


def _phase_text(path, question: Question, phases: list[PlannedPhase], scripted: runner.ScriptedAnswer) -> str:
    """The answer as one text: each phase's text in the phases' order."""
    known = [p.id for p in phases]
    for phase_id in scripted.phases:
        if phase_id not in known:
            raise UsageError(f"{path}: '{question.id}' has no phase '{phase_id}' — its phases are: "
                             f"{', '.join(known) or 'none'}")
    parts = [scripted.text.strip()] if scripted.text.strip() else []
    parts += [scripted.phases[p][0].strip() for p in known if p in scripted.phases and scripted.phases[p][0].strip()]
    return "\n\n".join(parts)


def _reached(phases: list[PlannedPhase], scripted: runner.ScriptedAnswer) -> int:
    """How many phases the scripted answer reached: up to the last one it wrote or timed."""
    given = [i for i, p in enumerate(phases) if p.id in scripted.phases]
    return given[-1] + 1 if given else 0


def _phase_rows(phases: list[PlannedPhase], scripted: runner.ScriptedAnswer) -> list[dict]:
    rows, started, reached = [], 0.0, _reached(phases, scripted)
    for i, phase in enumerate(phases):
        text, minutes = scripted.phases.get(phase.id, ("", None))
        used = (minutes * 60 if minutes is not None else phase.seconds) if i < reached else None
        rows.append({"phase": phase.id, "title": phase.title, "budget_seconds": round(phase.seconds, 1),
                     "started_seconds": round(started, 1) if used is not None else None,
                     "used_seconds": round(used, 1) if used is not None else None, "text": text.strip()})
        started += used or 0.0
    return rows


def _phase_at(phases: list[PlannedPhase], scripted: runner.ScriptedAnswer, at: float | None) -> str | None:
    """The phase a clarifying question asked `at` seconds fell in (the first phase when untimed)."""
    if not phases:
        return None
    found = phases[0].id
    for row in _phase_rows(phases, scripted) if at is not None else []:
        if row["started_seconds"] is not None and at >= row["started_seconds"]:
            found = row["phase"]
    return found


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
    store.set_status(session_id, SessionStatus.UNSCORED, finished=True)
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
    answered = {q.position for q in store.transcript(session.id).answered()}
    for position, question_id in enumerate(session.plan):
        if position in answered:
            continue
        question = runner.session_question(session, bank, question_id)
        scripted = answers.get(question_id)
        text = scripted.text if scripted else ""
        runner.record(store, session.id, position, runner.Answered(question, text, skipped=not text.strip()))
    store.set_status(session.id, SessionStatus.UNSCORED, finished=True)
    return finish_session(ctx.ui, store, session.id, bank, options, ctx.make_scorer)
