"""A 10,000-question bank: how long loading it and looking up answered questions take.

Issue 11 (#6): Bank.find_question rebuilt the question list on every call, so an --answers run
of 1,000 answers took 57 s and 3,000 took 2 min 12 s. It now builds an index once.

    .venv/bin/python benchmarks/large_bank.py [--questions 10000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from interview_cli.banks.loader import load_bank
from interview_cli.rounds.session import questions_for_answers


def write_bank(folder: Path, count: int) -> Path:
    lines = ["company: Big", "role: Backend", "rounds:", "  coding:", "    title: Coding", "    questions:"]
    lines += [f"      - {{id: q{i}, prompt: Question {i}?, topics: [t{i % 50}], rubric: [point {i}]}}"
              for i in range(count)]
    path = folder / "big" / "backend.yaml"
    path.parent.mkdir(parents=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = write_bank(Path(tmp), args.questions)
        started = time.perf_counter()
        bank = load_bank(path)
        print(f"load a {args.questions:,}-question bank: {time.perf_counter() - started:.2f} s")
        for answers in (1_000, 3_000):
            ids = [f"q{(i * 7) % args.questions}" for i in range(answers)]
            bank = load_bank(path)  # a fresh bank: the index is built inside the timing
            started = time.perf_counter()
            questions_for_answers(bank, None, ids)
            print(f"look up {answers:,} answered questions: {time.perf_counter() - started:.3f} s")


if __name__ == "__main__":
    main()
