"""Spaced repetition with FSRS (py-fsrs 6): one card per bank question, one review per scored answer.

Rating from a 0-10 score:  < 4 Again,  < 6 Hard,  < 9 Good,  otherwise Easy.

A card is keyed by the bank's company slug, role slug and question id. Its state is
never edited in place: every scored answer is a row in `reviews` (keyed by session and
position, so re-scoring a session replaces that session's reviews instead of adding
more), and the card is rebuilt by replaying its reviews in time order through a
deterministic scheduler (no learning steps, no fuzzing). Replaying makes re-scores,
imports and merges from another machine all give the same card.

Order of what is due (`drill plan`, `drill COMPANY ROLE --due`):
  1. seen questions whose card is due, lowest retrievability first (weak answers first);
  2. unseen questions, in bank order;
  3. then, to fill the set, questions not due yet, soonest first.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from fsrs import Card, Rating, Scheduler

from interview_cli.clock import iso, now, parse_time
from interview_cli.history.db import Store
from interview_cli.history.rows import AnswerKind

WEAK_BELOW = 6.0  # a last score under this is shown as "weak last time"

_SCHEDULER: Scheduler | None = None


def scheduler() -> Scheduler:
    """The one scheduler drill uses: first reviews schedule days, not minutes; no random fuzz."""
    global _SCHEDULER
    if _SCHEDULER is None:
        _SCHEDULER = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
    return _SCHEDULER


def rating_for(score: float) -> Rating:
    if score < 4:
        return Rating.Again
    if score < 6:
        return Rating.Hard
    if score < 9:
        return Rating.Good
    return Rating.Easy


def card_id(company_slug: str, role_slug: str, question_id: str) -> int:
    """A stable card id (py-fsrs defaults to the creation time, which would differ per machine)."""
    digest = hashlib.sha256(f"{company_slug}/{role_slug}/{question_id}".encode()).hexdigest()
    return int(digest[:13], 16)


# ---- recording reviews ---------------------------------------------------------------


def record_reviews(store: Store, session_id: str, bank=None) -> int:
    """Turn a scored session's latest scores into reviews and reschedule their cards, in one transaction.

    Re-running it (as `drill score` does) replaces the session's reviews. Returns how many
    reviews the session now has. `bank` supplies each question's round and topics.
    """
    with store.transaction() as db:
        return write_reviews(db, session_id, bank)


def write_reviews(db, session_id: str, bank=None) -> int:
    """record_reviews inside the caller's transaction (Store.save_scores runs it with the scores)."""
    session = db.execute("SELECT company_slug, role_slug, round FROM sessions WHERE id = ?", (session_id,)).fetchone()
    scores = {row["position"]: row for row in db.execute(
        "SELECT position, question_id, score FROM scores WHERE session_id = ? ORDER BY position, id", (session_id,))}
    mains = {row["position"]: row for row in db.execute(
        "SELECT position, submitted_at, skipped FROM answers WHERE session_id = ? AND kind = ?"
        " ORDER BY position, id", (session_id, AnswerKind.MAIN))}
    rows = []
    for position, score in sorted(scores.items()):
        main = mains.get(position)
        if main is None:
            continue
        question_id = score["question_id"]
        hit = bank.find_question(question_id) if bank is not None else None
        round_id = hit[0] if hit else session["round"]
        topics = list(hit[1].topics) if hit else []
        rows.append((session_id, position, session["company_slug"], session["role_slug"], question_id, round_id,
                     json.dumps(topics, ensure_ascii=False), float(score["score"]), int(rating_for(score["score"])),
                     main["submitted_at"], int(main["skipped"])))
    keys = {tuple(r) for r in db.execute(
        "SELECT company_slug, role_slug, question_id FROM reviews WHERE session_id = ?", (session_id,))}
    db.execute("DELETE FROM reviews WHERE session_id = ?", (session_id,))
    db.executemany(
        "INSERT INTO reviews (session_id, position, company_slug, role_slug, question_id, round, topics, score,"
        " rating, reviewed_at, skipped) VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
    keys |= {(r[2], r[3], r[4]) for r in rows}
    for key in sorted(keys):
        rebuild_card(db, *key)
    return len(rows)


def rebuild_card(db, company_slug: str, role_slug: str, question_id: str) -> None:
    """Replay a question's reviews, oldest first, into its card (or drop the card if none are left)."""
    reviews = db.execute(
        "SELECT round, score, rating, reviewed_at FROM reviews WHERE company_slug = ? AND role_slug = ?"
        " AND question_id = ? ORDER BY reviewed_at, session_id, position",
        (company_slug, role_slug, question_id),
    ).fetchall()
    if not reviews:
        db.execute("DELETE FROM cards WHERE company_slug = ? AND role_slug = ? AND question_id = ?",
                   (company_slug, role_slug, question_id))
        return
    first = parse_time(reviews[0]["reviewed_at"])
    card = Card(card_id=card_id(company_slug, role_slug, question_id), due=first)
    fsrs = scheduler()
    for review in reviews:
        card, _ = fsrs.review_card(card, Rating(review["rating"]), review_datetime=parse_time(review["reviewed_at"]))
    last = reviews[-1]
    db.execute(
        "INSERT INTO cards (company_slug, role_slug, question_id, round, card, due, last_review, last_score, reviews)"
        " VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT(company_slug, role_slug, question_id) DO UPDATE SET"
        " round = excluded.round, card = excluded.card, due = excluded.due, last_review = excluded.last_review,"
        " last_score = excluded.last_score, reviews = excluded.reviews",
        (company_slug, role_slug, question_id, last["round"], json.dumps(card.to_dict()), iso(card.due),
         last["reviewed_at"], last["score"], len(reviews)),
    )


# ---- what is due -----------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A bank question that could be asked: what plan ranking needs, without the pydantic model."""

    company_slug: str
    role_slug: str
    company: str
    role: str
    round: str
    question_id: str
    prompt: str
    minutes: float | None


@dataclass(frozen=True)
class DueItem:
    candidate: Candidate
    kind: str  # weak | scheduled | unseen | early
    due: datetime | None  # None: unseen, due now
    retrievability: float | None
    last_score: float | None

    @property
    def reason(self) -> str:
        if self.kind == "weak":
            return f"weak last time ({self.last_score:.1f}/10)"
        if self.kind == "scheduled":
            return "due by schedule"
        if self.kind == "unseen":
            return "unseen"
        return "ahead of schedule"


def rank_due(store: Store, candidates: Iterable[Candidate], at: datetime | None = None) -> list[DueItem]:
    """Every candidate, most due first (see the module docstring for the order)."""
    at = at or now()
    candidates = list(candidates)
    banks = sorted({(c.company_slug, c.role_slug) for c in candidates})
    cards: dict[tuple[str, str, str], tuple[str, float | None]] = {}
    for company_slug, role_slug in banks:
        for row in store.db.execute(
            "SELECT question_id, card, last_score FROM cards WHERE company_slug = ? AND role_slug = ?",
            (company_slug, role_slug),
        ):
            cards[(company_slug, role_slug, row[0])] = (row[1], row[2])
    fsrs = scheduler()
    due_now, unseen, early = [], [], []
    for order, cand in enumerate(candidates):
        stored = cards.get((cand.company_slug, cand.role_slug, cand.question_id))
        if stored is None:
            unseen.append((order, DueItem(cand, "unseen", None, None, None)))
            continue
        card = Card.from_dict(json.loads(stored[0]))
        retrievability = fsrs.get_card_retrievability(card, at)
        last_score = stored[1]
        if card.due <= at:
            kind = "weak" if last_score is not None and last_score < WEAK_BELOW else "scheduled"
            due_now.append(((retrievability, card.due, order), DueItem(cand, kind, card.due, retrievability, last_score)))
        else:
            early.append(((card.due, retrievability, order), DueItem(cand, "early", card.due, retrievability, last_score)))
    due_now.sort(key=lambda pair: pair[0])
    early.sort(key=lambda pair: pair[0])
    return [item for _, item in due_now] + [item for _, item in unseen] + [item for _, item in early]
