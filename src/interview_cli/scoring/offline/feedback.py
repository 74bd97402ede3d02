"""Feedback for an offline score: whole sentences from the rubric's points, with quotes of the evidence."""

from __future__ import annotations

from typing import TYPE_CHECKING

from interview_cli.banks.snapshot import Question
from interview_cli.scoring.offline.text import words

if TYPE_CHECKING:
    from interview_cli.scoring.base import PointResult
    from interview_cli.scoring.offline.scorer import Judgement

LIST_ADVICE_FROM = 1.0  # points lost to keyword lists before the feedback says so
QUOTE_WORDS = 24  # a longer evidence sentence is quoted up to a clause break or word boundary
IGNORED_GRADER_TEXT = "Text addressed to the grader was ignored; it never raises a score."
LIST_ADVICE = "Write full sentences that say what you would do and why, not a list of terms."
COPY_ADVICE = "Say it in your own words: the rubric's wording on its own shows no understanding."
RELEVANCE_ADVICE = ("Most of this answer reads like general text rather than an answer to this question: "
                    "answer what was asked.")


def write_feedback(question: Question, judgement: Judgement) -> str:
    """Deterministic advice in 2-4 whole sentences: what came through (quoted), the first red flag,
    the biggest gap, and one writing fix."""
    if not judgement.answered:
        return _unanswered(question, judgement)
    caps = [a for a in judgement.adjustments if a.kind.is_gaming_cap]
    if caps:
        return " ".join(s for s in (_capped(judgement, min(caps, key=lambda a: a.amount)), _advice(judgement)) if s)
    sentences = [_covered(judgement.points), _red_flag(judgement.red_flags), _gap(judgement), _advice(judgement)]
    return " ".join(s for s in sentences if s)


def quote(text: str) -> str:
    """The evidence in quotation marks, cut at a clause or word boundary when long, never mid-word."""
    text = " ".join(text.split()).rstrip(".!?;:, ")
    tokens = text.split()
    if len(words(text)) <= QUOTE_WORDS:
        return f"“{text}”"
    head = " ".join(tokens[:QUOTE_WORDS])
    cut = max(head.rfind(","), head.rfind(";"))
    if cut > len(head) // 2:
        head = head[:cut]
    return f"“{head.rstrip(' ,;:-')} …”"


def point_sentence(point: str) -> str:
    """A rubric point as a sentence of its own: capitalised, ending with a full stop."""
    text = " ".join(point.split()).rstrip(" ;,:")
    text = text[:1].upper() + text[1:]
    return text if text[-1:] in ".?!" else f"{text}."


def _covered(points: tuple[PointResult, ...]) -> str:
    covered = sorted((p for p in points if p.covered), key=lambda p: -p.weight)  # stable: rubric order
    if not covered:
        return "None of the rubric points came through clearly yet."
    best = covered[0]
    lead = f"You covered {len(covered)} of {len(points)} rubric points"
    if not best.evidence:
        return f"{lead}, among them this one: {point_sentence(best.point)}"
    return f"{lead}; for example, {quote(best.evidence)} covers this one: {point_sentence(best.point)}"


def _capped(judgement: Judgement, cap) -> str:
    covered = sum(p.covered for p in judgement.points)
    return (f"This answer names {covered} of {len(judgement.points)} rubric points, but {cap.reason}, "
            f"so its score is capped at {cap.amount:.1f}.")


def _red_flag(flags: tuple[PointResult, ...]) -> str:
    said = [f for f in flags if f.evidence]
    if not said:
        return ""
    more = f" ({len(said) - 1} more in the rubric list)" if len(said) > 1 else ""
    return f"Red flag{more}: {quote(said[0].evidence)} says this: {point_sentence(said[0].point)}"


def _gap(judgement: Judgement) -> str:
    missed = [(p, near) for p, near in zip(judgement.points, judgement.near_misses, strict=True) if not p.covered]
    if not missed:
        return "Every rubric point came through; make the key decisions and their reasons stand out."
    missed.sort(key=lambda item: -item[0].weight)  # stable: equal weights keep rubric order
    point, near = missed[0]
    if judgement.unsure:
        return ("I couldn't find this point, though you may have made it in words I don't recognise: "
                f"{point_sentence(point.point)}")
    if near:
        return f"I couldn't find this point clearly, though {quote(near)} came close: {point_sentence(point.point)}"
    return f"The biggest gap: {point_sentence(point.point)}"


def _advice(judgement: Judgement) -> str:
    from interview_cli.scoring.offline.scorer import AdjustmentKind

    if judgement.grader_directed:
        return IGNORED_GRADER_TEXT
    kinds = {a.kind for a in judgement.adjustments}
    listed = sum(a.amount for a in judgement.adjustments if a.kind == AdjustmentKind.LIST)
    if AdjustmentKind.LIST_CAP in kinds or listed <= -LIST_ADVICE_FROM:
        return LIST_ADVICE
    if AdjustmentKind.COPIED_RUBRIC in kinds:
        return COPY_ADVICE
    if AdjustmentKind.RELEVANCE in kinds:
        return RELEVANCE_ADVICE
    return ""


def _unanswered(question: Question, judgement: Judgement) -> str:
    first = max(question.rubric, key=lambda p: p.weight)  # max keeps the earliest of equal weights
    lead = f"{IGNORED_GRADER_TEXT} " if judgement.grader_directed else ""
    return f"{lead}There was no answer to score. A strong answer starts here: {point_sentence(first.point)}"
