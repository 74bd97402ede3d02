"""The offline scorer on interview answers that no fit has seen: benchmarks/holdout/set-*/.

usage: python benchmarks/holdout.py [--answers]

Each set holds a bank of 4 questions that are not in the shared data, with red flags written from the
rubric before any answer, the same 10 answer sets as the shared calibration set (40 answers) and an
interviewer's grades written before any answer was scored. set-1 (notification fan-out, an API rate
limiter, a disagreement with a teammate, a linked-list cycle) was read while offline-5 was made; set-2
(search-as-you-type, a key-value store, mentoring, a build order by topological sort) was written
afterwards and scored once, unchanged. Nothing here is used by fit_offline.py. Prints, per set and for
both together, the calibration figures with the shipped coefficients, the red flags said, and every
answer scored more than 3 points from its grade (--answers: with its breakdown).
"""

from __future__ import annotations

import itertools
import statistics
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

import yaml
from calibrate import AT_MOST_MEDIOCRE, QUALITY_LADDER, spearman

from interview_cli.banks.loader import load_bank
from interview_cli.scoring.offline.scorer import OfflineScorer

HOLDOUT = REPO / "benchmarks" / "holdout"
SETS = ("excellent", "good", "mediocre", "poor", "stuffed", "injection", "offtopic", "paraphrase", "shortcorrect",
        "fluentwrong")
FAR = 3.0


def main(argv: list[str]) -> int:
    scorer = OfflineScorer()
    everything: dict = {}
    for folder in sorted(p for p in HOLDOUT.iterdir() if p.is_dir()):
        judged = judge_set(folder, scorer)
        report(folder.name, judged, "--answers" in argv)
        everything.update({(folder.name, *key): value for key, value in judged.items()})
    pairs = list(everything.values())
    rho = spearman([j.score for _, j in pairs], [g for g, _ in pairs])
    print(f"All sets: {len(pairs)} answers, Spearman {rho:.3f}")
    return 0


def judge_set(folder: Path, scorer: OfflineScorer) -> dict:
    """{(answer set, question id): (grade, judgement)} for one hold-out set."""
    (bank_file,) = sorted((folder / "bank").rglob("*.yaml"))
    questions = {q.id: q for _, q in load_bank(bank_file).questions()}
    grades = yaml.safe_load((folder / "grades.yaml").read_text(encoding="utf-8"))
    judged = {}
    for variant in SETS:
        answers = yaml.safe_load((folder / "answers" / f"{variant}.yaml").read_text(encoding="utf-8"))
        for qid, question in questions.items():
            judged[variant, qid] = (float(grades[variant][qid]), scorer.judge(question, answers[qid]))
    return judged


def report(name: str, judged: dict, with_breakdown: bool) -> None:
    questions = list(dict.fromkeys(qid for _, qid in judged))
    pairs = list(judged.values())
    rho = spearman([j.score for _, j in pairs], [g for g, _ in pairs])
    print(f"Hold-out {name}: {len(pairs)} answers to {len(questions)} questions no fit has seen; shipped coefficients")
    print(f"  Spearman {rho:.3f} (calibration target >= 0.80)\n")
    print(f"  {'set':<12} " + " ".join(f"{q[:14]:>14}" for q in questions) + "    mean  graded")
    means = {}
    for variant in SETS:
        scores = [judged[variant, q][1].score for q in questions]
        means[variant] = statistics.fmean(scores)
        graded = statistics.fmean(judged[variant, q][0] for q in questions)
        print(f"  {variant:<12} " + " ".join(f"{s:>14.1f}" for s in scores) + f"  {means[variant]:6.2f}  {graded:6.2f}")
    ladder = sum(all(a > b for a, b in itertools.pairwise(row))
                 for row in ([judged[v, q][1].score for v in QUALITY_LADDER] for q in questions))
    print(f"\n  {' > '.join(QUALITY_LADDER)} on {ladder}/{len(questions)} questions")
    print(f"  paraphrase mean {means['paraphrase']:.2f} vs excellent {means['excellent']:.2f}: "
          f"gap {means['excellent'] - means['paraphrase']:.2f}")
    for variant in AT_MOST_MEDIOCRE:
        print(f"  {variant:<12} mean {means[variant]:.2f} vs mediocre {means['mediocre']:.2f}")
    print("\n  Red flags said:")
    for (variant, qid), (_, judgement) in judged.items():
        for flag in judgement.red_flags:
            print(f"    {variant}/{qid}: {flag.point}\n        said by: {flag.evidence}")
    print(f"\n  Scored more than {FAR:.0f} points from the grade:")
    for (variant, qid), (grade, judgement) in judged.items():
        if abs(judgement.score - grade) > FAR:
            print(f"    {variant}/{qid}: graded {grade:.1f}, scored {judgement.score:.1f}")
            if with_breakdown:
                print(f"        {judgement.breakdown}")
    print()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
