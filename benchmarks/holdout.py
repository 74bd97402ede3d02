"""The offline scorer on interview answers that no fit has seen: benchmarks/holdout/.

usage: python benchmarks/holdout.py [--answers]

benchmarks/holdout/ holds a bank of 4 questions that are not in the shared data (notification fan-out,
an API rate limiter, a disagreement with a teammate, a linked-list cycle), each with red flags written
from its rubric before any answer, the same 10 answer sets as the shared calibration set (40 answers)
and an interviewer's grades written before any answer was scored. Nothing here is used by
fit_offline.py. Prints the calibration figures for these answers with the shipped coefficients, the red
flags said, and every answer scored more than 3 points from its grade (--answers: with its breakdown).
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

import yaml  # noqa: E402

from calibrate import AT_MOST_MEDIOCRE, QUALITY_LADDER, spearman  # noqa: E402
from interview_cli.banks.loader import load_bank  # noqa: E402
from interview_cli.scoring.offline.scorer import OfflineScorer  # noqa: E402

HOLDOUT = REPO / "benchmarks" / "holdout"
SETS = ("excellent", "good", "mediocre", "poor", "stuffed", "injection", "offtopic", "paraphrase", "shortcorrect",
        "fluentwrong")
FAR = 3.0


def main(argv: list[str]) -> int:
    bank = load_bank(HOLDOUT / "bank" / "acme" / "backend.yaml")
    questions = {q.id: q for _, q in bank.questions()}
    grades = yaml.safe_load((HOLDOUT / "grades.yaml").read_text(encoding="utf-8"))
    scorer = OfflineScorer()
    judged = {}
    for variant in SETS:
        answers = yaml.safe_load((HOLDOUT / "answers" / f"{variant}.yaml").read_text(encoding="utf-8"))
        for qid, question in questions.items():
            judged[variant, qid] = (float(grades[variant][qid]), scorer.judge(question, answers[qid]))
    pairs = list(judged.values())
    rho = spearman([j.score for _, j in pairs], [g for g, _ in pairs])
    print(f"Hold-out: {len(pairs)} answers to {len(questions)} questions no fit has seen; shipped coefficients")
    print(f"  Spearman {rho:.3f} (calibration target >= 0.80)\n")
    width = max(len(q) for q in questions)
    print(f"  {'set':<12} " + " ".join(f"{q[:14]:>14}" for q in questions) + "    mean  graded")
    means = {}
    for variant in SETS:
        scores = [judged[variant, q][1].score for q in questions]
        means[variant] = statistics.fmean(scores)
        graded = statistics.fmean(judged[variant, q][0] for q in questions)
        print(f"  {variant:<12} " + " ".join(f"{s:>14.1f}" for s in scores) + f"  {means[variant]:6.2f}  {graded:6.2f}")
    ladder = sum(all(a > b for a, b in zip(row, row[1:], strict=False))
                 for row in ([judged[v, q][1].score for v in QUALITY_LADDER] for q in questions))
    print(f"\n  {' > '.join(QUALITY_LADDER)} on {ladder}/{len(questions)} questions")
    print(f"  paraphrase mean {means['paraphrase']:.2f} vs excellent {means['excellent']:.2f}: "
          f"gap {means['excellent'] - means['paraphrase']:.2f}")
    for variant in AT_MOST_MEDIOCRE:
        print(f"  {variant:<12} mean {means[variant]:.2f} vs mediocre {means['mediocre']:.2f}")
    print("\nRed flags said:")
    for (variant, qid), (_, judgement) in judged.items():
        for flag in judgement.red_flags:
            print(f"  {variant}/{qid}: {flag.point}\n      said by: {flag.evidence}")
    print(f"\nScored more than {FAR:.0f} points from the grade:")
    for (variant, qid), (grade, judgement) in judged.items():
        if abs(judgement.score - grade) > FAR:
            print(f"  {variant}/{qid}: graded {grade:.1f}, scored {judgement.score:.1f}")
            if "--answers" in argv:
                print(f"      {judgement.breakdown}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
