"""How well the offline scorer agrees with an interviewer's grades.

usage: python benchmarks/calibrate.py [CALIBRATION_DIR]   (default: ../shared/calibration from the repo root)

Prints the Spearman correlation with the grades, a question x variant table of scores with a
check per question (excellent > good > mediocre > poor; adversarial and padded answers no higher
than mediocre), and the adversarial means against the mediocre mean. Always exits 0: it is a report.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from calibration import (  # noqa: E402
    BASELINE,
    QUALITY_LADDER,
    CalibrationReport,
    evaluate,
    load_calibration,
)

from interview_cli.scoring.offline.scorer import OfflineScorer  # noqa: E402

DEFAULT_DIR = REPO.parent / "shared" / "calibration"
SPEARMAN_TARGET = 0.80
PASS, FAIL = "✓", "✗"


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else DEFAULT_DIR
    if not (folder / "grades.yaml").is_file():
        print(f"no calibration set at {folder} (expected grades.yaml there)")
        return 0
    started = time.perf_counter()
    try:
        report = evaluate(OfflineScorer(), load_calibration(folder))
    except Exception as exc:  # a report, not a gate: say what went wrong and exit 0
        print(f"could not evaluate {folder}: {exc.__class__.__name__}: {exc}")
        return 0
    elapsed = time.perf_counter() - started
    print(f"calibration set: {folder}")
    print(f"scored {len(report.scores)} answers in {elapsed:.1f} s (model load included)\n")
    verdict = PASS if report.spearman >= SPEARMAN_TARGET else FAIL
    print(f"Spearman vs grades: {report.spearman:.3f} {verdict} (target >= {SPEARMAN_TARGET})\n")
    print_table(report)
    print()
    print_means(report)
    return 0


def print_table(report: CalibrationReport) -> None:
    width = max(len(q) for q in report.question_ids)
    header = f"{'question':<{width}}  " + " ".join(f"{v:>{_col(v)}}" for v in report.variants) + "  ladder  adversarial"
    print(header)
    print("-" * len(header))
    for q in report.question_ids:
        cells = " ".join(f"{report.scores[v, q]:>{_col(v)}.1f}" for v in report.variants)
        ladder = PASS if report.ladder_ok[q] else FAIL
        adversarial = PASS if report.adversarial_ok[q] else FAIL
        print(f"{q:<{width}}  {cells}  {ladder:^6}  {adversarial:^11}")
    ladder_passes = sum(report.ladder_ok.values())
    adversarial_passes = sum(report.adversarial_ok.values())
    n = len(report.question_ids)
    print(f"\n{' > '.join(QUALITY_LADDER)} on {ladder_passes}/{n} questions")
    print(f"adversarial and padded <= {BASELINE} on {adversarial_passes}/{n} questions")


def _col(variant: str) -> int:
    return max(9, len(variant))


def print_means(report: CalibrationReport) -> None:
    width = max(len(v) for v in report.variants)
    print("mean score per variant:")
    for v in report.variants:
        print(f"  {v:<{width}} {report.mean(v):4.2f}")
    baseline = report.mean(BASELINE)
    print(f"\nadversarial means vs {BASELINE} mean ({baseline:.2f}):")
    for v in report.adversarial_variants:
        mean = report.mean(v)
        print(f"  {v:<{width}} {mean:4.2f} {PASS if mean <= baseline else FAIL}")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
