"""Every figure issue 9 asks of the offline scorer, in one run.

usage: python benchmarks/calibrate.py [--shared DIR]   (default: ../shared from the repository root)

1. UNT development split, grouped 5-fold cross-validation: Pearson and Spearman with the human grade,
   and the median score of answers graded >= 4.5/5 and <= 2/5.
2. Calibration set, leave one question out: Spearman, the question x variant table, the quality
   ladder, paraphrase against excellent, and the adversarial means against mediocre. The answers
   derived from mediocre (padded, repeated, restated) and the rubric as a keyword list are scored
   with the shipped coefficients (fitted on these questions too, so in-sample).
3. Gaming, shipped coefficients: the rubric pasted and the rubric's words shuffled, on every question
   of the built-in Netflix bank.
4. Speed and memory: model load, median time per answer after load, peak memory of an offline
   `drill ... --answers` run.
The figures of the first release's scorer (offline-1) are printed alongside for comparison.
Always exits 0: it is a report.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "benchmarks"))

from calibration import DERIVED, spearman  # noqa: E402
from fit_offline import DEFAULT_SHARED, Sample, cross_validated_scores, load_samples  # noqa: E402

from interview_cli.banks.loader import load_bank  # noqa: E402
from interview_cli.banks.model import Question  # noqa: E402
from interview_cli.scoring.base import Exchange  # noqa: E402
from interview_cli.scoring.offline.scorer import OfflineScorer  # noqa: E402
from interview_cli.scoring.offline.text import words  # noqa: E402

NETFLIX_BANK = REPO / "question_banks" / "netflix" / "backend.yaml"
QUALITY_LADDER = ("excellent", "good", "mediocre", "poor")
AT_MOST_MEDIOCRE = ("fluentwrong", "stuffed", "injection", "offtopic")
PASS, FAIL = "✓", "✗"
LOAD_RUNS = 5

# The first release's scorer (offline-1) on the same data, recorded before it was replaced.
BEFORE = {
    "unt_pearson": 0.350,
    "unt_spearman": 0.399,
    "unt_median_high": 3.9,
    "unt_median_low": 0.0,
    "cal_spearman": 0.606,
    "ladder": 6,
    "paraphrase_gap": 8.78 - 6.70,
    "means": {"excellent": 8.78, "good": 6.28, "mediocre": 3.53, "poor": 1.52, "stuffed": 0.65, "injection": 0.50,
              "offtopic": 0.95, "paraphrase": 6.70, "shortcorrect": 4.88, "fluentwrong": 9.07},
    "pasted_max": 10.0,
    "shuffled_max": 10.0,
}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    args = parser.parse_args(argv)
    if not (args.shared / "calibration" / "grades.yaml").is_file():
        print(f"no shared data at {args.shared} (expected calibration/grades.yaml there)")
        return 0
    scorer = OfflineScorer()
    load_seconds = model_load_seconds()
    samples = load_samples(args.shared, scorer)
    print_cv_figures(samples, cross_validated_scores(samples))
    print_derived(scorer, [s for s in samples if s.dataset == "calibration"])
    print_gaming(scorer)
    print_speed(scorer, samples, load_seconds, args.shared)
    return 0


def check(ok: bool) -> str:
    return PASS if ok else FAIL


def pearson(xs, ys) -> float:
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    cov = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    spread = (sum((x - mx) ** 2 for x in xs) * sum((y - my) ** 2 for y in ys)) ** 0.5
    return cov / spread if spread else 0.0


def print_cv_figures(samples: list[Sample], scores: list[float]) -> None:
    unt = [(s.grade, p) for s, p in zip(samples, scores, strict=True) if s.dataset == "unt"]
    grades, predicted = [g for g, _ in unt], [p for _, p in unt]
    r, rho = pearson(predicted, grades), spearman(predicted, grades)
    high = statistics.median(p for g, p in unt if g >= 9.0)
    low = statistics.median(p for g, p in unt if g <= 4.0)
    print(f"UNT development split: {len(unt)} answers, {len({s.question.id for s in samples if s.dataset == 'unt'})} "
          "questions, grouped 5-fold cross-validation (before: offline-1)")
    print(f"  Pearson   {r:.3f} {check(r >= 0.55)} (target >= 0.55; before {BEFORE['unt_pearson']:.3f})")
    print(f"  Spearman  {rho:.3f} {check(rho >= 0.55)} (target >= 0.55; before {BEFORE['unt_spearman']:.3f})")
    print(f"  median score, graded >= 4.5/5: {high:.1f} {check(high >= 6.0)} (target >= 6.0; before {BEFORE['unt_median_high']:.1f})")
    print(f"  median score, graded <= 2/5:   {low:.1f} {check(low <= 4.0)} (target <= 4.0; before {BEFORE['unt_median_low']:.1f})")
    print(f"  mean score {statistics.fmean(predicted):.2f}, graders' mean {statistics.fmean(grades):.2f} (0-10)")
    print_calibration([(s, p) for s, p in zip(samples, scores, strict=True) if s.dataset == "calibration"])


def print_calibration(scored: list[tuple[Sample, float]]) -> None:
    table = {(s.variant, s.question.id): p for s, p in scored}
    variants = list(dict.fromkeys(s.variant for s, _ in scored))
    questions = list(dict.fromkeys(s.question.id for s, _ in scored))
    rho = spearman([p for _, p in scored], [s.grade for s, _ in scored])
    print(f"\nCalibration set: {len(scored)} graded answers, {len(questions)} questions, leave one question out")
    print(f"  Spearman {rho:.3f} {check(rho >= 0.80)} (target >= 0.80; before {BEFORE['cal_spearman']:.3f})\n")
    width = max(len(q) for q in questions)
    print(f"  {'question':<{width}} " + " ".join(f"{v[:10]:>10}" for v in variants) + "  ladder")
    ladder_ok = 0
    for q in questions:
        ladder = [table[v, q] for v in QUALITY_LADDER]
        ok = all(a > b for a, b in zip(ladder, ladder[1:], strict=False))
        ladder_ok += ok
        print(f"  {q:<{width}} " + " ".join(f"{table[v, q]:>10.1f}" for v in variants) + f"  {check(ok)}")
    means = {v: statistics.fmean(table[v, q] for q in questions) for v in variants}
    print(f"  {'mean':<{width}} " + " ".join(f"{means[v]:>10.2f}" for v in variants))
    print(f"  {'before':<{width}} " + " ".join(f"{BEFORE['means'].get(v, float('nan')):>10.2f}" for v in variants))
    print(f"\n  {' > '.join(QUALITY_LADDER)} on {ladder_ok}/{len(questions)} questions {check(ladder_ok >= 5)} "
          f"(target >= 5; before {BEFORE['ladder']})")
    gap = means["excellent"] - means["paraphrase"]
    print(f"  paraphrase mean {means['paraphrase']:.2f} vs excellent {means['excellent']:.2f}: gap {gap:.2f} "
          f"{check(abs(gap) <= 1.0)} (target <= 1.0; before {BEFORE['paraphrase_gap']:.2f})")
    for v in AT_MOST_MEDIOCRE:
        print(f"  {v:<12} mean {means[v]:.2f} vs mediocre {means['mediocre']:.2f} {check(means[v] <= means['mediocre'])}"
              f" (before {BEFORE['means'][v]:.2f} vs {BEFORE['means']['mediocre']:.2f})")


def print_derived(scorer: OfflineScorer, calibration: list[Sample]) -> None:
    mediocre = {s.question.id: s for s in calibration if s.variant == "mediocre"}
    print("\n  derived from mediocre, shipped coefficients (in-sample):")
    for name, derive in DERIVED.items():
        scores = [scorer.judge(s.question, derive(s.answer, s.question)).score for s in mediocre.values()]
        base = [scorer.judge(s.question, s.answer).score for s in mediocre.values()]
        ok = all(d <= b for d, b in zip(scores, base, strict=True))
        print(f"  {name:<12} mean {statistics.fmean(scores):.2f} vs mediocre {statistics.fmean(base):.2f}; "
              f"never above it on any question {check(ok)}")


def pasted_rubric(question: Question) -> str:
    return " ".join(p.point.rstrip(".") + "." for p in question.rubric)


def shuffled_rubric(question: Question) -> str:
    tokens = words(" ".join(p.point for p in question.rubric))
    random.Random(question.id).shuffle(tokens)
    return " ".join(tokens)


def print_gaming(scorer: OfflineScorer) -> None:
    questions = [q for _, q in load_bank(NETFLIX_BANK).questions()]
    pasted = [scorer.judge(q, pasted_rubric(q)).score for q in questions]
    shuffled = [scorer.judge(q, shuffled_rubric(q)).score for q in questions]
    print(f"\nGaming, {len(questions)} questions of the Netflix bank, shipped coefficients:")
    print(f"  rubric pasted:         max {max(pasted):.1f} {check(max(pasted) <= 6.0)} (target <= 6.0; "
          f"before max {BEFORE['pasted_max']:.1f})")
    print(f"  rubric words shuffled: max {max(shuffled):.1f} {check(max(shuffled) <= 3.0)} (target <= 3.0; "
          f"before max {BEFORE['shuffled_max']:.1f})")


def print_speed(scorer: OfflineScorer, samples: list[Sample], load_seconds: float, shared: Path) -> None:
    timed = samples[:: max(1, len(samples) // 300)]
    per_answer = []
    for s in timed:
        started = time.perf_counter()
        scorer.score([Exchange(s.question, s.answer)])
        per_answer.append((time.perf_counter() - started) * 1000)
    median = statistics.median(per_answer)
    peak = answers_run_peak_mib(shared)
    print("\nSpeed and memory:")
    print(f"  model load {load_seconds * 1000:.0f} ms {check(load_seconds <= 0.5)} (target <= 500 ms; median of "
          f"{LOAD_RUNS} fresh processes)")
    print(f"  per answer after load, median {median:.1f} ms {check(median <= 20)} (target <= 20 ms; {len(timed)} answers)")
    if peak is not None:
        print(f"  peak memory of an offline --answers run: {peak:.0f} MiB {check(peak <= 150)} (target <= 150 MiB)")


def answers_run_peak_mib(shared: Path) -> float | None:
    """Peak resident memory of an offline `drill globex-media backend --answers FILE --json` run (system design)."""
    calibration = shared / "calibration"
    bank = load_bank(calibration / "banks" / "globex" / "backend.yaml")
    ids = {q.id for q in bank.rounds["system-design"].questions}
    excellent = yaml.safe_load((calibration / "answers" / "excellent.yaml").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as home:
        answers = Path(home) / "answers.yaml"
        answers.write_text(yaml.safe_dump({q: a for q, a in excellent.items() if q in ids}), encoding="utf-8")
        command = [sys.executable, "-m", "interview_cli", "globex-media", "backend", "--round", "system-design",
                   "--banks", str(calibration / "banks"), "--answers", str(answers), "--json", "--no-follow-ups"]
        env = {"DRILL_HOME": home, "PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO / "src")}
        done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=REPO, check=False)
    if done.returncode != 0:
        print(f"  (the --answers run failed: {done.stderr.strip()[:200]})")
        return None
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # Linux reports KiB


def model_load_seconds(runs: int = LOAD_RUNS) -> float:
    """Median time to load the model, each in a fresh process (the first load in a process is what users wait for)."""
    code = ("import time; from interview_cli.scoring.offline.model import load_embedder; "
            "t = time.perf_counter(); load_embedder(); print(time.perf_counter() - t)")
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO / "src")}
    times = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                                  check=True).stdout) for _ in range(runs)]
    return statistics.median(times)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
