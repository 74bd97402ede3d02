"""The offline scorer: judges answers against rubrics with a small embedding model, no network.

How an answer is scored (details in docs/offline-scorer.md):

1. Clean: drop text addressed to the grader and repeats (signals.py, text.py).
2. Measure: per rubric point, the best embedding match and the share of its content words used;
   per red flag, whether the answer says it; the answer's length against what the question expects;
   the share of it written as a keyword list.
3. Combine: a linear model fitted on graded answers (coefficients.json, fitted by
   benchmarks/fit_offline.py) turns the measures into a 0-10 score; a fitted relevance gate scales it
   down when the answer is no closer to the question than to generic text, and a fitted cap limits
   an answer that states a red flag.
4. Guard: an answer made of the rubric's own words, or of keyword lists, is capped, whatever it covers.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from interview_cli.banks.snapshot import Question
from interview_cli.scoring.base import AnswerScore, Exchange, PointResult, clamp_score, rubric_fingerprint
from interview_cli.scoring.offline.feedback import write_feedback
from interview_cli.scoring.offline.signals import Measurer, Signals
from interview_cli.scoring.offline.text import content_stems

if TYPE_CHECKING:
    from interview_cli.scoring.offline.model import Embedder

ALGORITHM_VERSION = "5"
RUBRIC_VERSION_PREFIX = f"offline-{ALGORITHM_VERSION}"
COEFFICIENTS_FILE = Path(__file__).with_name("coefficients.json")

# Which points count as covered, for the ✓/✗ list and the feedback (the score does not use them).
COVERED_SIMILARITY = 0.5
COVERED_LEXICAL = 0.6
BORDERLINE_SIMILARITY = 0.4  # a miss above this is phrased "I couldn't find ..."
BORDERLINE_LEXICAL = 0.3
NEAR_MISS = "near miss: the closest sentence came close to this point"  # PointResult.note of such a miss

# Gaming guards, fixed before fitting. An answer of at least COPY_MIN_WORDS words that is almost all
# rubric words is capped at COPY_CAP_BASE, plus up to COPY_CAP_PHRASES when it keeps the rubric's
# phrasing (pasted) rather than shuffling it. An answer that is mostly keyword lists is capped at LIST_CAP.
COPY_MIN_WORDS = 30
COPY_WORD_SHARE = 0.85
COPY_CAP_BASE = 1.5
COPY_CAP_PHRASES = 4.0
LIST_CAP = 3.0
LIST_CAP_SHARE = 0.5
LENGTH_FLOOR = -3.0  # log2 of the length ratio: an answer an eighth of the expected length or less

# An answer of UNSURE_MIN_WORDS or more, in sentences, in which fewer than UNSURE_COVERED_SHARE of the
# points came through, may be right in words the model does not know: the panel says so and shows how
# to ask a model.
UNSURE_MIN_WORDS = 40
UNSURE_COVERED_SHARE = 1 / 3
UNSURE_BELOW = 7.0


class Feature(StrEnum):
    COVERAGE = "coverage"  # weight-averaged best similarity per point
    WORDING = "wording"  # square root of the weight-averaged share of each point's content words
    LIST = "list_share"
    SHORTFALL = "length_shortfall"  # log2(on-topic words / expected words), at most 0, at least LENGTH_FLOOR


@dataclass(frozen=True)
class Coefficients:
    intercept: float
    weights: dict[Feature, float]
    relevance_low: float  # the relevance gate: x0 at or below this relevance, x1 at or above relevance_high
    relevance_high: float
    red_flag_cap: float  # an answer stating n red flags scores at most red_flag_cap / n

    def term(self, feature: Feature, value: float) -> float:
        return self.weights[feature] * value

    def gate(self, relevance: float) -> float:
        if relevance >= self.relevance_high:
            return 1.0
        if relevance <= self.relevance_low:
            return 0.0
        return (relevance - self.relevance_low) / (self.relevance_high - self.relevance_low)


class AdjustmentKind(StrEnum):
    LENGTH = "length"
    LIST = "list"
    RELEVANCE = "relevance"  # a factor
    RED_FLAG = "red flag"  # a cap
    COPIED_RUBRIC = "copied rubric"  # a cap
    LIST_CAP = "list cap"  # a cap

    @property
    def is_cap(self) -> bool:
        return self in (AdjustmentKind.RED_FLAG, AdjustmentKind.COPIED_RUBRIC, AdjustmentKind.LIST_CAP)

    @property
    def is_gaming_cap(self) -> bool:
        return self in (AdjustmentKind.COPIED_RUBRIC, AdjustmentKind.LIST_CAP)


@dataclass(frozen=True)
class Adjustment:
    kind: AdjustmentKind
    amount: float  # points added (negative: taken off); for the relevance gate the factor; for a cap the cap
    reason: str

    @property
    def cap(self) -> bool:
        return self.kind.is_cap

    @property
    def factor(self) -> bool:
        return self.kind == AdjustmentKind.RELEVANCE

    def describe(self) -> str:
        if self.cap:
            return f"capped at {self.amount:.1f}: {self.reason}"
        if self.factor:
            return f"×{self.amount:.2f} {self.reason}"
        return f"{self.amount:+.1f} {self.reason}"


@dataclass(frozen=True)
class Judgement:
    points: tuple[PointResult, ...]
    near_misses: tuple[str | None, ...]  # per point: the closest sentence, when a missed point came close
    red_flags: tuple[PointResult, ...]  # the red flags the answer says, with evidence
    base: float  # the fitted intercept: what an answer matching nothing would start from
    coverage: float  # points from the rubric points' similarity
    wording: float  # points from using the points' own content words
    adjustments: tuple[Adjustment, ...]
    score: float
    unsure: bool
    answered: bool
    grader_directed: int

    @property
    def breakdown(self) -> str:
        """One line that adds up to the score: each fitted term, then each adjustment with its reason."""
        covered = sum(p.covered for p in self.points)
        parts = [f"base {self.base:.1f}", f"{self.coverage:+.1f} for coverage ({covered} of {len(self.points)} points)"]
        if abs(self.wording) >= 0.05:
            parts.append(f"{self.wording:+.1f} for the points' own words")
        parts += [a.describe() for a in self.adjustments]
        total = _total(self.base + self.coverage + self.wording, self.adjustments)
        if not 0.0 <= total <= 10.0:
            parts.append(f"kept within 0-10 (from {total:.1f})")
        return f"{' · '.join(parts)} → {self.score:.1f}"


@functools.cache
def load_coefficients(path: Path = COEFFICIENTS_FILE) -> Coefficients:
    data = json.loads(path.read_text(encoding="utf-8"))
    return Coefficients(
        intercept=float(data["intercept"]),
        weights={Feature(k): float(v) for k, v in data["weights"].items()},
        relevance_low=float(data["relevance_gate"]["low"]),
        relevance_high=float(data["relevance_gate"]["high"]),
        red_flag_cap=float(data["red_flag_cap"]),
    )


def features(question: Question, signals: Signals) -> dict[Feature, float]:
    """The fitted model's inputs; benchmarks/fit_offline.py fits on exactly these."""
    weights = [p.weight for p in question.rubric]
    total = sum(weights)
    coverage = sum(w * m.similarity for w, m in zip(weights, signals.points, strict=True)) / total
    wording = sum(w * m.lexical for w, m in zip(weights, signals.points, strict=True)) / total
    ratio = math.log2(max(signals.on_topic_words, 1) / signals.expected_words)
    return {
        Feature.COVERAGE: coverage,
        Feature.WORDING: math.sqrt(wording),
        Feature.LIST: signals.list_share,
        Feature.SHORTFALL: min(0.0, max(LENGTH_FLOOR, ratio)),
    }


class OfflineScorer:
    """Scores with the embedded model; the model loads on the first call, once per process."""

    name = "offline"

    def __init__(self, embedder: Embedder | None = None, coefficients: Coefficients | None = None):
        self._embedder = embedder
        self._coefficients = coefficients
        self._measurer = Measurer(self.embedder)

    def score(self, exchanges: Sequence[Exchange]) -> list[AnswerScore]:
        return [self._score_one(e) for e in exchanges]

    def coverage(self, question: Question, answer_text: str) -> list[PointResult]:
        """Which rubric points the answer covers, judged as `score` judges them."""
        return list(self.judge(question, answer_text).points)

    def judge(self, question: Question, answer_text: str) -> Judgement:
        return combine(question, self.measure(question, answer_text), self.coefficients())

    def measure(self, question: Question, answer_text: str) -> Signals:
        return self._measurer.measure(question, answer_text)

    def coefficients(self) -> Coefficients:
        if self._coefficients is None:
            self._coefficients = load_coefficients()
        return self._coefficients

    def embedder(self) -> Embedder:
        if self._embedder is None:
            from interview_cli.scoring.offline.model import load_embedder

            self._embedder = load_embedder()
        return self._embedder

    def _score_one(self, exchange: Exchange) -> AnswerScore:
        question = exchange.question
        judgement = self.judge(question, exchange.full_answer)
        return AnswerScore(
            question_id=question.id,
            score=judgement.score,
            points=judgement.points,
            feedback=write_feedback(question, judgement),
            scorer=self.name,
            rubric_version=f"{RUBRIC_VERSION_PREFIX}+{rubric_fingerprint(question)}",
            breakdown=judgement.breakdown if judgement.answered else "",
            red_flags=judgement.red_flags,
            unsure=judgement.unsure,
        )


def combine(question: Question, signals: Signals, coefficients: Coefficients) -> Judgement:
    """Turn measurements into covered flags, a 0-10 score and the reasons for it."""
    points, near_misses = _point_results(question, signals)
    red_flags = tuple(
        PointResult(point=f.flag, weight=1.0, covered=True, evidence=signals.evidence(f.evidence), note="red flag")
        for f in signals.flags
        if f.said
    )
    if not signals.answered:
        return Judgement(points, near_misses, (), 0.0, 0.0, 0.0, (), 0.0, False, False, signals.grader_directed)
    values = features(question, signals)
    coverage = coefficients.term(Feature.COVERAGE, values[Feature.COVERAGE])
    wording = coefficients.term(Feature.WORDING, values[Feature.WORDING])
    adjustments = _adjustments(signals, values, coefficients, red_flags)
    score = clamp_score(_total(coefficients.intercept + coverage + wording, adjustments))
    covered_share = sum(p.covered for p in points) / len(points)
    unsure = (signals.words >= UNSURE_MIN_WORDS and covered_share < UNSURE_COVERED_SHARE and score < UNSURE_BELOW
              and not any(a.cap for a in adjustments))
    return Judgement(
        points=points,
        near_misses=near_misses,
        red_flags=red_flags,
        base=coefficients.intercept,
        coverage=coverage,
        wording=wording,
        adjustments=adjustments,
        score=score,
        unsure=unsure,
        answered=True,
        grader_directed=signals.grader_directed,
    )


_ADDED = (AdjustmentKind.LENGTH, AdjustmentKind.LIST)


def _total(fitted: float, adjustments: Sequence[Adjustment]) -> float:
    """The fitted terms plus the added adjustments, times the relevance factor, under every cap (unclipped)."""
    total = fitted + sum(a.amount for a in adjustments if a.kind in _ADDED)
    for factor in (a for a in adjustments if a.factor):
        total *= factor.amount
    return min([total, *(a.amount for a in adjustments if a.cap)])


def _point_results(question: Question, signals: Signals) -> tuple[tuple[PointResult, ...], tuple[str | None, ...]]:
    """Each point covered or not, with its evidence; and per point, the closest sentence of a near miss."""
    results, near_misses = [], []
    for point, match in zip(question.rubric, signals.points, strict=True):
        covered = match.similarity >= COVERED_SIMILARITY or match.lexical >= COVERED_LEXICAL
        close = not covered and (match.similarity >= BORDERLINE_SIMILARITY or match.lexical >= BORDERLINE_LEXICAL)
        evidence = signals.evidence(match.evidence)
        results.append(PointResult(point=point.point, weight=point.weight, covered=covered,
                                   evidence=evidence if covered else None, note=NEAR_MISS if close else None))
        near_misses.append(evidence if close else None)
    return tuple(results), tuple(near_misses)


def _adjustments(signals: Signals, values: dict[Feature, float], coefficients: Coefficients,
                 red_flags: tuple[PointResult, ...]) -> tuple[Adjustment, ...]:
    """What changes the fitted terms' sum, in the order it is applied: added points, the relevance factor, caps."""
    out = []
    shortfall = coefficients.term(Feature.SHORTFALL, values[Feature.SHORTFALL])
    if shortfall <= -0.05:
        reason = (f"for length: {signals.on_topic_words} words on the question where about {signals.expected_words} "
                  "are expected")
        out.append(Adjustment(AdjustmentKind.LENGTH, shortfall, reason))
    listed = coefficients.term(Feature.LIST, values[Feature.LIST])
    if listed <= -0.05:
        out.append(Adjustment(AdjustmentKind.LIST, listed, "for writing a list of terms instead of sentences"))
    gate = coefficients.gate(signals.relevance)
    if gate < 1.0:
        reason = "for relevance: the answer is hardly closer to this question than to generic text"
        out.append(Adjustment(AdjustmentKind.RELEVANCE, gate, reason))
    if red_flags:
        said = f"{len(red_flags)} red flags" if len(red_flags) > 1 else f"a red flag: {red_flags[0].point}"
        out.append(Adjustment(AdjustmentKind.RED_FLAG, coefficients.red_flag_cap / len(red_flags), said))
    if signals.words >= COPY_MIN_WORDS and signals.rubric_word_share >= COPY_WORD_SHARE:
        cap = COPY_CAP_BASE + COPY_CAP_PHRASES * signals.rubric_phrase_share
        out.append(Adjustment(AdjustmentKind.COPIED_RUBRIC, cap, "the answer is mostly the rubric's own words"))
    if values[Feature.LIST] >= LIST_CAP_SHARE:
        out.append(Adjustment(AdjustmentKind.LIST_CAP, LIST_CAP, "most of the answer is a keyword list"))
    return tuple(out)


def pick_follow_up(question: Question, points: Sequence[PointResult], answer: str = "",
                   candidates: Sequence[str] | None = None) -> str | None:
    """The follow-up (the bank's, or `candidates`, e.g. with phase probes) that best probes the
    highest-weight point the answer really missed.

    A follow-up that presupposes something ("Why a token bucket?") is only asked when the answer
    mentions it. None when no follow-up fits: then none is asked.
    """
    from interview_cli.scoring.offline.model import load_embedder

    pool = question.follow_ups if candidates is None else candidates
    askable = [f for f in pool if not _presupposes_unsaid(f, answer)]
    if not askable:
        return None
    missed = [p for p in points if not p.covered and p.note != NEAR_MISS]
    if not missed:
        return askable[0]
    target = max(missed, key=lambda p: p.weight)  # max keeps the earliest of equal weights
    embed = load_embedder().embed
    sims = embed(askable) @ embed([target.point])[0]
    return askable[int(sims.argmax())]


_PRESUPPOSING = ("why ", "why did", "why would", "how did you", "what made you", "you chose", "you picked",
                 "your choice")


def _presupposes_unsaid(follow_up: str, answer: str) -> bool:
    """A 'why X?' follow-up whose content words the answer never used."""
    text = follow_up.lower()
    if not any(text.startswith(p) or f" {p}" in text for p in _PRESUPPOSING):
        return False
    asked = set(content_stems(follow_up)) - {"why", "did", "would", "choose", "chose", "pick", "use"}
    return not (asked & set(content_stems(answer)))
