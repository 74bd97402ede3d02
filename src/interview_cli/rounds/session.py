"""The round runner's domain: choosing questions, recording answers, scoring sessions.

The interactive UI (interview.py) and the scripted paths (--answers, piped stdin)
both go through these functions, so every answer is committed the moment it exists.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from interview_cli.banks.loader import Catalog, load_bank
from interview_cli.banks.model import Bank, Question, Round
from interview_cli.errors import DrillError, ScoringError, UsageError, unknown_choice
from interview_cli.history.db import SessionRow, Store
from interview_cli.scoring.select import OFFLINE
from interview_cli.scoring.base import AnswerScore, Exchange, FollowUp, Scorer


@dataclass
class Answered:
    """One submitted answer as the runner hands it to storage."""

    question: Question
    answer: str
    follow_ups: tuple[FollowUp, ...] = ()
    skipped: bool = False


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


def read_answers_file(path: Path) -> dict[str, str]:
    """question id -> answer text, from a YAML mapping; every problem is a usage error naming the file."""
    import yaml

    from interview_cli.banks.safe_yaml import compose, duplicate_keys, safe_load

    try:
        text = path.read_text(encoding="utf-8")
        data = safe_load(text)
        repeated = duplicate_keys(compose(text))
    except OSError as exc:
        raise UsageError(f"cannot read answers file {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path} is not UTF-8 text — the answers file maps question id to answer text") from None
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
        if not isinstance(value, str):
            raise UsageError(f"{path}: the answer to '{key}' must be text (use a YAML block: '{key}: |')")
        answers[str(key)] = value
    return answers


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
           auto_submitted: bool = False, seconds: float | None = None) -> None:
    """Commit one question's answer (and its follow-ups) before anything else happens."""
    store.add_answer(session_id, position=position, question_id=answered.question.id, kind="main",
                     prompt=answered.question.prompt, answer=answered.answer, skipped=answered.skipped,
                     auto_submitted=auto_submitted, hints=hints, seconds=seconds)
    for follow_up in answered.follow_ups:
        record_follow_up(store, session_id, position, answered.question.id, follow_up)


def record_follow_up(store: Store, session_id: str, position: int, question_id: str, follow_up: FollowUp,
                     *, skipped: bool = False, auto_submitted: bool = False, seconds: float | None = None) -> None:
    store.add_answer(session_id, position=position, question_id=question_id, kind="follow_up",
                     prompt=follow_up.prompt, answer=follow_up.answer, skipped=skipped,
                     auto_submitted=auto_submitted, seconds=seconds)


def bank_for_session(session: SessionRow, catalog: Catalog) -> Bank:
    try:
        return catalog.find(session.company_slug, session.role_slug)
    except UsageError:
        if session.bank_path and Path(session.bank_path).exists():
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


def exchanges_for(store: Store, session: SessionRow, bank: Bank) -> list[tuple[int, Exchange]]:
    """(position, Exchange) for every answered question of a session, in plan order."""
    by_position: dict[int, dict] = {}
    for row in store.answers(session.id):
        slot = by_position.setdefault(row["position"], {"main": None, "follow_ups": []})
        if row["kind"] == "main":
            slot["main"] = row
        else:
            slot["follow_ups"].append(FollowUp(row["prompt"], row["answer"]))
    out = []
    for position, slot in sorted(by_position.items()):
        main = slot["main"]
        if main is None:
            continue
        question = session_question(session, bank, main["question_id"])
        out.append((position, Exchange(question, "" if main["skipped"] else main["answer"], tuple(slot["follow_ups"]))))
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


def score_session(store: Store, session_id: str, bank: Bank, scorer: Scorer) -> list[AnswerScore]:
    """Score a saved session and keep the scoring beside any earlier ones. A failure adds nothing and
    changes no earlier scoring; a session never scored before is marked unscored."""
    session = store.session(session_id)
    exchanges = exchanges_for(store, session, bank)
    if not exchanges:
        raise UsageError(f"session {session.id} has no answers to score — continue it with: drill resume {session.id}")
    try:
        scores = scorer.score([e for _, e in exchanges])
    except DrillError as exc:
        if not store.scorings(session.id):
            store.set_status(session.id, "unscored", finished=True)
        if isinstance(exc, ScoringError):
            raise ScoringFailed(str(exc), retry_command(session.id, scorer), scorer.name) from None
        raise
    store.save_scores(session.id, [(pos, s) for (pos, _), s in zip(exchanges, scores, strict=True)],
                      overall_score(scores), scorer.name)
    return scores


ProgressCallback = Callable[[int, int], None]
