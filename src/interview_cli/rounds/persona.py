"""The interviewer's persona: a tiny module, so the command line can offer it without loading a round."""

from __future__ import annotations

from enum import StrEnum


class Persona(StrEnum):
    """How the interviewer sounds and how hard the follow-ups push."""

    FRIENDLY = "friendly"
    NEUTRAL = "neutral"
    TOUGH = "tough"
