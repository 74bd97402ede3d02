"""`drill doctor`: does the chosen model work? The preflight, then one tiny scoring call, timed."""

from __future__ import annotations

import time
from dataclasses import dataclass

from interview_cli.scoring.select import llm_timing_from_env, preflight_choice

PROBE_ANSWER = "A cache keeps recently used data in fast memory and evicts the least recently used entry when full."


@dataclass(frozen=True)
class ModelCheck:
    model: str
    api_base: str | None
    response_format: str  # the structured-output mode the server accepted
    seconds: float
    score: float


def probe_question():
    from interview_cli.banks.model import Question

    return Question(id="doctor-probe", prompt="What is an LRU cache?",
                    rubric=["keeps recent data in fast memory", "evicts the least recently used entry"])


def check_model(model: str | None, api_base: str | None) -> ModelCheck | None:
    """None when no model is configured (the offline scorer needs no check); otherwise a ModelCheck, or
    UsageError (preflight) / ScoringError (the call) with one line saying what to fix."""
    choice = preflight_choice(model, api_base)
    if choice.model is None:
        return None
    from interview_cli.scoring.base import Exchange
    from interview_cli.scoring.llm import LLMScorer, remembered_format, warm_up

    warm_up()  # litellm's import is not the model's latency
    scorer = LLMScorer(choice.model, choice.api_base, **llm_timing_from_env())
    start = time.monotonic()
    [result] = scorer.score([Exchange(probe_question(), PROBE_ANSWER)])
    seconds = time.monotonic() - start
    return ModelCheck(scorer.name, scorer.api_base, remembered_format(scorer.name, scorer.api_base), seconds,
                      result.score)
