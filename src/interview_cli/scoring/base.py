"""The scorer interface and the values that cross it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol, runtime_checkable

from interview_cli.banks.snapshot import Question

MAX_SCORE = 10.0


@dataclass(frozen=True)
class FollowUp:
    prompt: str
    answer: str


@dataclass(frozen=True)
class Ask:
    """A clarifying question the candidate asked (/ask), and the interviewer's reply."""

    question: str
    reply: str


@dataclass(frozen=True)
class Exchange:
    """One question as it happened: clarifying questions, the main answer, any follow-up answers."""

    question: Question
    answer: str
    follow_ups: tuple[FollowUp, ...] = ()
    asks: tuple[Ask, ...] = ()

    @property
    def full_answer(self) -> str:
        """Everything the candidate said for this question: what they asked (asking about scale and
        requirements is part of the answer), the answer, and the follow-up answers."""
        asked = " ".join(a.question for a in self.asks if a.question.strip())
        return "\n\n".join([*([asked] if asked else []), self.answer,
                             *(f.answer for f in self.follow_ups if f.answer.strip())])


@dataclass(frozen=True)
class PointResult:
    point: str
    weight: float
    covered: bool
    evidence: str | None = None  # the sentence of the answer that covered it
    note: str | None = None  # the scorer's reasoning, when it gives one


@dataclass(frozen=True)
class AnswerScore:
    question_id: str
    score: float  # 0-10, one decimal
    points: tuple[PointResult, ...]
    feedback: str  # 2-4 sentences of advice
    scorer: str  # "offline" or the model name
    rubric_version: str  # identifies the rubric + judge prompt this score was made against
    samples: tuple[float, ...] = field(default=())  # every sample's score when scored more than once
    breakdown: str = ""  # one line: how the score was put together (offline scorer)
    red_flags: tuple[PointResult, ...] = ()  # red flags the answer says, with evidence
    unsure: bool = False  # the scorer doubts its score: a model's opinion is worth asking for

    @property
    def covered(self) -> list[str]:
        return [p.point for p in self.points if p.covered]

    @property
    def missed(self) -> list[str]:
        return [p.point for p in self.points if not p.covered]


CORRECTNESS_SHARE = 0.7
"""A coding question's score: 70% the share of its tests passed (hidden ones included), 30% the rubric."""


def with_tests(score: AnswerScore, passed: int, total: int) -> AnswerScore:
    """`score` for a coding answer: correctness weighted in, and the tests named first in the feedback."""
    correctness = passed / total if total else 0.0
    blended = CORRECTNESS_SHARE * MAX_SCORE * correctness + (1 - CORRECTNESS_SHARE) * score.score
    feedback = f"Tests: passed {passed}/{total}. {score.feedback}".strip()
    breakdown = score.breakdown and (
        f"{score.breakdown} · then {CORRECTNESS_SHARE:.0%} tests ({passed}/{total} passed) and "
        f"{1 - CORRECTNESS_SHARE:.0%} this → {clamp_score(blended):.1f}")
    return replace(score, score=clamp_score(blended), feedback=feedback, breakdown=breakdown,
                   samples=tuple(clamp_score(CORRECTNESS_SHARE * MAX_SCORE * correctness
                                             + (1 - CORRECTNESS_SHARE) * s) for s in score.samples))


def clamp_score(value: float) -> float:
    return round(min(MAX_SCORE, max(0.0, float(value))), 1)


@runtime_checkable
class Scorer(Protocol):
    """Scores answers against their questions' rubrics.

    `name` is what reports show as the scorer. `score` returns one AnswerScore per
    exchange, in order, or raises ScoringError with one actionable line.
    """

    name: str

    def score(self, exchanges: Sequence[Exchange]) -> list[AnswerScore]: ...


def rubric_fingerprint(question: Question) -> str:
    """Short hash of a question's prompt and rubric, stored with each score."""
    import hashlib
    import json

    parts: list = [question.prompt, [(p.point, p.weight) for p in question.rubric]]
    if question.red_flags:  # banks without red flags keep the fingerprints they had
        parts.append(list(question.red_flags))
    body = json.dumps(parts, sort_keys=True)
    return hashlib.sha256(body.encode()).hexdigest()[:10]
