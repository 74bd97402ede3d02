"""How a score reads in every view (terminal, Markdown, HTML): its number format and its band."""

from __future__ import annotations


def score_band(score: float | None) -> str:
    """good (7 and up), mid (4 to below 7), bad (below 4) or none (not scored): the colour of a score."""
    if score is None:
        return "none"
    return "good" if score >= 7 else "mid" if score >= 4 else "bad"


def fmt_score(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def unsure_note(session_id: str) -> str:
    """What the result says when the offline scorer doubts its score, with the command for a second opinion."""
    return ("The offline scorer is unsure about this answer: it matches wording, not meaning, and this answer "
            f"may say more than it could see. For a model's opinion: drill score {session_id} --model MODEL")
