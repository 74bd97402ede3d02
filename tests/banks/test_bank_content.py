"""Content checks for the shipped question banks.

These tests read the YAML directly with ``yaml.safe_load`` so they do not
depend on the loader in ``interview_cli`` (bank format v1).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

BANKS_DIR = Path(__file__).resolve().parents[2] / "question_banks"
NETFLIX = BANKS_DIR / "netflix" / "backend.yaml"
GENERAL = BANKS_DIR / "general" / "backend.yaml"
ALL_BANKS = [NETFLIX, GENERAL]

TOP_KEYS = {"company", "role", "aliases", "about", "source", "topic_titles", "rounds"}
TOP_REQUIRED = {"company", "role", "rounds"}
ROUND_KEYS = {"title", "minutes", "about", "phases", "questions"}
QUESTION_KEYS = {
    "id",
    "prompt",
    "minutes",
    "topics",
    "level",
    "rubric",
    "follow_ups",
    "hints",
    "reference",
    "red_flags",
    "code",  # v1.1
    "reference_solution",  # v1.1
    "phases",
    "facts",
}
RUBRIC_DICT_KEYS = {"point", "weight"}

KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

NETFLIX_ROUNDS = {
    "recruiter-screen",
    "hiring-manager",
    "coding",
    "system-design",
    "behavioral",
}

SAMPLE_QUESTION_IDS = {
    "rate-limiter",
    "rest-vs-graphql",
    "production-db-migrations",
    "cap-theorem",
    "authn-authz",
    "error-handling-logging",
    "horizontal-vs-vertical-scaling",
    "microservices-tradeoffs",
    "securing-api-endpoint",
    "message-queues-event-driven",
}

CULTURE_TOPICS = {
    "accountability",
    "candor",
    "high-risk-judgment",
    "freedom-and-responsibility",
    "ambiguity",
    "past-impact",
}

SEED_TOPICS = {
    # design areas
    "global-cdn-delivery",
    "fault-tolerant-streaming",
    "personalization-pipelines",
    "low-latency-apis",
    # senior topics
    "region-failover",
    "resilience-patterns",
    "cost-vs-latency",
    "scaling-10x",
    # core topics
    "dsa",
    "api-design",
    "databases-indexing",
    "caching-queues",
    "concurrency",
    "system-design-at-scale",
    *CULTURE_TOPICS,
}

# Rubric points must be concrete content, not generic interview boilerplate.
GENERIC_PHRASES = [
    "communicates clearly",
    "communicates well",
    "clear communication",
    "good communication",
    "communication skills",
    "explains clearly",
    "thinks out loud",
    "team player",
    "good attitude",
    "shows enthusiasm",
    "is passionate",
    "good problem solving",
    "problem-solving skills",
    "asks good questions",
    "candidate should",
    "the candidate mentions",
    "mentions relevant",
    "structured answer",
    "well structured",
    "overall good",
]

# Expected (round minutes, allowed question-minute range) for the Netflix bank.
NETFLIX_TIMING = {
    "recruiter-screen": (15, (4, 6)),
    "hiring-manager": (30, (8, 12)),
    "coding": (45, (15, 25)),
    "system-design": (45, (35, 40)),
    "behavioral": (30, (8, 12)),
}


def _load(path: Path) -> dict:
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    assert isinstance(data, dict), f"{path} must be a mapping"
    return data


def _questions(bank: dict) -> list[tuple[str, dict]]:
    return [
        (round_id, q)
        for round_id, rnd in bank["rounds"].items()
        for q in rnd["questions"]
    ]


def _rubric_text(point) -> str:
    return point["point"] if isinstance(point, dict) else point


@pytest.fixture(scope="module")
def netflix() -> dict:
    return _load(NETFLIX)


@pytest.fixture(scope="module")
def general() -> dict:
    return _load(GENERAL)


@pytest.fixture(scope="module", params=ALL_BANKS, ids=lambda p: p.parent.name)
def bank(request) -> dict:
    return _load(request.param)


# --------------------------------------------------------------------------
# Schema: only the keys allowed by bank format v1.1


def test_bank_files_exist():
    for path in ALL_BANKS:
        assert path.is_file(), f"missing bank file {path}"


def test_only_allowed_keys(bank):
    assert set(bank) <= TOP_KEYS, f"unknown top-level keys: {set(bank) - TOP_KEYS}"
    assert TOP_REQUIRED <= set(bank)
    assert isinstance(bank["rounds"], dict) and bank["rounds"]
    for round_id, rnd in bank["rounds"].items():
        assert isinstance(rnd, dict), round_id
        extra = set(rnd) - ROUND_KEYS
        assert not extra, f"round {round_id}: unknown keys {extra}"
        assert {"title", "questions"} <= set(rnd), round_id
        for q in rnd["questions"]:
            extra = set(q) - QUESTION_KEYS
            assert not extra, f"question {q.get('id')}: unknown keys {extra}"
            assert {"id", "prompt", "rubric"} <= set(q), q.get("id")
            for point in q["rubric"]:
                if isinstance(point, dict):
                    extra = set(point) - RUBRIC_DICT_KEYS
                    assert not extra, f"{q['id']}: unknown rubric keys {extra}"
                    assert "point" in point, q["id"]
                else:
                    assert isinstance(point, str), f"{q['id']}: bad rubric {point!r}"


def test_field_types(bank):
    assert isinstance(bank["company"], str) and bank["company"].strip()
    assert isinstance(bank["role"], str) and bank["role"].strip()
    assert all(isinstance(a, str) for a in bank.get("aliases", []))
    for round_id, rnd in bank["rounds"].items():
        assert isinstance(rnd["title"], str) and rnd["title"].strip()
        assert isinstance(rnd.get("minutes"), int) and rnd["minutes"] > 0, round_id
        assert isinstance(rnd.get("about"), str) and rnd["about"].strip(), round_id
        assert rnd["questions"], f"round {round_id} has no questions"
        for q in rnd["questions"]:
            qid = q["id"]
            assert isinstance(q["prompt"], str) and q["prompt"].strip(), qid
            assert isinstance(q.get("minutes"), int) and q["minutes"] > 0, qid
            assert q.get("level") in {"mid", "senior"}, qid
            assert all(isinstance(t, str) for t in q.get("topics", [])), qid
            assert all(isinstance(s, str) for s in q["follow_ups"]), qid
            assert all(isinstance(s, str) for s in q["hints"]), qid
            if "reference" in q:
                assert isinstance(q["reference"], str) and q["reference"].strip(), qid
            for point in q["rubric"]:
                if isinstance(point, dict):
                    assert isinstance(point["point"], str) and point["point"].strip()
                    w = point.get("weight", 1)
                    assert isinstance(w, (int, float)) and w > 0, qid


# --------------------------------------------------------------------------
# Quality bar for every question in every bank


def test_ids_unique_and_kebab_case(bank):
    ids = [q["id"] for _, q in _questions(bank)]
    dupes = {i for i in ids if ids.count(i) > 1}
    assert not dupes, f"duplicate question ids: {dupes}"
    for qid in ids:
        assert KEBAB.match(qid), f"question id not kebab-case: {qid}"
    for round_id in bank["rounds"]:
        assert KEBAB.match(round_id), f"round id not kebab-case: {round_id}"
    for _, q in _questions(bank):
        for topic in q.get("topics", []):
            assert KEBAB.match(topic), f"{q['id']}: topic not kebab-case: {topic}"


def test_question_quality(bank):
    for _, q in _questions(bank):
        qid = q["id"]
        assert len(q["rubric"]) >= 4, f"{qid}: needs at least 4 rubric points"
        assert 1 <= len(q.get("follow_ups", [])) <= 3, f"{qid}: needs 1-3 follow-ups"
        assert len(q.get("hints", [])) >= 1, f"{qid}: needs a hint"
        assert q.get("minutes"), f"{qid}: needs minutes"
        assert q.get("topics"), f"{qid}: needs topics"
        assert q.get("reference"), f"{qid}: needs a reference answer"


def test_rubric_weights_used_sparingly(bank):
    for _, q in _questions(bank):
        weighted = [p for p in q["rubric"] if isinstance(p, dict) and p.get("weight", 1) > 1]
        assert 1 <= len(weighted) <= 2, f"{q['id']}: expected 1-2 weighted points"


def test_no_generic_rubric_points(bank):
    for _, q in _questions(bank):
        for point in q["rubric"]:
            text = _rubric_text(point).lower()
            for phrase in GENERIC_PHRASES:
                assert phrase not in text, f"{q['id']}: generic rubric point {text!r}"
            assert not text.startswith("candidate"), f"{q['id']}: meta rubric {text!r}"
            assert len(text.split()) >= 5, f"{q['id']}: rubric point too vague {text!r}"


def test_rubric_points_unique_within_question(bank):
    for _, q in _questions(bank):
        texts = [_rubric_text(p).strip().lower() for p in q["rubric"]]
        assert len(texts) == len(set(texts)), q["id"]


def test_every_question_has_distinct_specific_red_flags(bank):
    for _, q in _questions(bank):
        flags = [" ".join(f.split()).lower() for f in q.get("red_flags", [])]
        assert len(flags) >= 2, f"{q['id']}: needs at least two red flags"
        assert len(flags) == len(set(flags)), q["id"]
        rubric = {_rubric_text(p).strip().lower() for p in q["rubric"]}
        for flag in flags:
            assert len(flag.split()) >= 4, f"{q['id']}: red flag too vague {flag!r}"
            assert flag not in rubric, f"{q['id']}: red flag repeats a rubric point {flag!r}"


# --------------------------------------------------------------------------
# Netflix bank: coverage of the seed material


def test_netflix_identity(netflix):
    assert netflix["company"] == "Netflix"
    assert netflix["role"] == "Backend Engineer"
    assert {"backend", "backend-developer", "backend-engineer"} <= set(netflix["aliases"])
    source = netflix.get("source", "")
    assert "000_4fa2fa95ae123bfe" in source
    assert "001_10a56dc1aa0600cd" in source


def test_netflix_about(netflix):
    about = " ".join(netflix["about"].split()).lower()
    assert re.search(r"3\s*(?:-|–|to)\s*5 weeks", about), "about must mention 3-5 weeks"
    assert "culture memo" in about
    assert "five rounds" in about or "5 rounds" in about
    assert "senior bar" in about
    assert "leetcode" in about


def test_netflix_round_ids(netflix):
    assert set(netflix["rounds"]) == NETFLIX_ROUNDS
    assert "dream team" in netflix["rounds"]["behavioral"]["title"].lower()


def test_netflix_round_timing(netflix):
    for round_id, (round_minutes, (lo, hi)) in NETFLIX_TIMING.items():
        rnd = netflix["rounds"][round_id]
        assert rnd["minutes"] == round_minutes, round_id
        for q in rnd["questions"]:
            assert lo <= q["minutes"] <= hi, f"{round_id}/{q['id']}: {q['minutes']} min"


def test_netflix_default_question_counts(netflix):
    # The tool derives a default count from round minutes / typical question minutes.
    expected = {
        "recruiter-screen": 3,
        "hiring-manager": 3,
        "coding": 2,
        "system-design": 1,
        "behavioral": 3,
    }
    for round_id, count in expected.items():
        rnd = netflix["rounds"][round_id]
        minutes = sorted(q["minutes"] for q in rnd["questions"])
        typical = minutes[len(minutes) // 2]
        assert rnd["minutes"] // typical == count, round_id
        assert len(rnd["questions"]) >= count, round_id


def test_netflix_sample_questions_present(netflix):
    ids = {q["id"] for _, q in _questions(netflix)}
    missing = SAMPLE_QUESTION_IDS - ids
    assert not missing, f"missing sample questions: {missing}"


def test_netflix_rate_limiter_in_system_design(netflix):
    ids = {q["id"] for q in netflix["rounds"]["system-design"]["questions"]}
    assert "rate-limiter" in ids


def test_netflix_seed_topics_covered(netflix):
    tags = {t for _, q in _questions(netflix) for t in q.get("topics", [])}
    missing = SEED_TOPICS - tags
    assert not missing, f"seed topics without a question: {missing}"


def test_netflix_culture_topics_in_people_rounds(netflix):
    people_rounds = {"behavioral", "recruiter-screen", "hiring-manager"}
    tags = {
        t
        for round_id, q in _questions(netflix)
        if round_id in people_rounds
        for t in q.get("topics", [])
    }
    assert CULTURE_TOPICS <= tags
    behavioral_tags = {
        t for q in netflix["rounds"]["behavioral"]["questions"] for t in q.get("topics", [])
    }
    assert CULTURE_TOPICS - {"past-impact"} <= behavioral_tags


def shown_topics(path):
    """The built-in bank at `path` and how each topic its questions use reads; no title for an unused topic."""
    from interview_cli.banks.loader import load_bank

    bank = load_bank(path)
    used = {t for _, q in bank.questions() for t in q.topics}
    assert set(bank.topic_titles) <= used, "a title for a topic no question has"
    return bank, {t: bank.topic_title(t) for t in used}


def test_netflix_topics_read_as_titles_and_fit_their_questions():
    bank, shown = shown_topics(NETFLIX)
    assert shown["dsa"] == "Data structures & algorithms" and shown["caching-queues"] == "Caching & queues"
    assert shown["consistency"] == "Consistency" and shown["api-design"] == "API design"
    topics = {q.id: q.topics for _, q in bank.questions()}
    assert topics["cap-theorem"] == ["consistency", "system-design-at-scale"]  # not "databases indexing"
    assert "observability" in topics["playback-telemetry-ingestion"]  # telemetry, not video streaming


def test_netflix_question_count(netflix):
    assert len(_questions(netflix)) >= 40


# --------------------------------------------------------------------------
# General bank


def test_general_identity(general):
    assert general["company"] == "General"
    assert general["role"] == "Backend Engineer"
    assert {"backend", "backend-developer", "backend-engineer"} <= set(general["aliases"])
    assert {"system-design", "coding", "behavioral"} <= set(general["rounds"])


def test_general_question_count(general):
    assert len(_questions(general)) >= 20


def test_banks_do_not_share_questions(netflix, general):
    netflix_ids = {q["id"] for _, q in _questions(netflix)}
    general_ids = {q["id"] for _, q in _questions(general)}
    assert not netflix_ids & general_ids, netflix_ids & general_ids

    def norm(text: str) -> str:
        return " ".join(text.lower().split())

    netflix_prompts = {norm(q["prompt"]) for _, q in _questions(netflix)}
    general_prompts = {norm(q["prompt"]) for _, q in _questions(general)}
    assert not netflix_prompts & general_prompts


def test_every_coding_question_has_tests_a_reference_and_a_complexity(bank):
    """Bank format v1.1 content: 2-4 visible and 5-10 hidden tests, a reference solution, a complexity."""
    for q in bank["rounds"]["coding"]["questions"]:
        code = q.get("code")
        assert code, f"{q['id']}: no code block"
        assert 2 <= len(code["tests"]) <= 4, q["id"]
        assert 5 <= len(code["hidden_tests"]) <= 10, q["id"]
        assert q.get("reference_solution") and code.get("complexity") and code.get("signature"), q["id"]
def test_system_design_rounds_have_phases_and_every_question_facts(bank):
    rnd = bank["rounds"]["system-design"]
    assert [p["id"] for p in rnd["phases"]] == ["requirements", "api-and-data", "high-level-design",
                                                "deep-dive", "wrap-up"]
    assert sum(p["minutes"] for p in rnd["phases"]) <= rnd["minutes"]
    for q in rnd["questions"]:
        assert len(q["facts"]) >= 6, q["id"]
        for fact in q["facts"]:
            assert set(fact) == {"topic", "answer"}, q["id"]
            assert fact["answer"].strip()


def test_general_topics_read_as_titles():
    from interview_cli.banks.snapshot import title_case

    _, shown = shown_topics(GENERAL)
    assert shown["caching-queues"] == "Caching & queues" and shown["low-latency-apis"] == "Low-latency APIs"
    assert shown["concurrency"] == "Concurrency"  # a one-word id needs no title
    assert [title_case(t) for t in ("low-latency-apis", "ids-and-urls", "os")] == [
        "Low latency APIs", "IDs and URLs", "OS"]  # plural acronyms, in a bank without titles
