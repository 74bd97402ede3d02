"""FSRS scheduling: the rating map, cards rebuilt from reviews, what comes back first, and --due."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from practice_helpers import STRONG, WEAK, Env, add_scored_session, iso

from interview_cli.errors import UsageError
from interview_cli.history import scheduling
from interview_cli.history.index import IndexedBank
from interview_cli.rounds.plan import due_round
from interview_cli.scoring.base import AnswerScore

T0 = datetime(2025, 3, 1, 20, 0, tzinfo=UTC)


@pytest.fixture
def env(tmp_path):
    return Env(tmp_path)


@pytest.mark.parametrize(
    ("score", "rating"),
    [(0, 1), (3.9, 1), (4.0, 2), (5.9, 2), (6.0, 3), (8.9, 3), (9.0, 4), (10, 4)],
)
def test_score_maps_to_rating(score, rating):
    assert int(scheduling.rating_for(score)) == rating


def test_scheduler_has_no_learning_steps_and_no_fuzz():
    fsrs = scheduling.scheduler()
    assert fsrs.learning_steps == () and fsrs.relearning_steps == ()
    assert fsrs.enable_fuzzing is False


def ranked_ids(store, bank, at):
    return [(i.candidate.question_id, i.kind) for i in scheduling.rank_due(store, IndexedBank.from_bank(bank).candidates(), at)]


def test_weak_answer_comes_back_before_strong_one(env):
    bank = env.bank()
    with env.store() as store:
        add_scored_session(store, bank, {"lru-cache": 2.0, "rate-limiter": 9.5}, T0)
        cards = dict(store.db.execute("SELECT question_id, due FROM cards").fetchall())
        # first reviews schedule days, not minutes: Again -> 1 day, Easy -> 8 days
        assert cards == {"lru-cache": iso(T0 + timedelta(days=1)), "rate-limiter": iso(T0 + timedelta(days=8, minutes=1))}

        # three days on: the weak answer is due and first, before the unseen ones; the strong one is last
        assert ranked_ids(store, bank, T0 + timedelta(days=3)) == [
            ("lru-cache", "weak"), ("top-k", "unseen"), ("url-shortener", "unseen"), ("news-feed", "unseen"),
            ("rate-limiter", "early"),
        ]
        # a month on both are due: lowest retrievability (the weak one) first, then the strong one, then unseen
        later = scheduling.rank_due(store, IndexedBank.from_bank(bank).candidates(), T0 + timedelta(days=30))
        assert [(i.candidate.question_id, i.kind) for i in later[:3]] == [
            ("lru-cache", "weak"), ("rate-limiter", "scheduled"), ("top-k", "unseen")]
        assert later[0].retrievability < later[1].retrievability
        assert later[0].reason == "weak last time (2.0/10)"
        assert later[1].reason == "due by schedule"
        assert later[2].reason == "unseen"


def test_unseen_questions_are_due_in_bank_order(env):
    bank = env.bank()
    with env.store() as store:
        items = scheduling.rank_due(store, IndexedBank.from_bank(bank).candidates(), T0)
    assert [(i.candidate.question_id, i.kind, i.due) for i in items] == [
        ("lru-cache", "unseen", None), ("rate-limiter", "unseen", None), ("top-k", "unseen", None),
        ("url-shortener", "unseen", None), ("news-feed", "unseen", None)]


def test_card_is_replayed_from_reviews_in_time_order(env):
    bank = env.bank()
    with env.store() as store:
        # recorded out of order: the later session first
        add_scored_session(store, bank, {"top-k": 8.0}, T0 + timedelta(days=5))
        add_scored_session(store, bank, {"top-k": 3.0}, T0)
        row = store.db.execute("SELECT card, due, last_score, reviews FROM cards WHERE question_id = 'top-k'").fetchone()
    fsrs = scheduling.scheduler()
    from fsrs import Card, Rating

    card = Card(card_id=scheduling.card_id("acme", "backend", "top-k"), due=T0)
    card, _ = fsrs.review_card(card, Rating.Again, review_datetime=T0)
    card, _ = fsrs.review_card(card, Rating.Good, review_datetime=T0 + timedelta(days=5))
    assert json.loads(row["card"]) == card.to_dict()
    assert row["due"] == iso(card.due)
    assert row["last_score"] == 8.0 and row["reviews"] == 2


def test_rescoring_replaces_the_sessions_review(env):
    bank = env.bank()
    with env.store() as store:
        sid = add_scored_session(store, bank, {"lru-cache": 2.0, "top-k": 3.0}, T0)
        first_due = store.db.execute("SELECT due FROM cards WHERE question_id = 'lru-cache'").fetchone()[0]
        # a re-score (as `drill score` does): new score rows, then the reviews are recorded again
        store.save_scores(sid, [(0, AnswerScore("lru-cache", 9.5, (), "Better.", "fake", "fake-1")),
                                (1, AnswerScore("top-k", 3.0, (), "Same.", "fake", "fake-1"))], 6.2, "fake")
        assert scheduling.record_reviews(store, sid, bank) == 2
        reviews = store.db.execute("SELECT question_id, score, rating FROM reviews ORDER BY position").fetchall()
        card = store.db.execute("SELECT due, last_score, reviews FROM cards WHERE question_id = 'lru-cache'").fetchone()
    assert [tuple(r) for r in reviews] == [("lru-cache", 9.5, 4), ("top-k", 3.0, 1)]
    assert tuple(card) == (iso(T0 + timedelta(days=8)), 9.5, 1)
    assert first_due == iso(T0 + timedelta(days=1))


def test_cli_run_records_reviews_and_drill_score_does_not_double_count(env):
    result = env.drill_round({"lru-cache": STRONG["lru-cache"], "rate-limiter": WEAK["rate-limiter"]})
    sid = result["session_id"]
    assert [q["score"] for q in result["questions"]] == [10.0, 0.0]
    reviews = env.rows("SELECT session_id, position, question_id, round, topics, score, rating FROM reviews ORDER BY position")
    assert reviews == [
        (sid, 0, "lru-cache", "coding", '["data-structures", "caching"]', 10.0, 4),
        (sid, 1, "rate-limiter", "coding", '["concurrency", "api-design"]', 0.0, 1),
    ]
    done = env.run_fake("score", sid, "--json")
    assert done.returncode == 0, done.stderr
    assert env.rows("SELECT COUNT(*) FROM scores") == [(4,)]  # scores keep their history
    assert env.rows("SELECT COUNT(*) FROM reviews") == [(2,)]  # reviews do not
    assert env.rows("SELECT question_id, reviews, last_score FROM cards ORDER BY question_id") == [
        ("lru-cache", 1, 10.0), ("rate-limiter", 1, 0.0)]


def test_failed_scoring_records_no_review(env):
    import subprocess
    import sys

    path = env.answers_file({"lru-cache": "hashmap"})
    # a scorer that raises ScoringError: the session stays unscored and gets no review
    script = ("from fake_scorer import FakeScorer\nfrom interview_cli.__main__ import main\n"
              "from interview_cli.cli.environment import Environment\n"
              "main(env=Environment(make_scorer=lambda o, p: FakeScorer(fail=True)))\n")
    done = subprocess.run([sys.executable, "-c", script, "acme", "backend", "--answers", str(path), "--json"],
                          env=env.vars, capture_output=True, text=True, cwd=env.root)
    assert done.returncode == 1
    assert "fake scorer failed on purpose" in done.stderr
    assert env.rows("SELECT COUNT(*) FROM reviews") == [(0,)]
    assert env.rows("SELECT COUNT(*) FROM cards") == [(0,)]
    assert env.rows("SELECT status FROM sessions") == [("unscored",)]


def test_due_round_picks_the_most_due_questions(env):
    bank = env.bank()
    with env.store() as store:
        add_scored_session(store, bank, {"lru-cache": 2.0, "url-shortener": 9.5}, T0)
        label, questions = due_round(store, bank, None, 3)
        assert label == "due"
        # pinned "now" through DRILL_NOW would be the same; here real now is long after T0: both due
        assert [q.id for q in questions] == ["lru-cache", "url-shortener", "rate-limiter"]
        label, questions = due_round(store, bank, "system-design", 5)
        assert (label, [q.id for q in questions]) == ("system-design", ["url-shortener", "news-feed"])
        with pytest.raises(UsageError, match="unknown round 'sytem-design' — did you mean 'system-design'"):
            due_round(store, bank, "sytem-design", 5)


def test_due_count_is_checked_by_the_command_line(env):
    """due_round trusts its count: --count is at least 1 (typer), and an empty pipe falls back to 3."""
    done = env.run("acme", "backend", "--due", "--count", "0")
    assert done.returncode == 2 and "--count" in done.stderr


def test_drill_due_runs_the_due_questions_from_a_pipe(env):
    bank = env.bank()
    with env.store() as store:
        add_scored_session(store, bank, {"lru-cache": 2.0, "top-k": 9.5}, T0)
    done = env.run_fake("acme", "backend", "--due", "--count", "2", "--json",
                        input="hashmap plus list\n---\ntoken bucket, atomic\n",
                        extra={"DRILL_NOW": iso(T0 + timedelta(days=2))})
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["round"] == "due"
    assert [q["id"] for q in result["questions"]] == ["lru-cache", "rate-limiter"]
    assert env.rows("SELECT round, plan FROM sessions WHERE id = ?", (result["session_id"],)) == [
        ("due", '["lru-cache", "rate-limiter"]')]


def test_drill_now_must_be_iso(env):
    done = env.run("plan", "acme", "backend", extra={"DRILL_NOW": "tomorrow"})
    assert done.returncode == 2
    assert done.stderr == ("error: DRILL_NOW='tomorrow' is not an ISO 8601 time, e.g. 2025-01-31T20:00:00+00:00\n")
