"""Transcription and speech through litellm: the only module of voice/ that imports it.

As in scoring/llm.py, litellm is imported lazily, with LITELLM_LOCAL_MODEL_COST_MAP=True set first
(no network fetch of the price list) and its own logging silenced.
"""

from __future__ import annotations

import io
import logging
import os
import re
import warnings
from typing import Any

from interview_cli.redact import redact
from interview_cli.voice.transcript import Transcript

TIMEOUT_SECONDS = 120.0


def _litellm() -> Any:
    os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"
    import litellm

    litellm.suppress_debug_info = True
    # litellm's response models warn on stderr (over the answer box) when a server's fields have odd types
    warnings.filterwarnings("ignore", message="Pydantic serializer warnings", category=UserWarning)
    if not os.environ.get("LITELLM_LOG"):
        for name in ("LiteLLM", "LiteLLM Router", "LiteLLM Proxy"):
            logging.getLogger(name).setLevel(logging.CRITICAL)
    return litellm


def warm_up() -> None:
    """Pay litellm's import (seconds) now, e.g. from a background thread while the candidate speaks."""
    try:
        _litellm()
    except Exception:  # noqa: BLE001 - the real call reports the problem
        pass


def routed(model: str, api_base: str | None) -> str:
    """A bare model name sent to an OpenAI-compatible server goes through litellm's openai provider."""
    return model if "/" in model or not api_base else f"openai/{model}"


def api_key(model: str, api_base: str | None) -> str | None:
    # A local server usually wants no key, but the OpenAI SDK refuses to send a request without one.
    if api_base and routed(model, api_base).startswith("openai/") and not os.environ.get("OPENAI_API_KEY"):
        return "no-key-needed"
    return None


def failure(exc: BaseException, what: str, model: str, api_base: str | None) -> str:
    """One redacted line for a failed transcription or speech call."""
    status = getattr(exc, "status_code", None)
    detail = re.sub(r"\s+", " ", str(exc) or type(exc).__name__).strip()
    for _ in range(4):
        detail = re.sub(r"^(?:litellm\.)?\w+(?:Error|Exception|Timeout)\s*[:\-]\s*", "", detail).strip()
    detail = detail[:200]
    where = api_base or f"the {model.split('/', 1)[0]} API"
    names = {c.__name__ for c in type(exc).__mro__}
    if status in (401, 403) or "AuthenticationError" in names:
        hint = "check the API key"
    elif "Timeout" in names or "APITimeoutError" in names:  # a subclass of APIConnectionError: ask first
        hint = f"no answer within {TIMEOUT_SECONDS:g} s"
    elif "APIConnectionError" in names or "connection error" in detail.lower():
        hint = "is the server running? check --stt-api-base"
    elif "APIResponseValidationError" in names or isinstance(exc, ValueError):
        hint = "the server's answer is not a transcription"
    else:
        hint = f"the server answered {status}" if isinstance(status, int) else type(exc).__name__
    return redact(f"{what} with {model} at {where} failed ({hint}): {detail}")


class LiteLLMTranscriber:
    """Any litellm transcription() model, or an OpenAI-compatible server at `api_base`; asks for
    verbose_json with word and segment timestamps."""

    def __init__(self, model: str, api_base: str | None = None):
        self.model = model
        self.api_base = api_base.rstrip("/") if api_base else None
        self.name = model

    def transcribe_wav(self, wav: bytes, filename: str) -> Transcript:
        from interview_cli.voice.stt import TranscriptionError, from_verbose_json

        try:
            try:
                data = self._call(wav, filename, timed=True)
            except Exception as exc:  # noqa: BLE001
                if not rejects_timestamps(exc):
                    raise
                data = self._call(wav, filename, timed=False)  # e.g. gpt-4o-transcribe: text only, no times
            return from_verbose_json(data)
        except Exception as exc:  # noqa: BLE001 - litellm raises many types; each becomes one line
            raise TranscriptionError(failure(exc, "transcribing", self.model, self.api_base)) from None

    def _call(self, wav: bytes, filename: str, timed: bool) -> dict:
        litellm = _litellm()
        timing = {"response_format": "verbose_json", "timestamp_granularities": ["word", "segment"]} if timed \
            else {"response_format": "json"}
        model = routed(self.model, self.api_base)
        try:
            response = litellm.transcription(
                model=model, file=named_audio(wav, filename), api_base=self.api_base,
                api_key=api_key(self.model, self.api_base), timeout=TIMEOUT_SECONDS, max_retries=0,
                client=strict_openai_client(model, self.api_base), **timing)
        except Exception as exc:
            if type(exc).__name__ == "APIResponseValidationError" and isinstance(getattr(exc, "body", None), dict):
                return exc.body  # JSON, but with fields of odd types: from_verbose_json keeps what it can read
            raise
        return response.model_dump() if hasattr(response, "model_dump") else dict(response)


def named_audio(wav: bytes, filename: str) -> io.BytesIO:
    """The upload as a named file object: given bytes in a tuple, litellm keeps str() of the tuple for its
    logs, a copy about four times the size of the audio."""
    upload = io.BytesIO(wav)
    upload.name = filename
    return upload


def strict_openai_client(model: str, api_base: str | None) -> Any:
    """For the OpenAI provider, a client that refuses an answer that is not JSON: otherwise a proxy's HTML
    error page comes back as the transcript's text. None (litellm's own client) for other providers.
    It also refuses JSON whose fields have odd types; _call hands that JSON to from_verbose_json."""
    if "/" in model and not model.startswith("openai/"):
        return None
    from openai import OpenAI

    return OpenAI(api_key=api_key(model, api_base) or os.environ.get("OPENAI_API_KEY") or "missing-key",
                  base_url=api_base, timeout=TIMEOUT_SECONDS, max_retries=0, _strict_response_validation=True)


def rejects_timestamps(exc: BaseException) -> bool:
    """A 400 saying the model cannot give verbose_json or timestamps: ask again for plain text."""
    said = str(exc).lower()
    return getattr(exc, "status_code", None) == 400 and any(
        word in said for word in ("verbose_json", "timestamp_granularities", "response_format"))


def speech_wav(text: str, model: str, api_base: str | None, voice: str = "alloy") -> bytes:
    """`text` spoken by a litellm speech() model, as WAV bytes."""
    from interview_cli.voice.stt import TranscriptionError

    litellm = _litellm()
    try:
        response = litellm.speech(model=routed(model, api_base), input=text, voice=voice, response_format="wav",
                                  api_base=api_base, api_key=api_key(model, api_base), timeout=TIMEOUT_SECONDS)
    except Exception as exc:  # noqa: BLE001
        raise TranscriptionError(failure(exc, "speaking", model, api_base)) from None
    return response.content
