"""A coding answer's score: tests passed and the rubric, blended; the breakdown line says so."""

from __future__ import annotations

from interview_cli.scoring.base import AnswerScore, with_tests


def score(value: float, breakdown: str = "") -> AnswerScore:
    return AnswerScore("q", value, (), "Good.", "offline", "1", breakdown=breakdown)


def test_the_breakdown_ends_with_the_blend_and_the_score_it_gives():
    blended = with_tests(score(2.0, "base 1.6 · +0.4 for coverage (1 of 5 points) → 2.0"), passed=3, total=10)
    assert blended.score == 2.7  # 0.7 * 3.0 + 0.3 * 2.0
    assert blended.breakdown == ("base 1.6 · +0.4 for coverage (1 of 5 points) → 2.0 · then 70% tests (3/10 passed) "
                                 "and 30% this → 2.7")
    assert blended.feedback == "Tests: passed 3/10. Good."


def test_a_score_without_a_breakdown_gets_none():
    assert with_tests(score(8.0), passed=10, total=10).breakdown == ""
