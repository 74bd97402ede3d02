"""A deterministic scorer for tests: a point is covered when its first word appears in the answer."""

from __future__ import annotations

from collections.abc import Sequence

from interview_cli.errors import ScoringError
from interview_cli.scoring.base import (
    AnswerScore,
    Exchange,
    PointResult,
    clamp_score,
    rubric_fingerprint,
)


class FakeScorer:
    name = "fake"

    def __init__(self, fail: bool = False):
        self.fail = fail
        self.calls: list[list[str]] = []

    def score(self, exchanges: Sequence[Exchange]) -> list[AnswerScore]:
        self.calls.append([e.question.id for e in exchanges])
        if self.fail:
            raise ScoringError("fake scorer failed on purpose")
        return [self._score_one(e) for e in exchanges]

    def _score_one(self, exchange: Exchange) -> AnswerScore:
        text = exchange.full_answer.lower()
        points = tuple(
            PointResult(p.point, p.weight, p.point.split()[0].lower() in text) for p in exchange.question.rubric
        )
        total = sum(p.weight for p in points)
        got = sum(p.weight for p in points if p.covered)
        return AnswerScore(
            question_id=exchange.question.id,
            score=clamp_score(10 * got / total),
            points=points,
            feedback="Fake feedback. Cover the missed points.",
            scorer=self.name,
            rubric_version=f"fake-1+{rubric_fingerprint(exchange.question)}",
        )
