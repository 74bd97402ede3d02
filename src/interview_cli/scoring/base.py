"""The scorer interface and the values that cross it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from interview_cli.banks.snapshot import Question

MAX_SCORE = 10.0


@dataclass(frozen=True)
class FollowUp:
    prompt: str
    answer: str


@dataclass(frozen=True)
class Exchange:
    """One question as it happened: the main answer plus any follow-up answers."""

    question: Question
    answer: str
    follow_ups: tuple[FollowUp, ...] = ()

    @property
    def full_answer(self) -> str:
        """Everything the candidate said for this question, follow-ups included."""
        return "\n\n".join([self.answer, *(f.answer for f in self.follow_ups if f.answer.strip())])


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

    @property
    def covered(self) -> list[str]:
        return [p.point for p in self.points if p.covered]

    @property
    def missed(self) -> list[str]:
        return [p.point for p in self.points if not p.covered]


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

    body = json.dumps([question.prompt, [(p.point, p.weight) for p in question.rubric]], sort_keys=True)
    return hashlib.sha256(body.encode()).hexdigest()[:10]
