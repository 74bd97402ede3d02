"""Shared helpers for the practice tests (history, report, stats, plan, export/import, FSRS).

Every test gets its own DRILL_HOME and a tiny bank of its own (DRILL_BANKS), so nothing
depends on the built-in banks or on the default scorer. Runs that need scores go through
`drill_fake`: the real CLI entry point in a real process, with the deterministic FakeScorer
(a rubric point counts when its first word appears in the answer) in place of the default.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

DRILL = str(Path(sys.executable).with_name("drill"))

BANK_YAML = """\
company: Acme
role: Backend
aliases: [be]
rounds:
  coding:
    title: Coding
    minutes: 30
    questions:
      - id: lru-cache
        prompt: Design an LRU cache with O(1) get and put.
        minutes: 10
        topics: [data-structures, caching]
        rubric: [hashmap plus doubly linked list, eviction of the least recently used entry, constant time operations]
      - id: rate-limiter
        prompt: Implement a token-bucket rate limiter.
        minutes: 10
        topics: [concurrency, api-design]
        rubric: [token bucket refills at a fixed rate, atomic updates under concurrency]
      - id: top-k
        prompt: Return the k most frequent words in a stream.
        topics: [data-structures, streaming]
        rubric: [heap of size k, counting with a hashmap]
  system-design:
    title: System design
    minutes: 45
    questions:
      - id: url-shortener
        prompt: Design a URL shortener.
        minutes: 20
        topics: [storage, caching]
        rubric: [base62 ids, cache hot links, replication for reads]
      - id: news-feed
        prompt: Design a news feed.
        minutes: 25
        topics: [fanout, storage]
        rubric: [fanout on write versus read, ranking, pagination]
"""

# The FakeScorer covers a point when the point's first word is in the answer.
STRONG = {
    "lru-cache": "A hashmap plus a doubly linked list; eviction drops the tail; constant time for both.",
    "rate-limiter": "A token bucket refilled on a timer, with atomic compare-and-swap updates.",
    "top-k": "Keep a heap of size k while counting words in a dict.",
    "url-shortener": "base62 ids, cache the hot links, replication for read traffic.",
    "news-feed": "fanout on write for most users, ranking by recency, pagination with cursors.",
}
WEAK = {qid: "I am not sure." for qid in STRONG}

FAKE_DRILL = (
    "import sys\n"
    "from fake_scorer import FakeScorer\n"
    "from interview_cli.__main__ import main\n"
    "from interview_cli.cli.environment import Environment\n"
    "sys.argv[0] = 'drill'\n"
    "main(env=Environment(make_scorer=lambda options, progress: FakeScorer()))\n"
)


class Env:
    """A DRILL_HOME with the test bank, and ways to run drill against it."""

    def __init__(self, root: Path):
        self.root = root
        self.home = root / "home"
        self.banks = root / "banks"
        (self.banks / "acme").mkdir(parents=True, exist_ok=True)
        (self.banks / "acme" / "backend.yaml").write_text(BANK_YAML, encoding="utf-8")
        self.home.mkdir(parents=True, exist_ok=True)
        self.vars = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DRILL_", "COLUMNS", "LINES"))},
            "DRILL_HOME": str(self.home),
            "DRILL_BANKS": str(self.banks),
            "TZ": "UTC",
            "NO_COLOR": "1",
            "COLUMNS": "100",
        }

    @property
    def db_path(self) -> Path:
        return self.home / "drill.db"

    def run(self, *args: str, input: str | None = None, extra: dict | None = None,
            timeout: float = 60) -> subprocess.CompletedProcess:
        return subprocess.run([DRILL, *args], env={**self.vars, **(extra or {})}, input=input or "",
                              capture_output=True, text=True, timeout=timeout, cwd=self.root)

    def run_fake(self, *args: str, input: str | None = None, extra: dict | None = None,
                 timeout: float = 60) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-c", FAKE_DRILL, *args], env={**self.vars, **(extra or {})},
                              input=input or "", capture_output=True, text=True, timeout=timeout, cwd=self.root)

    def answers_file(self, answers: dict[str, str], name: str = "answers.yaml") -> Path:
        import yaml

        path = self.root / name
        path.write_text(yaml.safe_dump(answers, sort_keys=False), encoding="utf-8")
        return path

    def drill_round(self, answers: dict[str, str], *extra_args: str, name: str = "answers.yaml") -> dict:
        """Run `drill acme backend --answers FILE --json` with the fake scorer; return its JSON."""
        path = self.answers_file(answers, name)
        done = self.run_fake("acme", "backend", "--answers", str(path), "--json", *extra_args)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    def rows(self, sql: str, args: tuple = ()) -> list[tuple]:
        db = sqlite3.connect(self.db_path)
        try:
            return [tuple(r) for r in db.execute(sql, args)]
        finally:
            db.close()

    def store(self):
        from interview_cli.history.db import Store

        return Store(self.db_path)

    def bank(self):
        from interview_cli.banks.loader import load_bank

        return load_bank(self.banks / "acme" / "backend.yaml")


def iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="seconds")


def add_scored_session(store, bank, scores: dict[str, float], at: datetime, round_id: str | None = None,
                       session_id: str | None = None, record: bool = True) -> str:
    """A finished session answered at `at` with exactly these scores, written through Store and runner."""
    from interview_cli.history import scheduling
    from interview_cli.scoring.base import AnswerScore, PointResult

    questions = [bank.find_question(qid) for qid in scores]
    round_id = round_id or (questions[0][0] if len({r for r, _ in questions}) == 1 else "mixed")
    sid = store.create_session(
        company=bank.company, role=bank.role, company_slug=bank.company_slug, role_slug=bank.role_slug,
        round_id=round_id, round_title=round_id.capitalize(), bank_path=str(bank.path), plan=list(scores),
        session_id=session_id, started_at=iso(at),
    )
    results = []
    for position, (qid, score) in enumerate(scores.items()):
        question = questions[position][1]
        store.add_answer(sid, position=position, question_id=qid, kind="main", prompt=question.prompt,
                         answer=f"answer to {qid}", submitted_at=iso(at + timedelta(minutes=position)))
        points = tuple(PointResult(p.point, p.weight, score >= 5) for p in question.rubric)
        results.append((position, AnswerScore(qid, score, points, "Feedback.", "fake", "fake-1")))
    overall = round(sum(s for s in scores.values()) / len(scores), 1)
    store.save_scores(sid, results, overall, "fake")
    if record:
        scheduling.record_reviews(store, sid, bank)
    return sid


T0 = datetime(2025, 3, 1, 20, 0, tzinfo=UTC)
NOW = "2025-03-13T20:00:00+00:00"  # DRILL_NOW for the seeded history


def seed_history(env: Env) -> None:
    """Three scored sessions and one unfinished one, 1-12 March 2025 (UTC)."""
    bank = env.bank()
    with env.store() as store:
        add_scored_session(store, bank, {"lru-cache": 2.0, "rate-limiter": 6.5}, T0, session_id="aaaa0001")
        add_scored_session(store, bank, {"url-shortener": 7.0}, T0 + timedelta(days=1), session_id="aaaa0002")
        add_scored_session(store, bank, {"lru-cache": 8.0, "top-k": 5.0}, T0 + timedelta(days=9),
                           session_id="aaaa0003")
        store.create_session(company="Acme", role="Backend", company_slug="acme", role_slug="backend",
                             round_id="coding", round_title="Coding", bank_path=None, plan=["lru-cache", "top-k"],
                             session_id="bbbb0001", started_at="2025-03-12T08:00:00+00:00")
        store.add_answer("bbbb0001", position=0, question_id="lru-cache", kind="main", prompt="p", answer="a",
                         submitted_at="2025-03-12T08:01:00+00:00")
        store.set_status("bbbb0001", "unfinished")


def lines(text: str) -> list[str]:
    """Output lines without trailing padding (rich pads table rows to the table's width)."""
    return [line.rstrip() for line in text.splitlines()]
