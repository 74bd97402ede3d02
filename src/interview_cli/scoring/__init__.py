"""Scorers: one interface, three implementations (offline, litellm, fake)."""

from interview_cli.scoring.base import (
    AnswerScore,
    Exchange,
    FollowUp,
    PointResult,
    Scorer,
)

__all__ = ["AnswerScore", "Exchange", "FollowUp", "PointResult", "Scorer"]
