"""How a score reads in every view (terminal, Markdown, HTML): its number format and its band."""

from __future__ import annotations


def score_band(score: float | None) -> str:
    """good (7 and up), mid (4 to below 7), bad (below 4) or none (not scored): the colour of a score."""
    if score is None:
        return "none"
    return "good" if score >= 7 else "mid" if score >= 4 else "bad"


def fmt_score(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"
