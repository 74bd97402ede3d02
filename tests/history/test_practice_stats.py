"""`drill stats`: per-round and per-topic numbers, trend, weakest topics, the text chart."""

from __future__ import annotations

import json

import pytest
from practice_helpers import BANK_YAML, Env, lines

from interview_cli.ui.views.practice import score_chart


def test_stats_json(env):
    done = env.run("stats", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["sessions"] == 3
    assert data["rounds"] == [
        # coding: session means 4.25 then 6.5 -> mean 5.375, trend 6.5 - 4.25
        {"company": "acme", "role": "backend", "round": "coding", "sessions": 2, "mean": 5.38, "latest": 6.5,
         "trend": 2.25, "last_at": "2025-03-10T20:01:00+00:00"},
        {"company": "acme", "role": "backend", "round": "system-design", "sessions": 1, "mean": 7.0, "latest": 7.0,
         "trend": None, "last_at": "2025-03-02T20:00:00+00:00"},
    ]
    topics = {t["topic"]: t for t in data["topics"]}
    # caching: lru-cache 2.0, url-shortener 7.0, lru-cache 8.0 -> latest 8.0 minus mean(2, 7) = 3.5
    assert topics["caching"] == {"topic": "caching", "sessions": 3, "answers": 3, "skipped": 0, "mean": 5.67, "latest": 8.0,
                                 "recent": 5.67, "trend": 3.5, "last_at": "2025-03-10T20:00:00+00:00"}
    assert topics["data-structures"]["trend"] == 0.0
    assert [t["topic"] for t in data["weakest_topics"]] == [
        "data-structures", "streaming", "caching", "api-design", "concurrency"]
    assert data["timeline"] == [
        {"date": "2025-03-01", "sessions": 1, "mean": 4.2},
        {"date": "2025-03-02", "sessions": 1, "mean": 7.0},
        {"date": "2025-03-10", "sessions": 1, "mean": 6.5},
    ]
    assert done.stderr == ""


def test_stats_table_and_chart(env):
    done = env.run("stats", extra={"COLUMNS": "60"})
    assert done.returncode == 0, done.stderr
    out = lines(done.stdout)
    assert out[:7] == [
        "3 scored sessions",
        "",
        "By round (acme/backend)",
        "Round          Sessions  Mean  Latest   Trend",
        "─────────────────────────────────────────────",
        "coding                2   5.4     6.5  ↑ +2.2",
        "system-design         1   7.0     7.0       –",
    ]
    assert "caching                3   5.7     8.0  ↑ +3.5" in out
    assert "data-structures        3   5.0     5.0  → +0.0" in out
    weakest = out.index("Weakest topics (mean of the last 5 answers)")
    assert out[weakest + 1:weakest + 3] == ["1. data-structures  5.0 over the last 3 answers",
                                            "2. streaming  5.0 over the last 1 answer"]
    chart = out.index("Overall score over time (mean per day)")
    assert out[chart + 1:] == [
        "10 ┤",
        "   ┤ ▂",
        "   ┤ █       ▇",
        " 5 ┤▄█       █",
        "   ┤██       █",
        "   ┤██       █",
        " 0 └──────────",
        "    2025-03-01",
    ]
    assert max(len(line) for line in out) <= 60


def test_stats_filters(env):
    data = json.loads(env.run("stats", "--company", "Acme", "--role", "backend", "--json").stdout)
    assert data["sessions"] == 3 and data["company"] == "acme"
    (env.banks / "globex").mkdir()
    (env.banks / "globex" / "backend.yaml").write_text(BANK_YAML.replace("Acme", "Globex"), encoding="utf-8")
    empty = json.loads(env.run("stats", "--company", "globex", "--json").stdout)
    assert empty == {"company": "globex", "role": None, "sessions": 0, "rounds": [], "topics": [],
                     "weakest_topics": [], "timeline": [], "phase_time_use": [], "delivery": None}
    done = env.run("stats", "--company", "Globex", "--role", "be")
    assert (done.returncode, done.stdout) == (0, "No scored sessions for globex backend yet — practise: drill globex backend\n")
    alias = json.loads(env.run("stats", "--company", "ACME", "--role", "be", "--json").stdout)
    assert (alias["company"], alias["role"], alias["sessions"]) == ("acme", "backend", 3)
    done = env.run("stats", "--company", "acmee")
    assert (done.returncode, done.stdout, done.stderr) == (
        2, "", "error: unknown company 'acmee' — did you mean 'acme'? (see: drill banks list)\n")
    done = env.run("stats", "--company", "acme", "--role", "backed")
    assert (done.returncode, done.stderr) == (
        2, "error: unknown role for Acme 'backed' — did you mean 'backend'? (see: drill banks show acme ROLE)\n")


def test_stats_filter_with_history_but_no_scores(tmp_path):
    env = Env(tmp_path)
    with env.store() as store:
        store.create_session(company="Acme", role="Backend", company_slug="acme", role_slug="backend",
                             round_id="coding", round_title="Coding", bank_path=None, plan=["lru-cache"])
    done = env.run("stats", "--company", "Acme")
    assert (done.returncode, done.stdout) == (0, "No scored sessions for acme yet — see: drill history\n")
    assert env.run("stats").stdout == "No scored sessions yet — run one: drill general backend --round coding\n"


def test_chart_buckets_by_week_and_stays_in_width():
    timeline = [{"date": f"2025-{m:02d}-{d:02d}", "sessions": 1, "mean": (m + d) % 11}
                for m in range(1, 13) for d in (1, 8, 15, 22)]
    chart = score_chart(timeline, 60)
    assert chart[0] == "Overall score over time (mean per week)"
    assert all(len(line) <= 60 for line in chart)
    assert chart[-1].startswith("    2024-12-30") and chart[-1].endswith("2025-12-22")
    assert score_chart(timeline, 30)[0] == "Overall score over time (mean per 14 days)"
    assert score_chart([], 60) == []


def brute_force(env) -> tuple[dict, dict]:
    """Per-round and per-topic numbers recomputed from the reviews table alone."""
    rows = env.rows("SELECT session_id, company_slug, role_slug, round, topics, score, reviewed_at, id FROM reviews")
    per_session: dict = {}
    for sid, company, role, round_id, _, score, at, _ in rows:
        slot = per_session.setdefault((company, role, round_id, sid), [])
        slot.append((score, at))
    rounds: dict = {}
    for (company, role, round_id, sid), scores in per_session.items():
        mean = sum(s for s, _ in scores) / len(scores)
        rounds.setdefault((company, role, round_id), []).append((max(a for _, a in scores), sid, mean))
    round_out = {}
    for key, items in rounds.items():
        items.sort()
        means = [m for _, _, m in items]
        latest = means[-1]
        trend = round(latest - sum(means[:-1]) / (len(means) - 1), 2) if len(means) > 1 else None
        round_out[key[2]] = (len(means), round(sum(means) / len(means), 2), round(latest, 2), trend)
    topics: dict = {}
    for sid, _, _, _, topic_json, score, at, rid in rows:
        for topic in json.loads(topic_json):
            topics.setdefault(topic, []).append((at, sid, rid, score))
    topic_out = {}
    for topic, items in topics.items():
        items.sort()
        scores = [s for _, _, _, s in items]
        latest = scores[-1]
        trend = round(latest - sum(scores[:-1]) / (len(scores) - 1), 2) if len(scores) > 1 else None
        topic_out[topic] = (len({sid for _, sid, _, _ in items}), len(scores), round(sum(scores) / len(scores), 2),
                            round(latest, 2), trend)
    return round_out, topic_out


def test_trigger_kept_totals_match_a_recount(tmp_path):
    """round_sessions/topic_totals follow inserts, re-scores, merges and cascading deletes."""
    import random
    from datetime import timedelta

    from practice_helpers import T0, add_scored_session

    from interview_cli.history import scheduling
    from interview_cli.history import stats as stats_module
    from interview_cli.scoring.base import AnswerScore

    env = Env(tmp_path)
    bank = env.bank()
    ids = [q.id for _, q in bank.questions()]
    rng = random.Random(5)
    with env.store() as store:
        sessions = []
        for n in range(30):
            chosen = rng.sample(ids, rng.randint(1, 4))
            scores = {qid: float(rng.randint(0, 20)) / 2 for qid in chosen}
            sessions.append((add_scored_session(store, bank, scores, T0 + timedelta(hours=7 * n)), chosen))
        for sid, chosen in rng.sample(sessions, 8):  # re-scores replace reviews
            store.save_scores(sid, [(i, AnswerScore(q, float(rng.randint(0, 10)), (), "", "fake", "1"))
                                    for i, q in enumerate(chosen)], 5.0, "fake")
            scheduling.record_reviews(store, sid, bank)
        with store.transaction() as db:  # deleting sessions cascades to their reviews
            for sid, _ in sessions[:3]:
                db.execute("DELETE FROM sessions WHERE id = ?", (sid,))
        data = stats_module.compute(store)
    rounds, topics = brute_force(env)
    assert {r["round"]: (r["sessions"], r["mean"], r["latest"], r["trend"]) for r in data["rounds"]} == rounds
    assert {t["topic"]: (t["sessions"], t["answers"], t["mean"], t["latest"], t["trend"])
            for t in data["topics"]} == topics
    with pytest.raises(Exception, match="reviews are replaced, not updated"):
        env.rows("UPDATE reviews SET score = 1")


def test_migrations_upgrade_a_0002_database(tmp_path, monkeypatch):
    """A history made before 0003 gets the portable-order indexes when it is next opened."""
    import sqlite3

    from interview_cli.history import migrations
    from interview_cli.history.db import Store

    path = tmp_path / "drill.db"
    monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:2])
    Store(path).close()
    monkeypatch.undo()
    Store(path).close()
    db = sqlite3.connect(path)
    applied = [row[0] for row in db.execute("SELECT name FROM migrations ORDER BY name")]
    assert applied[:3] == ["0001_sessions_answers_scores", "0002_practice_reviews_cards_bank_index",
                           "0003_review_topics_portable_order"]
    columns = [row[2] for row in db.execute("PRAGMA index_info(review_topics_recent)")]
    assert columns == ["topic", "reviewed_at", "session_id", "review_id", "score", "skipped"]
    plan = db.execute("EXPLAIN QUERY PLAN SELECT score FROM review_topics WHERE topic = 'x'"
                      " ORDER BY reviewed_at DESC, session_id DESC, review_id DESC LIMIT 5").fetchall()
    assert "USING COVERING INDEX review_topics_recent" in plan[0][3] and len(plan) == 1  # no sort step


@pytest.mark.parametrize(
    ("sql", "index"),
    [
        ("SELECT question_id, card, last_score FROM cards WHERE company_slug = 'a' AND role_slug = 'b'",
         "sqlite_autoindex_cards_1"),
        ("SELECT round, score, rating, reviewed_at FROM reviews WHERE company_slug = 'a' AND role_slug = 'b'"
         " AND question_id = 'q' ORDER BY reviewed_at", "reviews_card"),
        ("SELECT * FROM reviews WHERE session_id = 's'", "sqlite_autoindex_reviews_1"),
        ("SELECT total / answers, last_at FROM round_sessions WHERE company_slug = 'a' AND role_slug = 'b'"
         " AND round = 'r' ORDER BY last_at DESC, session_id DESC LIMIT 1", "round_sessions_latest"),
        ("SELECT score, reviewed_at FROM review_topics WHERE company_slug = 'a' AND role_slug = 'b' AND topic = 't'"
         " ORDER BY reviewed_at DESC, session_id DESC, review_id DESC LIMIT 5", "review_topics_bank"),
        ("SELECT * FROM sessions WHERE company_slug = 'a' ORDER BY started_at DESC, rowid DESC LIMIT 20",
         "sessions_bank"),
        ("SELECT session_id, COUNT(DISTINCT position) FROM answers WHERE session_id IN ('a', 'b') AND kind = 'main'"
         " GROUP BY session_id", "answers_session"),
    ],
)
def test_command_queries_use_indexes(tmp_path, sql, index):
    from interview_cli.history.db import Store

    with Store(tmp_path / "drill.db") as store:
        plan = " | ".join(row[3] for row in store.db.execute("EXPLAIN QUERY PLAN " + sql))
    assert f"INDEX {index}" in plan, plan
