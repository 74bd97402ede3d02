"""Feedback for an offline score: 2-4 sentences built from what was covered and what was missed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from interview_cli.banks.snapshot import Question
from interview_cli.scoring.offline.text import first_sentence, short_point

if TYPE_CHECKING:
    from interview_cli.scoring.base import PointResult
    from interview_cli.scoring.offline.scorer import Judgement

WEAK_TOPIC_FACTOR = 0.7
WEAK_LIST_FACTOR = 0.8
WEAK_SPECIFIC_FACTOR = 0.8
WEAK_DEPTH = 0.4
NAMED_IN_PRAISE = 2
IGNORED_GRADER_TEXT = "Text addressed to the grader was ignored; it never raises a score."


def write_feedback(question: Question, judgement: Judgement) -> str:
    """Deterministic advice: what came through, the biggest gap, one thing to change in the writing."""
    if not judgement.answered:
        return _unanswered(question, judgement)
    if judgement.topic_factor < WEAK_TOPIC_FACTOR:
        opening = f"Most of this answer is not about the question asked: {_prompt(question)}"
    else:
        opening = _praise(judgement.points)
    sentences = [opening, *_gaps(judgement.points), _advice(judgement)]
    return " ".join(s for s in sentences if s)


def _praise(points: tuple[PointResult, ...]) -> str:
    covered = sorted((p for p in points if p.covered), key=lambda p: -p.weight)
    if not covered:
        return "None of the rubric points came through clearly yet."
    named = _join([short_point(p.point) for p in covered[:NAMED_IN_PRAISE]])
    if len(covered) <= NAMED_IN_PRAISE:
        return _sentence(f"Covered: {named}")
    return _sentence(f"Covered {len(covered)} of {len(points)} rubric points, including {named}")


def _gaps(points: tuple[PointResult, ...]) -> list[str]:
    missed = sorted((p for p in points if not p.covered), key=lambda p: -p.weight)
    if not missed:
        return ["Every rubric point came through; make the key decisions and their reasons stand out."]
    gaps = [_sentence(f"The biggest gap: {short_point(missed[0].point)}")]
    if len(missed) > 1:
        gaps.append(_sentence(f"Also missing: {short_point(missed[1].point)}"))
    return gaps


def _advice(judgement: Judgement) -> str:
    if judgement.grader_directed:
        return IGNORED_GRADER_TEXT
    if judgement.list_factor < WEAK_LIST_FACTOR:
        return "Write full sentences that say what you would do and why, not a list of terms."
    if judgement.specific_factor < WEAK_SPECIFIC_FACTOR:
        return "Replace general statements with specifics: numbers, named tools and the reason behind each choice."
    if judgement.depth < WEAK_DEPTH:
        return "Go one level deeper on each step: what exactly happens, why, and what it costs."
    return ""


def _unanswered(question: Question, judgement: Judgement) -> str:
    first = max(question.rubric, key=lambda p: p.weight)  # max keeps the earliest of equal weights
    lead = f"{IGNORED_GRADER_TEXT} " if judgement.grader_directed else ""
    return _sentence(f"{lead}There was no answer to score. Start with {short_point(first.point)}")


def _prompt(question: Question) -> str:
    return _sentence(first_sentence(question.prompt))


def _sentence(text: str) -> str:
    """Ends the text with a full stop unless it already ends a sentence (or an ellipsis)."""
    return text if text[-1:] in ".?!…" else f"{text}."


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
