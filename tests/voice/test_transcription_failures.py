"""The one line a failed transcription call gives, for the exception types litellm and openai raise."""

from __future__ import annotations

import httpx
import openai

from interview_cli.voice.llm import failure

BASE = "http://127.0.0.1:9/v1"


def test_a_timeout_is_reported_as_a_timeout_not_as_a_server_that_is_down():
    timeout = openai.APITimeoutError(request=httpx.Request("POST", BASE + "/audio/transcriptions"))
    assert isinstance(timeout, openai.APIConnectionError)  # why the order of the checks matters
    assert failure(timeout, "transcribing", "whisper-1", BASE) == (
        f"transcribing with whisper-1 at {BASE} failed (no answer within 120 s): Request timed out.")


def test_a_refused_connection_asks_whether_the_server_is_running():
    down = openai.APIConnectionError(request=httpx.Request("POST", BASE + "/audio/transcriptions"))
    assert failure(down, "transcribing", "whisper-1", BASE) == (
        f"transcribing with whisper-1 at {BASE} failed (is the server running? check --stt-api-base): Connection error.")
