"""`drill plan`: tonight's set across banks, its reasons and due dates, and the cached question index."""

from __future__ import annotations

import json

from practice_helpers import NOW, Env, lines

OTHER_BANK = """\
company: Globex
role: Platform
rounds:
  ops:
    title: Operations
    questions:
      - id: incident
        prompt: Walk through your last incident.
        topics: [operations]
        rubric: [timeline, root cause]
"""


def plan_json(env, *args, now=NOW):
    done = env.run("plan", *args, "--json", extra={"DRILL_NOW": now})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_plan_table(env):
    done = env.run("plan", "acme", "backend", "-n", "4", extra={"DRILL_NOW": NOW})
    assert done.returncode == 0, done.stderr
    assert lines(done.stdout) == [
        "acme/backend",
        "#  Question                                       Why                      Due",
        "─────────────────────────────────────────────────────────────────────────────────────",
        "1  rate-limiter                                   due by schedule          2025-03-03",
        "   coding",
        "   Implement a token-bucket rate limiter.",
        "2  url-shortener                                  due by schedule          2025-03-04",
        "   system-design",
        "   Design a URL shortener.",
        "3  top-k                                          weak last time (5.0/10)  2025-03-11",
        "   coding",
        "   Return the k most frequent words in a stream.",
        "4  news-feed                                      unseen                   now",
        "   system-design",
        "   Design a news feed.",
        "About 65 minutes. Run it:",
        "  drill acme backend --due --count 4",
    ]


def test_plan_json_shape(env):
    items = plan_json(env, "acme", "be", "--count", "5")
    assert [(i["id"], i["reason"], i["due"]) for i in items] == [
        ("rate-limiter", "due by schedule", "2025-03-03T20:01:00+00:00"),
        ("url-shortener", "due by schedule", "2025-03-04T20:00:00+00:00"),
        ("top-k", "weak last time (5.0/10)", "2025-03-11T20:01:00+00:00"),
        ("news-feed", "unseen", None),
        ("lru-cache", "ahead of schedule", items[4]["due"]),
    ]
    assert set(items[0]) == {"id", "company", "role", "round", "prompt", "due", "reason", "kind", "minutes",
                             "retrievability", "last_score"}
    assert items[2] == {"id": "top-k", "company": "acme", "role": "backend", "round": "coding",
                        "prompt": "Return the k most frequent words in a stream.", "due": "2025-03-11T20:01:00+00:00",
                        "reason": "weak last time (5.0/10)", "kind": "weak", "minutes": None,
                        "retrievability": items[2]["retrievability"], "last_score": 5.0}
    retrievability = [i["retrievability"] for i in items[:3]]
    assert retrievability == sorted(retrievability) and all(0 < r < 1 for r in retrievability)
    assert items[3]["retrievability"] is None and items[3]["minutes"] == 25.0


def test_weak_answer_before_unseen_in_plan(tmp_path):
    env = Env(tmp_path)
    from practice_helpers import T0, add_scored_session

    with env.store() as store:
        add_scored_session(store, env.bank(), {"news-feed": 1.0, "url-shortener": 9.5}, T0)
    items = plan_json(env, "-n", "3", now="2025-03-03T20:00:00+00:00")
    assert [(i["id"], i["reason"]) for i in items] == [
        ("news-feed", "weak last time (1.0/10)"), ("lru-cache", "unseen"), ("rate-limiter", "unseen")]


def test_plan_round_filter(env):
    items = plan_json(env, "acme", "backend", "--round", "system-design")
    assert [i["id"] for i in items] == ["url-shortener", "news-feed"]
    done = env.run("plan", "acme", "backend", "--round", "sytem-design")
    assert done.returncode == 2
    assert done.stderr == ("error: unknown round 'sytem-design' — did you mean 'system-design'? "
                           "(see: drill banks show acme backend)\n")
    started = env.run("plan", "acme", "backend", "--round", "sys")  # the start of one round's id
    assert (started.returncode, started.stderr) == (2, "error: unknown round 'sys' — did you mean 'system-design'? "
                                                       "(see: drill banks show acme backend)\n")


def test_plan_without_bank_uses_practised_banks_only(env):
    (env.banks / "globex").mkdir()
    (env.banks / "globex" / "platform.yaml").write_text(OTHER_BANK, encoding="utf-8")
    items = plan_json(env, "-n", "10")
    assert {(i["company"], i["role"]) for i in items} == {("acme", "backend")}
    # with no history at all, every bank is a candidate
    fresh = Env(env.root / "fresh")
    (fresh.banks / "globex").mkdir()
    (fresh.banks / "globex" / "platform.yaml").write_text(OTHER_BANK, encoding="utf-8")
    fresh.vars["DRILL_BANKS"] = str(fresh.banks)
    fresh.vars["DRILL_HOME"] = str(fresh.home)
    every = plan_json(fresh, "-n", "50")
    assert ("globex", "platform", "incident") in {(i["company"], i["role"], i["id"]) for i in every}
    done = fresh.run("plan", "-n", "50", extra={"DRILL_NOW": NOW})
    out = [line.strip() for line in done.stdout.splitlines()]  # (the built-in banks are there too)
    assert "acme/backend · coding" in out and "globex/platform · ops" in out  # each row names its bank
    assert "drill acme backend --due --count 5" in out and "drill globex platform --due --count 1" in out


def test_plan_errors(env):
    done = env.run("plan", "acme")
    assert (done.returncode, done.stderr) == (
        2, "error: give both COMPANY and ROLE, or neither — e.g. drill plan acme backend\n")
    done = env.run("plan", "acmee", "backend")
    assert (done.returncode, done.stderr) == (
        2, "error: unknown company 'acmee' — did you mean 'acme'? (see: drill banks list)\n")
    done = env.run("plan", "acme", "frontend")
    assert done.returncode == 2 and done.stderr.startswith("error: unknown role for Acme 'frontend'")


def test_question_index_is_cached_and_follows_edits(env):
    assert plan_json(env, "acme", "backend", "-n", "1")[0]["id"] == "rate-limiter"
    assert env.rows("SELECT COUNT(*) FROM bank_index WHERE summary IS NOT NULL")[0][0] >= 1
    bank_file = env.banks / "acme" / "backend.yaml"
    bank_file.write_text(bank_file.read_text().replace("Implement a token-bucket rate limiter.",
                                                       "Implement a sliding-window rate limiter."))
    assert plan_json(env, "acme", "backend", "-n", "1")[0]["prompt"] == "Implement a sliding-window rate limiter."


def test_question_index_matches_discover(env, monkeypatch):
    """The plan's cached index must find exactly the banks bank_loader.discover() finds."""
    from interview_cli.banks.loader import discover
    from interview_cli.history import index as question_index

    (env.banks / "globex").mkdir()
    (env.banks / "globex" / "platform.yaml").write_text(OTHER_BANK, encoding="utf-8")
    (env.banks / "globex" / "broken.yaml").write_text("company: [\n", encoding="utf-8")
    for key, value in env.vars.items():
        if key.startswith("DRILL_"):
            monkeypatch.setenv(key, value)
    with env.store() as store:
        indexed = question_index.load_index(store)
        again = question_index.load_index(store)
    found = discover()
    assert [(b.company_slug, b.role_slug) for b in indexed] == [(b.company_slug, b.role_slug) for b in found.banks]
    assert [(b.company_slug, b.role_slug) for b in again] == [(b.company_slug, b.role_slug) for b in indexed]
    for ours, theirs in zip(indexed, found.banks, strict=True):
        assert [(q["round"], q["id"]) for q in ours.questions] == [(r, q.id) for r, q in theirs.questions()]
        assert set(ours.role_names) == theirs.role_names


def test_plan_and_due_list_candidates_the_same_way(env, monkeypatch):
    """`drill plan` (the cached index) and `--due` (the loaded bank) build their candidates in one place."""
    from interview_cli.history import index as question_index
    from interview_cli.history import scheduling
    from interview_cli.history.index import IndexedBank

    for key, value in env.vars.items():
        if key.startswith("DRILL_"):
            monkeypatch.setenv(key, value)
    loaded = IndexedBank.from_bank(env.bank())
    with env.store() as store:
        assert [b for b in question_index.load_index(store) if b.company_slug == "acme"] == [loaded]
    assert [c.question_id for c in loaded.candidates("coding")] == ["lru-cache", "rate-limiter", "top-k"]
    assert not hasattr(scheduling, "candidates_from_bank") and not hasattr(question_index, "find")
