"""Measuring a scorer against a calibration set of graded answers.

A calibration folder holds banks/**/<role>.yaml (the questions), answers/<variant>.yaml
(question id -> answer text) and grades.yaml (variant -> question id -> grade 0-10).
Used by benchmarks/calibrate.py and the offline scorer's tests; it holds no calibration data.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from interview_cli.banks.loader import load_bank
from interview_cli.banks.snapshot import Question
from interview_cli.scoring.base import Exchange, Scorer
from interview_cli.scoring.offline.text import FUNCTION_WORDS

QUALITY_LADDER = ("excellent", "good", "mediocre", "poor")
BASELINE = "mediocre"  # adversarial answers must never score above this one
ADVERSARIAL = ("stuffed", "injection", "offtopic")

# Padding that says nothing: hedges and platitudes, then neutral statements with no substance.
FILLER = (
    "There are a lot of different things to think about here. It really depends on the situation and the "
    "requirements. In general it is important to keep things simple and make sure everything works well. "
    "Communication and teamwork are also very important. Overall, I think this approach would work well in "
    "most cases, and we can always improve it later."
)
NEUTRAL_FILLER = (
    "Every component of the system has a clear owner. The team reviews each design before implementation "
    "starts. Documentation is written for every service and kept up to date. Each service exposes metrics and "
    "logs. Code is reviewed by at least one other engineer. Releases go through a staging environment first. "
    "On-call engineers have runbooks for common problems. The architecture is revisited every quarter."
)
REPEATS = 3


def padded(answer: str) -> str:
    return "\n\n".join([answer, FILLER, NEUTRAL_FILLER])


def repeated(answer: str) -> str:
    return "\n\n".join([answer] * REPEATS)


def restated(answer: str, question: Question) -> str:
    return f"{question.prompt}\n\n{answer}"


def rubric_list(question: Question) -> str:
    """The rubric's own words as a bare comma-separated list: the most thorough keyword stuffing."""
    terms = []
    for point in question.rubric:
        for piece in re.split(r"[,;:()]| and | with | or ", point.point):
            kept = [w for w in piece.split() if w.lower() not in FUNCTION_WORDS]
            if kept:
                terms.append(" ".join(kept))
    return ", ".join(terms)


# Variants derived from the baseline answer or the rubric; none may score above the baseline.
DERIVED = {
    "padded": lambda answer, question: padded(answer),
    "repeated": lambda answer, question: repeated(answer),
    "restated": restated,
    "rubric-list": lambda answer, question: rubric_list(question),
}


@dataclass(frozen=True)
class CalibrationSet:
    questions: dict[str, Question]
    answers: dict[str, dict[str, str]]  # variant -> question id -> answer
    grades: dict[str, dict[str, float]]  # variant -> question id -> grade


@dataclass(frozen=True)
class CalibrationReport:
    question_ids: tuple[str, ...]
    variants: tuple[str, ...]  # graded variants, then derived ones
    scores: dict[tuple[str, str], float]  # (variant, question id) -> score
    spearman: float  # over every graded (variant, question) pair
    ladder_ok: dict[str, bool]  # excellent > good > mediocre > poor, per question
    adversarial_ok: dict[str, bool]  # adversarial and derived variants <= mediocre, per question

    def mean(self, variant: str) -> float:
        return statistics.fmean(self.scores[variant, q] for q in self.question_ids)

    @property
    def adversarial_variants(self) -> tuple[str, ...]:
        return tuple(v for v in self.variants if v in ADVERSARIAL or v in DERIVED)


def load_calibration(folder: Path) -> CalibrationSet:
    questions: dict[str, Question] = {}
    for path in sorted((folder / "banks").rglob("*.y*ml")):
        questions.update({q.id: q for _, q in load_bank(path).questions()})
    answers = {path.stem: _read_yaml(path) for path in sorted((folder / "answers").glob("*.y*ml"))}
    grades = _read_yaml(folder / "grades.yaml")
    return CalibrationSet(questions, answers, {v: {q: float(g) for q, g in by_q.items()} for v, by_q in grades.items()})


def evaluate(scorer: Scorer, calibration: CalibrationSet) -> CalibrationReport:
    question_ids = tuple(calibration.questions)
    texts = {(v, q): calibration.answers[v][q] for v in calibration.answers for q in question_ids}
    if BASELINE in calibration.answers:
        for name, derive in DERIVED.items():
            for q in question_ids:
                texts[name, q] = derive(calibration.answers[BASELINE][q], calibration.questions[q])
    keys = list(texts)
    results = scorer.score([Exchange(calibration.questions[q], texts[v, q]) for v, q in keys])
    scores = {key: result.score for key, result in zip(keys, results, strict=True)}
    variants = _ordered(dict.fromkeys(v for v, _ in keys))
    graded = [(v, q) for v in calibration.grades for q in question_ids if (v, q) in scores]
    rho = spearman([scores[k] for k in graded], [calibration.grades[v][q] for v, q in graded])
    return CalibrationReport(
        question_ids=question_ids,
        variants=variants,
        scores=scores,
        spearman=rho,
        ladder_ok={q: _ladder_holds(scores, q, variants) for q in question_ids},
        adversarial_ok={q: _adversarial_holds(scores, q, variants) for q in question_ids},
    )


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Spearman's rank correlation, ties given their average rank."""
    rx, ry = _ranks(xs), _ranks(ys)
    mx, my = statistics.fmean(rx), statistics.fmean(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    spread = (sum((a - mx) ** 2 for a in rx) * sum((b - my) ** 2 for b in ry)) ** 0.5
    return cov / spread if spread else 0.0


def _ranks(values: Sequence[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for i in order[start : end + 1]:
            ranks[i] = (start + end) / 2
        start = end + 1
    return ranks


def _ordered(variants: Iterable[str]) -> tuple[str, ...]:
    """The quality ladder first, then the adversarial variants, then the rest, then derived ones."""
    known = (*QUALITY_LADDER, *ADVERSARIAL)
    rank = {v: i for i, v in enumerate(known)}
    return tuple(sorted(variants, key=lambda v: (v in DERIVED, rank.get(v, len(known)), v)))


def _ladder_holds(scores: dict, question_id: str, variants: Iterable[str]) -> bool:
    ladder = [scores[v, question_id] for v in QUALITY_LADDER if v in variants]
    return all(a > b for a, b in zip(ladder, ladder[1:], strict=False))


def _adversarial_holds(scores: dict, question_id: str, variants: Iterable[str]) -> bool:
    if BASELINE not in variants:
        return True
    baseline = scores[BASELINE, question_id]
    others = [v for v in variants if v in ADVERSARIAL or v in DERIVED]
    return all(scores[v, question_id] <= baseline for v in others)


def _read_yaml(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}
