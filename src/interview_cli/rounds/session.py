"""The round runner's domain: choosing questions, recording answers, scoring sessions.

The interactive UI (interview.py) and the scripted paths (--answers, piped stdin)
both go through these functions, so every answer is committed the moment it exists.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from interview_cli.banks.snapshot import Bank, Catalog, Question, Round
from interview_cli.errors import DrillError, ScoringError, UsageError, unknown_choice
from interview_cli.history.db import Store
from interview_cli.history.rows import AnswerKind, SessionRow, SessionStatus, Transcript
from interview_cli.scoring.base import AnswerScore, Ask, Exchange, FollowUp, Scorer, with_tests
from interview_cli.scoring.select import OFFLINE

if TYPE_CHECKING:
    from interview_cli.coding import RunReport


MAX_ANSWER_CHARS = 100_000  # about 15,000 words: far more than any interview answer


@dataclass
class Answered:
    """One submitted answer as the runner hands it to storage."""

    question: Question
    answer: str
    follow_ups: tuple[FollowUp, ...] = ()
    skipped: bool = False
    delivery: dict | None = None  # a spoken answer's delivery figures (history.rows.DeliveryRow.FIELDS)


def choose_questions(rnd: Round, count: int | None, seed: int | None, seen: dict[str, str]) -> list[Question]:
    """`count` questions: a seeded shuffle, or the least recently seen first (never-seen before all)."""
    count = count or rnd.default_count()
    questions = list(rnd.questions)
    if seed is not None:
        return random.Random(seed).sample(questions, min(count, len(questions)))
    shuffle = random.Random()
    shuffle.shuffle(questions)
    questions.sort(key=lambda q: seen.get(q.id, ""))
    return questions[:count]


@dataclass
class ScriptedAnswer:
    """One answer from an --answers file: the text, or its text per phase (phase id -> text and the
    minutes it took), and the clarifying questions asked (question, minutes into the answer)."""

    text: str = ""
    phases: dict[str, tuple[str, float | None]] = field(default_factory=dict)
    asks: list[tuple[str, float | None]] = field(default_factory=list)


def read_answers_file(path: Path) -> dict[str, ScriptedAnswer]:
    """question id -> answer, from a YAML mapping; every problem is a usage error naming the file.

    An answer is text, or a mapping with `answer:` text, `phases:` (phase id -> text, or
    {text, minutes}) and `asks:` (questions, or {question, at} with `at` in minutes)."""
    import yaml

    from interview_cli.banks.safe_yaml import RefusedYAML, compose, duplicate_keys, safe_load

    try:
        text = path.read_text(encoding="utf-8")
        data = safe_load(text)
        repeated = duplicate_keys(compose(text))
    except OSError as exc:
        raise UsageError(f"cannot read answers file {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path} is not UTF-8 text — the answers file maps question id to answer text") from None
    except RefusedYAML as exc:
        where = f":{exc.problem_mark.line + 1}" if exc.problem_mark else ""
        raise UsageError(f"{path}{where}: {exc.problem}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        raise UsageError(f"{path}{where}: not valid YAML — the answers file maps question id to answer text") from None
    if repeated:
        line, key, first = repeated[0]
        raise UsageError(f"{path}:{line}: '{key}' is answered twice (first at line {first}) — keep one answer per id")
    if not isinstance(data, dict) or not data:
        raise UsageError(f"{path}: expected a mapping of question id to answer text, e.g. 'rate-limiter: I would ...'")
    answers = {}
    for key, value in data.items():
        if isinstance(value, str):
            answers[str(key)] = ScriptedAnswer(value)
        elif isinstance(value, dict):
            answers[str(key)] = _scripted_answer(path, str(key), value)
        else:
            raise UsageError(f"{path}: the answer to '{key}' must be text (use a YAML block: '{key}: |') "
                             "or a mapping with answer:, phases: and asks:")
        if len(answers[str(key)].text) > MAX_ANSWER_CHARS:
            raise UsageError(f"{path}: the answer to '{key}' is {len(answers[str(key)].text):,} characters; "
                             f"the limit is {MAX_ANSWER_CHARS:,} — shorten it")
    return answers


def _scripted_answer(path: Path, key: str, value: dict) -> ScriptedAnswer:
    unknown = set(value) - {"answer", "phases", "asks"}
    if unknown:
        raise UsageError(f"{path}: the answer to '{key}' has unknown key '{sorted(unknown)[0]}' — "
                         "use answer:, phases: and asks:")
    text, phases, asks = value.get("answer", ""), value.get("phases") or {}, value.get("asks") or []
    if not isinstance(text, str) or not isinstance(phases, dict) or not isinstance(asks, list):
        raise UsageError(f"{path}: the answer to '{key}' needs answer: text, phases: a mapping and asks: a list")
    found = ScriptedAnswer(text)
    for phase_id, body in phases.items():
        if isinstance(body, str):
            body = {"text": body}
        minutes = body.get("minutes") if isinstance(body, dict) else None
        if not isinstance(body, dict) or not isinstance(body.get("text", ""), str) or not (
                minutes is None or (isinstance(minutes, int | float) and minutes >= 0)):
            raise UsageError(f"{path}: phase '{phase_id}' of '{key}' must be text or {{text: ..., minutes: N}}")
        found.phases[str(phase_id)] = (body.get("text", ""), float(minutes) if minutes is not None else None)
    for ask in asks:
        if isinstance(ask, str):
            ask = {"question": ask}
        at = ask.get("at") if isinstance(ask, dict) else None
        if not isinstance(ask, dict) or not isinstance(ask.get("question"), str) or not ask["question"].strip() \
                or not (at is None or isinstance(at, int | float)):
            raise UsageError(f"{path}: each ask of '{key}' must be a question, or {{question: ..., at: MINUTES}}")
        found.asks.append((ask["question"].strip(), float(at) * 60 if at is not None else None))
    return found


def questions_for_answers(bank: Bank, round_id: str | None, ids: list[str]) -> tuple[str, list[Question]]:
    """The questions named by an answers file, in file order, and the round they belong to."""
    found: list[tuple[str, Question]] = []
    choices = [q.id for rid, q in bank.questions() if round_id in (None, rid)]
    for qid in ids:
        hit = bank.find_question(qid)
        if hit is None:
            raise unknown_choice("question id", qid, choices, f"drill banks show {bank.company_slug} {bank.role_slug}")
        if round_id and hit[0] != round_id:
            raise UsageError(f"question '{qid}' belongs to round '{hit[0]}', not '{round_id}' — "
                             f"use --round {hit[0]} or remove it from the answers file")
        found.append(hit)
    rounds = {rid for rid, _ in found}
    inferred = round_id or (rounds.pop() if len(rounds) == 1 else "mixed")
    return inferred, [q for _, q in found]


def start_session(store: Store, bank: Bank, round_id: str, questions: list[Question], options: dict | None = None) -> str:
    title = bank.rounds[round_id].title if round_id in bank.rounds else round_id.replace("-", " ").capitalize()
    return store.create_session(
        company=bank.company, role=bank.role, company_slug=bank.company_slug, role_slug=bank.role_slug,
        round_id=round_id, round_title=title, bank_path=str(bank.path) if bank.path else None,
        plan=[q.id for q in questions], options=options,
    )


def record(store: Store, session_id: str, position: int, answered: Answered, *, hints: list[str] | None = None,
           auto_submitted: bool = False, seconds: float | None = None) -> RunReport | None:
    """Commit one question's answer (and its follow-ups) before anything else happens.

    A coding answer then runs against every test, and the results are stored too."""
    store.add_answer(session_id, position=position, question_id=answered.question.id, kind=AnswerKind.MAIN,
                     prompt=answered.question.prompt, answer=answered.answer, skipped=answered.skipped,
                     auto_submitted=auto_submitted, hints=hints, seconds=seconds, delivery=answered.delivery)
    for follow_up in answered.follow_ups:
        record_follow_up(store, session_id, position, answered.question.id, follow_up)
    if answered.question.code is None or answered.skipped or not answered.answer.strip():
        return None
    from interview_cli.rounds.coding import run_and_store

    return run_and_store(store, session_id, position, answered.question, answered.answer)


def record_follow_up(store: Store, session_id: str, position: int, question_id: str, follow_up: FollowUp,
                     *, skipped: bool = False, auto_submitted: bool = False, seconds: float | None = None,
                     delivery: dict | None = None) -> None:
    store.add_answer(session_id, position=position, question_id=question_id, kind=AnswerKind.FOLLOW_UP,
                     prompt=follow_up.prompt, answer=follow_up.answer, skipped=skipped,
                     auto_submitted=auto_submitted, seconds=seconds, delivery=delivery)


def bank_for_session(session: SessionRow, catalog: Catalog) -> Bank:
    try:
        return catalog.find(session.company_slug, session.role_slug)
    except UsageError:
        if session.bank_path and Path(session.bank_path).exists():
            from interview_cli.banks.loader import load_bank

            return load_bank(Path(session.bank_path), "session")
        raise UsageError(f"the bank for session {session.id} ({session.company_slug} {session.role_slug}) is gone — "
                         "pass the folder that holds it with --banks DIR") from None


def session_question(session: SessionRow, bank: Bank, question_id: str) -> Question:
    """A question a saved session asked, from today's bank."""
    hit = bank.find_question(question_id)
    if hit is None:
        raise UsageError(f"question '{question_id}' of session {session.id} is no longer in the bank "
                         f"{bank.path} — restore it or pass the old bank with --banks DIR")
    return hit[1]


def exchanges_for(transcript: Transcript, bank: Bank) -> list[tuple[int, Exchange]]:
    """(position, Exchange) for every answered question of a session, in plan order."""
    out = []
    for question in transcript.answered():
        main = question.main
        follow_ups = tuple(FollowUp(f.prompt, f.answer) for f in question.follow_ups)
        asks = tuple(Ask(a.question, a.reply) for a in question.asks)
        asked = session_question(transcript.session, bank, main.question_id)
        answer = "" if main.skipped else main.answer
        if asked.code is not None and asked.code.starter:
            from interview_cli.rounds.coding import own_text

            answer = own_text(answer, asked.code.starter)  # the rubric credits what the candidate wrote
        out.append((question.position, Exchange(asked, answer, follow_ups, asks)))
    return out


def overall_score(scores: list[AnswerScore]) -> float:
    return round(sum(s.score for s in scores) / len(scores), 1) if scores else 0.0


class ScoringFailed(ScoringError):
    """Scoring a saved session failed: `reason` is the scorer's one line, `retry` the command that retries it."""

    def __init__(self, reason: str, retry: str, scorer: str):
        super().__init__(f"{reason} — your answers are saved; retry with: {retry}")
        self.reason = reason
        self.retry = retry
        self.scorer = scorer


def retry_command(session_id: str, scorer: Scorer) -> str:
    """`drill score ID`, with the --model (and --api-base) the failed scoring used."""
    from interview_cli.redact import redact

    parts = ["drill score", session_id]
    if scorer.name != OFFLINE:
        parts += ["--model", scorer.name]
    api_base = getattr(scorer, "api_base", None)
    if api_base:
        parts += ["--api-base", redact(api_base)]
    return " ".join(parts)


def score_session(store: Store, session_id: str, bank: Bank, scorer: Scorer, *, finished: bool = True) -> list[AnswerScore]:
    """Score a saved session and keep the scoring beside any earlier ones, its reviews in the same transaction.

    A failure adds nothing and changes no earlier scoring; a finished session never scored before is
    marked unscored. `finished=False` scores what an unfinished session has so far and leaves it resumable."""
    from interview_cli.history.scheduling import write_reviews

    transcript = store.transcript(session_id)
    session = transcript.session
    exchanges = exchanges_for(transcript, bank)
    if not exchanges:
        raise UsageError(f"session {session.id} has no answers to score — continue it with: drill resume {session.id}")
    try:
        scores = scorer.score([e for _, e in exchanges])
    except DrillError as exc:
        if finished and not store.scorings(session.id):
            store.set_status(session.id, SessionStatus.UNSCORED, finished=True)
        if isinstance(exc, ScoringError):
            raise ScoringFailed(str(exc), retry_command(session.id, scorer), scorer.name) from None
        raise
    scores = with_correctness(store, session.id, exchanges, scores)
    store.save_scores(session.id, [(pos, s) for (pos, _), s in zip(exchanges, scores, strict=True)],
                      overall_score(scores), scorer.name, finished=finished,
                      then=lambda db: write_reviews(db, session.id, bank))
    return scores


def with_correctness(store: Store, session_id: str, exchanges: list[tuple[int, Exchange]],
                     scores: list[AnswerScore]) -> list[AnswerScore]:
    """Coding answers' scores with their tests weighed in (scoring.base.CORRECTNESS_SHARE).

    An answer whose tests never ran (a session from before code blocks) runs them now; a skipped
    or empty one passes none."""
    transcript = store.transcript(session_id)
    out = []
    for (position, exchange), score in zip(exchanges, scores, strict=True):
        question = exchange.question
        if question.code is None:
            out.append(score)
            continue
        rows = transcript.questions[position].tests
        code = transcript.questions[position].main.answer
        if not rows and exchange.answer.strip() and code.strip():
            from interview_cli.rounds.coding import run_and_store

            run_and_store(store, session_id, position, question, code)
            rows = store.test_results(session_id).get(position, [])
        total = len(question.code.tests) + len(question.code.hidden_tests)
        passed = sum(1 for r in rows if r.status == "passed")
        out.append(with_tests(score, passed, total))
    return out
