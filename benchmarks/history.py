"""How fast `drill stats` and `drill plan` are over a year of heavy practice.

Fills a fresh DRILL_HOME with 10,000 scored sessions (3-5 questions each, spread over the
past year, with scores, reviews and FSRS cards), written through Store in one transaction,
then times the commands as real subprocesses: the median of 5 runs each (after one
warm-up run, which also fills the plan's bank index). Goal: <= 0.3 s each.

    .venv/bin/python benchmarks/history.py              # print the figures
    .venv/bin/python benchmarks/history.py --check      # exit 1 if a goal is missed
    .venv/bin/python benchmarks/history.py --sessions 2000 --keep /tmp/drill-bench
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

GOAL_SECONDS = 0.3
DRILL = str(Path(sys.executable).with_name("drill"))
TOPICS = ["caching", "databases", "concurrency", "networking", "api-design", "queues", "storage", "consistency",
          "observability", "security", "data-structures", "scaling"]
ROUNDS = {"coding": 12, "system-design": 10, "behavioral": 8, "debugging": 10}


def write_bank(folder: Path) -> Path:
    """A 40-question bank (Benchco / Backend) in the user banks folder."""
    import yaml

    rng = random.Random(7)
    rounds = {}
    for round_id, count in ROUNDS.items():
        rounds[round_id] = {
            "title": round_id.replace("-", " ").capitalize(),
            "minutes": 45,
            "questions": [
                {
                    "id": f"{round_id}-q{n:02d}",
                    "prompt": f"Question {n} of the {round_id} round: explain how you would approach it.",
                    "minutes": rng.choice([5, 10, 15]),
                    "topics": rng.sample(TOPICS, 2),
                    "rubric": ["names the core idea", "discusses a trade-off", "gives a concrete example"],
                }
                for n in range(1, count + 1)
            ],
        }
    path = folder / "benchco" / "backend.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump({"company": "Benchco", "role": "Backend", "rounds": rounds}, sort_keys=False))
    return path


def fill(home: Path, sessions: int) -> dict[str, int]:
    os.environ["DRILL_HOME"] = str(home)
    from interview_cli.banks.loader import load_bank
    from interview_cli.history import scheduling
    from interview_cli.history.db import Store

    bank = load_bank(write_bank(home / "banks"))
    rng = random.Random(42)
    now = datetime.now(UTC).replace(microsecond=0)
    start = now - timedelta(days=365)
    skill = {q.id: rng.uniform(2, 8) for _, q in bank.questions()}
    by_round = {rid: [q for r, q in bank.questions() if r == rid] for rid in bank.rounds}
    with Store() as store, store.transaction() as db:
        for index in range(sessions):
            at = start + timedelta(seconds=int(365 * 86400 * index / sessions) + rng.randint(0, 3000))
            round_id = rng.choice(list(by_round))
            questions = rng.sample(by_round[round_id], rng.randint(3, 5))
            sid = f"{index:08x}"
            scores = []
            for q in questions:
                progress = index / sessions * 2.5  # practice helps
                scores.append(round(max(0.0, min(10.0, rng.gauss(skill[q.id] + progress, 1.8))), 1))
            overall = round(sum(scores) / len(scores), 1)
            iso = at.isoformat()
            db.execute(
                "INSERT INTO sessions (id, company, role, company_slug, role_slug, round, round_title, bank_path,"
                " plan, started_at, finished_at, status, scorer, overall, options) VALUES"
                " (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (sid, bank.company, bank.role, bank.company_slug, bank.role_slug, round_id,
                 bank.rounds[round_id].title, str(bank.path), json.dumps([q.id for q in questions]), iso,
                 (at + timedelta(minutes=40)).isoformat(), "scored", "offline", overall, "{}"),
            )
            for position, (q, score) in enumerate(zip(questions, scores, strict=True)):
                answered = (at + timedelta(minutes=8 * position + 8)).isoformat()
                db.execute(
                    "INSERT INTO answers (session_id, position, question_id, kind, prompt, answer, seconds,"
                    " submitted_at) VALUES (?,?,?,?,?,?,?,?)",
                    (sid, position, q.id, "main", q.prompt, "An answer of a few sentences. " * 8, 480.0, answered),
                )
                db.execute(
                    "INSERT INTO scores (session_id, position, question_id, scorer, rubric_version, score, max_score,"
                    " points, feedback, scored_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (sid, position, q.id, "offline", "bench", score, 10.0,
                     json.dumps([{"point": p.point, "weight": 1.0, "covered": score >= 5} for p in q.rubric]),
                     "Feedback.", answered),
                )
                db.execute(
                    "INSERT INTO reviews (session_id, position, company_slug, role_slug, question_id, round, topics,"
                    " score, rating, reviewed_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (sid, position, bank.company_slug, bank.role_slug, q.id, round_id, json.dumps(q.topics), score,
                     int(scheduling.rating_for(score)), answered),
                )
        for _, q in bank.questions():
            scheduling.rebuild_card(db, bank.company_slug, bank.role_slug, q.id)
        counts = {t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                  for t in ("sessions", "answers", "scores", "reviews", "cards")}
    return counts


def timed(args: list[str], env: dict, runs: int) -> tuple[float, float, float]:
    """(median wall seconds, median CPU seconds of the child, the warm-up run's wall seconds)."""
    import resource

    walls, cpus = [], []
    for _ in range(runs + 1):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run([DRILL, *args], env=env, capture_output=True, text=True)
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if done.returncode != 0:
            raise SystemExit(f"drill {' '.join(args)} failed: {done.stderr.strip()}")
    return statistics.median(walls[1:]), statistics.median(cpus[1:]), walls[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="fill this DRILL_HOME and keep it (default: a temp dir)")
    parser.add_argument("--check", action="store_true", help=f"exit 1 if stats or plan take over {GOAL_SECONDS} s")
    args = parser.parse_args()

    home = args.keep or Path(tempfile.mkdtemp(prefix="drill-bench-"))
    if home.exists() and any(home.iterdir()):
        shutil.rmtree(home)
    home.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    counts = fill(home, args.sessions)
    print(f"filled {home} in {time.perf_counter() - started:.1f} s: "
          + ", ".join(f"{n} {table}" for table, n in counts.items()))
    env = {k: v for k, v in os.environ.items() if not k.startswith("DRILL_")}
    env.update({"DRILL_HOME": str(home), "NO_COLOR": "1", "COLUMNS": "100"})
    results = {}
    for name, argv in (("drill --help", ["--help"]),
                       ("drill stats", ["stats"]),
                       ("drill stats --json", ["stats", "--json"]),
                       ("drill plan", ["plan"]),
                       ("drill plan benchco backend --count 10", ["plan", "benchco", "backend", "--count", "10"]),
                       ("drill history", ["history"])):
        median, cpu, first = timed(argv, env, args.runs)
        results[name] = median
        print(f"{name:40s} median {median * 1000:5.0f} ms  (CPU {cpu * 1000:4.0f} ms; first run {first * 1000:4.0f} ms)")
    print(f"load average while measuring: {', '.join(f'{x:.2f}' for x in os.getloadavg())} "
          f"(on {os.cpu_count()} CPUs; wall times grow with other work, CPU times much less)")
    if not args.keep:
        shutil.rmtree(home, ignore_errors=True)
    missed = [n for n in ("drill stats", "drill plan") if results[n] > GOAL_SECONDS]
    if missed:
        print(f"over the {GOAL_SECONDS} s goal: {', '.join(missed)}")
    return 1 if (missed and args.check) else 0


if __name__ == "__main__":
    sys.exit(main())
