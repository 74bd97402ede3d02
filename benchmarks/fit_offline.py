"""Fit the offline scorer's coefficients on the shared graded data, and measure them by cross-validation.

usage: python benchmarks/fit_offline.py [--shared DIR] [--write]

DIR (default ../shared from the repository root) must hold datasets/unt-short-answers (real student
answers, graded 0-5, scaled here to 0-10) and calibration (interview answers graded 0-10). The
calibration bank has no red flags of its own; benchmarks/calibration_red_flags.yaml gives them, written
from its rubric as a bank author would.

The model has three fitted parts, fitted in this order on the same weighted samples:
1. a ridge regression on standardised features (scoring/offline/scorer.py `features`), followed by a
   linear stretch that gives the fitted scores the spread of the grades, fitted on the answers that
   state no red flag;
2. the relevance gate (low, high): the score is multiplied by 0 at or below relevance `low`, by 1 at or
   above `high`, linearly in between; chosen from GATE_LOWS x GATE_WIDTHS, or no gate, by the weighted
   squared error on the answers that state no red flag;
3. the red-flag cap: an answer that states n red flags scores at most cap / n; chosen from RED_FLAG_CAPS
   by the weighted squared error on all answers.
Constants fixed here:
- RIDGE_PENALTY, on standardised features;
- CALIBRATION_SHARE: the calibration set's share of the total sample weight (it has 60 answers to
  UNT's 1,374, and interview answers are what drill scores);
- the grids of the gate and the cap (the gate and the cap themselves are fitted in every fold);
- the folds: UNT questions sorted by id and dealt into 5 folds; calibration: leave one question out.
Every reported figure is out of fold: no question's answers are in both the fitting and the scored set.
--write fits on everything and writes src/interview_cli/scoring/offline/coefficients.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

import numpy as np  # noqa: E402
import yaml  # noqa: E402

from interview_cli.banks.loader import load_bank  # noqa: E402
from interview_cli.banks.model import Question  # noqa: E402
from interview_cli.scoring.offline.scorer import (  # noqa: E402
    COEFFICIENTS_FILE,
    Coefficients,
    Feature,
    OfflineScorer,
    combine,
    features,
)
from interview_cli.scoring.offline.signals import Signals  # noqa: E402

DEFAULT_SHARED = REPO.parent / "shared"
RED_FLAGS_FILE = REPO / "benchmarks" / "calibration_red_flags.yaml"
RIDGE_PENALTY = 10.0
CALIBRATION_SHARE = 0.7
UNT_FOLDS = 5
FEATURES = tuple(Feature)
GATE_LOWS = (-0.3, -0.2, -0.1, 0.0, 0.1)
GATE_WIDTHS = (0.1, 0.2, 0.3)
NO_GATE = (-2.0, -2.0 + 1e-9)  # relevance (a difference of two cosines) is never below -2
RED_FLAG_CAPS = (1.0, 2.0, 3.0, 4.0, 5.0, 6.0)


@dataclass(frozen=True)
class Sample:
    dataset: str  # "unt" or "calibration"
    question: Question
    answer: str
    grade: float  # 0-10
    variant: str  # calibration: the answer set; unt: ""
    signals: Signals

    @property
    def group(self) -> str:
        return f"{self.dataset}:{self.question.id}"


def load_samples(shared: Path, scorer: OfflineScorer) -> list[Sample]:
    return _unt_samples(shared / "datasets" / "unt-short-answers", scorer) + _calibration_samples(
        shared / "calibration", scorer
    )


def _unt_samples(folder: Path, scorer: OfflineScorer) -> list[Sample]:
    questions = {q.id: q for _, q in load_bank(folder / "bank" / "ut" / "cs.yaml").questions()}
    out = []
    for line in (folder / "answers.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        question = questions["q-" + row["qid"].replace(".", "-")]
        out.append(_sample("unt", question, row["answer"], 2 * float(row["score_avg"]), "", scorer))
    return out


def calibration_questions(folder: Path) -> dict[str, Question]:
    """The calibration bank's questions, with the red flags from benchmarks/ attached."""
    flags = yaml.safe_load(RED_FLAGS_FILE.read_text(encoding="utf-8"))
    questions = {}
    for path in sorted((folder / "banks").rglob("*.y*ml")):
        for _, q in load_bank(path).questions():
            questions[q.id] = q.replace(red_flags=list(flags.get(q.id, [])))
    return questions


def _calibration_samples(folder: Path, scorer: OfflineScorer) -> list[Sample]:
    questions = calibration_questions(folder)
    grades = yaml.safe_load((folder / "grades.yaml").read_text(encoding="utf-8"))
    out = []
    for variant, by_question in grades.items():
        answers = yaml.safe_load((folder / "answers" / f"{variant}.yaml").read_text(encoding="utf-8"))
        for qid, grade in by_question.items():
            out.append(_sample("calibration", questions[qid], answers[qid], float(grade), variant, scorer))
    return out


def _sample(dataset, question, answer, grade, variant, scorer) -> Sample:
    return Sample(dataset, question, answer, grade, variant, scorer.measure(question, answer))


def design(samples: list[Sample]) -> np.ndarray:
    return np.array([[features(s.question, s.signals)[f] for f in FEATURES] for s in samples])


def sample_weights(samples: list[Sample], share: float = CALIBRATION_SHARE) -> np.ndarray:
    n_cal = sum(s.dataset == "calibration" for s in samples)
    n_unt = len(samples) - n_cal
    cal_weight = n_unt / max(n_cal, 1) * share / (1 - share)
    return np.array([cal_weight if s.dataset == "calibration" else 1.0 for s in samples])


def fit(samples: list[Sample], share: float = CALIBRATION_SHARE) -> Coefficients:
    """The linear part, then the relevance gate, then the red-flag cap (see the module docstring)."""
    flagged = np.array([sum(f.said for f in s.signals.flags) for s in samples])
    clean = [s for s, n in zip(samples, flagged, strict=True) if n == 0]
    intercept, weights = fit_linear(clean, share)
    linear = Coefficients(intercept, weights, *NO_GATE, red_flag_cap=10.0)
    unclipped = np.array([_linear_sum(s, linear) for s in samples])
    relevance = np.array([s.signals.relevance for s in samples])
    y, w = np.array([s.grade for s in samples]), sample_weights(samples, share)
    caps = np.array([_gaming_cap(s, linear) for s in samples])
    keep = flagged == 0

    def gated(low, high):
        gate = np.clip((relevance - low) / (high - low), 0.0, 1.0)
        return np.clip(np.minimum(unclipped * gate, caps), 0.0, 10.0)

    gates = [NO_GATE] + [(low, low + width) for low in GATE_LOWS for width in GATE_WIDTHS]
    low, high = min(gates, key=lambda g: np.average((gated(*g)[keep] - y[keep]) ** 2, weights=w[keep]))
    base = gated(low, high)

    def capped(cap):
        return np.where(flagged > 0, np.minimum(base, cap / np.maximum(flagged, 1)), base)

    cap = min(RED_FLAG_CAPS, key=lambda c: np.average((capped(c) - y) ** 2, weights=w))
    return Coefficients(intercept, weights, float(low), float(high), float(cap))


def fit_linear(samples: list[Sample], share: float = CALIBRATION_SHARE) -> tuple[float, dict[Feature, float]]:
    """Weighted ridge on standardised features, then stretched to the grades' weighted spread."""
    x, y, w = design(samples), np.array([s.grade for s in samples]), sample_weights(samples, share)
    mean = np.average(x, axis=0, weights=w)
    spread = np.sqrt(np.average((x - mean) ** 2, axis=0, weights=w)) + 1e-9
    z = np.hstack([np.ones((len(x), 1)), (x - mean) / spread])
    penalty = RIDGE_PENALTY * np.eye(z.shape[1])
    penalty[0, 0] = 0.0
    weighted = z.T * (w / w.mean())
    beta = np.linalg.solve(weighted @ z + penalty, weighted @ y)
    slopes = beta[1:] / spread
    intercept = beta[0] - slopes @ mean
    fitted = intercept + x @ slopes
    fitted_mean, grade_mean = np.average(fitted, weights=w), np.average(y, weights=w)
    stretch = np.sqrt(np.average((y - grade_mean) ** 2, weights=w) / np.average((fitted - fitted_mean) ** 2, weights=w))
    intercept = grade_mean + stretch * (intercept - fitted_mean)
    return float(intercept), {f: float(stretch * s) for f, s in zip(FEATURES, slopes, strict=True)}


def _linear_sum(sample: Sample, coefficients: Coefficients) -> float:
    """The fitted terms and the added adjustments, before the gate, the caps and clipping."""
    judgement = combine(sample.question, sample.signals, coefficients)
    if not judgement.answered:
        return 0.0
    added = [a for a in judgement.adjustments if not a.cap and not a.factor]
    return judgement.base + judgement.coverage + judgement.wording + sum(a.amount for a in added)


def _gaming_cap(sample: Sample, coefficients: Coefficients) -> float:
    judgement = combine(sample.question, sample.signals, coefficients)
    caps = [a.amount for a in judgement.adjustments if a.kind.is_gaming_cap]
    return min(caps, default=10.0) if judgement.answered else 0.0


def folds(samples: list[Sample]) -> list[list[int]]:
    """Held-out index sets: UNT questions dealt into 5 folds, then one per calibration question."""
    unt_ids = sorted({s.question.id for s in samples if s.dataset == "unt"})
    fold_of = {qid: i % UNT_FOLDS for i, qid in enumerate(unt_ids)}
    out = [[i for i, s in enumerate(samples) if s.dataset == "unt" and fold_of[s.question.id] == k] for k in range(UNT_FOLDS)]
    for qid in sorted({s.question.id for s in samples if s.dataset == "calibration"}):
        out.append([i for i, s in enumerate(samples) if s.dataset == "calibration" and s.question.id == qid])
    return out


def cross_validated_scores(samples: list[Sample]) -> list[float]:
    """Each answer's score from coefficients fitted without any answer to its question."""
    scores = [0.0] * len(samples)
    for held_out in folds(samples):
        held = set(held_out)
        coefficients = fit([s for i, s in enumerate(samples) if i not in held])
        for i in held_out:
            scores[i] = combine(samples[i].question, samples[i].signals, coefficients).score
    return scores


def write_coefficients(coefficients: Coefficients, samples: list[Sample], path: Path = COEFFICIENTS_FILE) -> None:
    data = {
        "about": "Offline scorer weights, fitted by benchmarks/fit_offline.py; do not edit by hand.",
        "fitted_on": {
            "unt_answers": sum(s.dataset == "unt" for s in samples),
            "calibration_answers": sum(s.dataset == "calibration" for s in samples),
            "ridge_penalty": RIDGE_PENALTY,
            "calibration_share": CALIBRATION_SHARE,
        },
        "intercept": round(coefficients.intercept, 4),
        "weights": {str(f): round(v, 4) for f, v in coefficients.weights.items()},
        "relevance_gate": {"low": coefficients.relevance_low, "high": round(coefficients.relevance_high, 4)},
        "red_flag_cap": coefficients.red_flag_cap,
    }
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        handle.write(json.dumps(data, indent=2) + "\n")
        handle.flush()

        os.fsync(handle.fileno())
    tmp.replace(path)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--write", action="store_true", help="write the coefficients fitted on all the data")
    args = parser.parse_args(argv)
    samples = load_samples(args.shared, OfflineScorer())
    scores = cross_validated_scores(samples)
    from calibrate import print_cv_figures  # noqa: PLC0415 (benchmarks/ is on sys.path when run as a script)

    print_cv_figures(samples, scores)
    coefficients = fit(samples)
    print("\ncoefficients fitted on all the data:")
    print(f"  intercept {coefficients.intercept:.3f}")
    for f, v in coefficients.weights.items():
        print(f"  {f:<18} {v:+.3f}")
    print(f"  relevance gate     x0 at {coefficients.relevance_low:+.2f} or below, x1 at {coefficients.relevance_high:+.2f} "
          "or above")
    print(f"  red-flag cap       {coefficients.red_flag_cap:.1f} / number of red flags said")
    if args.write:
        write_coefficients(coefficients, samples)
        print(f"\nwrote {COEFFICIENTS_FILE.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
