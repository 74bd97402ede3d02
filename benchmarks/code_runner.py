"""Code runner speed: /run to results for a 5-test question, and 10 submissions of the Netflix coding round.

Each figure is measured with bubblewrap (when it works here) and without it (rlimits and the
in-process guards only). A "submission of the round" runs every Netflix coding question's
reference solution against all its tests, hidden ones included, one question after another.

Run: .venv/bin/python benchmarks/code_runner.py [RUNS]
"""

from __future__ import annotations

import statistics
import sys
import time

from interview_cli.banks.loader import discover
from interview_cli.coding import CodeTask, isolation, run_code
from interview_cli.rounds.coding import code_task

GOALS = {True: 0.30, False: 0.15}  # seconds from /run to results, with and without bubblewrap


def netflix_coding_questions():
    bank = discover().find("netflix", "backend")
    return [q for q in bank.round("coding").questions if q.code is not None and q.reference_solution]


def five_test_task(question) -> CodeTask:
    task = code_task(question)
    return CodeTask(task.entry, task.tests[:5], task.compare, task.time_limit_s, task.language)


def seconds(runs: int, action) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        out.append(time.perf_counter() - start)
    return out


def describe(times: list[float]) -> str:
    ordered = sorted(times)
    p90 = ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]
    return f"median {statistics.median(times) * 1000:6.1f} ms, p90 {p90 * 1000:6.1f} ms"


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    questions = netflix_coding_questions()
    sample = next(q for q in questions if q.id == "merge-viewing-intervals")
    task = five_test_task(sample)
    modes = [True, False] if isolation().available else [False]
    if not isolation().available:
        print(f"bubblewrap unavailable: {isolation().reason}")
    for isolated in modes:
        name = "bubblewrap" if isolated else "rlimits only"
        report = run_code(task, sample.reference_solution, isolate=isolated)
        assert report.all_passed, report
        times = seconds(runs, lambda: run_code(task, sample.reference_solution, isolate=isolated))
        verdict = "meets" if statistics.median(times) <= GOALS[isolated] else "misses"
        print(f"/run, 5 tests ({name:12s}): {describe(times)}  ({verdict} the {GOALS[isolated] * 1000:.0f} ms goal)")
    tests = sum(len(code_task(q).tests) for q in questions)
    for isolated in modes:
        name = "bubblewrap" if isolated else "rlimits only"
        per_round = seconds(10, lambda: [run_code(code_task(q), q.reference_solution, isolate=isolated)
                                         for q in questions])
        print(f"Netflix coding round, {len(questions)} questions / {tests} tests, 10 submissions ({name:12s}): "
              f"{describe(per_round)} per submission, {statistics.median(per_round) / len(questions) * 1000:.0f} ms "
              "per question")


if __name__ == "__main__":
    main()
