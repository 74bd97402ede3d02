"""How a round runs: the options `drill COMPANY ROLE` and `drill resume` hand to the round."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from interview_cli.rounds.persona import Persona


@dataclass
class RoundOptions:
    round_id: str | None = None
    answers: Path | None = None
    count: int | None = None
    minutes: float | None = None
    seed: int | None = None
    follow_ups: bool = True
    due: bool = False
    model: str | None = None
    api_base: str | None = None
    session_model: str | None = None  # what a resumed session was started with (--model wins)
    session_api_base: str | None = None
    concurrency: int = 4
    samples: int = 1
    json_out: bool = False
    persona: Persona = Persona.NEUTRAL
    about: bool = False  # show the company's about text in full even when it was seen before
    stt_model: str | None = None  # transcription engine: a litellm model or whispercpp:/path/model.bin
    stt_api_base: str | None = None  # OpenAI-compatible transcription server (else api_base)
    answers_audio: Path | None = None  # folder of recorded answers named by question id
    keep_audio: bool = False  # keep the recordings under DRILL_HOME/audio
    speak: bool = False  # read the interviewer's lines aloud
    listen: bool = False  # Ctrl-T in the answer box records a spoken answer
    tts_model: str | None = None  # a litellm speech() model; default espeak-ng

    @property
    def voice_api_base(self) -> str | None:
        """Where transcription and speech models are served: --stt-api-base, else --api-base."""
        return self.stt_api_base or self.api_base
