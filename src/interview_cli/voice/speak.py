"""Reading the interviewer's lines aloud: espeak-ng (`say` on macOS) offline, or a litellm speech() model.

Speech runs on one background thread, a line at a time, so the round never waits for it.
DRILL_AUDIO_OUT=FILE.wav writes what would be played to that WAV file (each line appended) instead
of playing it: for tests, and to listen back later.
"""

from __future__ import annotations

import io
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import wave
from collections.abc import Callable
from pathlib import Path

from interview_cli.errors import DrillError
from interview_cli.sanitize import clean

AUDIO_OUT = "DRILL_AUDIO_OUT"
PLAYERS = (("aplay", "-q"), ("paplay",), ("afplay",), ("ffplay", "-nodisp", "-autoexit", "-loglevel", "quiet"))
FINISH_SECONDS = 30.0  # how long the end of a round waits for the last line to be written


class SpeechUnavailable(DrillError):
    """No way to speak: the one line names what to install; the round goes on in text."""


def espeak() -> str | None:
    return shutil.which("espeak-ng") or shutil.which("espeak")


def synthesiser(tts_model: str | None, api_base: str | None) -> Callable[[str], bytes]:
    """text -> WAV bytes, from the engine the options name; SpeechUnavailable when there is none."""
    if tts_model:
        from interview_cli.voice.llm import speech_wav

        return lambda text: speech_wav(text, tts_model, api_base)
    exe = espeak()
    if exe:
        return lambda text: _run_to_wav([exe, "--stdin", "-w"], text)
    if sys.platform == "darwin" and shutil.which("say"):
        return lambda text: _run_to_wav(["say", "--data-format=LEI16@22050", "-o"], text)
    raise SpeechUnavailable("--speak needs a speech engine: install espeak-ng (apt-get install espeak-ng), or pass "
                            "--tts-model MODEL — carrying on in text")


def _run_to_wav(command: list[str], text: str) -> bytes:
    """Run `command OUT.wav` with the text on stdin (never as an argument: a line starting with '-' stays text)."""
    handle, temp = tempfile.mkstemp(prefix="drill-speech-", suffix=".wav")
    os.close(handle)
    try:
        subprocess.run([*command, temp], input=text, text=True, capture_output=True, timeout=60, check=True)
        return Path(temp).read_bytes()
    finally:
        Path(temp).unlink(missing_ok=True)


def player() -> list[str] | None:
    for command in PLAYERS:
        if shutil.which(command[0]):
            return list(command)
    return None


def append_wav(target: Path, wav: bytes) -> None:
    """Add one line's audio to the end of `target` (created on the first line), rewritten atomically."""
    with wave.open(io.BytesIO(wav), "rb") as new:
        params, frames = new.getparams(), new.readframes(new.getnframes())
    before = b""
    if target.exists():
        with wave.open(str(target), "rb") as old:
            if (old.getframerate(), old.getsampwidth(), old.getnchannels()) == (
                    params.framerate, params.sampwidth, params.nchannels):
                before = old.readframes(old.getnframes())
    from interview_cli.files import atomic_writer

    with atomic_writer(target, binary=True) as stream, wave.open(stream, "wb") as out:
        out.setnchannels(params.nchannels)
        out.setsampwidth(params.sampwidth)
        out.setframerate(params.framerate)
        out.writeframes(before + frames)


class Speaker:
    """Speaks lines in order on a background thread; failures are reported once through `warn`."""

    def __init__(self, synthesise: Callable[[str], bytes], warn: Callable[[str], None],
                 audio_out: Path | None = None):
        self.synthesise = synthesise
        self.warn = warn
        self.audio_out = audio_out
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.failed = False
        self.worker = threading.Thread(target=self._run, name="drill-speech", daemon=True)
        self.worker.start()

    def say(self, text: str) -> None:
        text = " ".join(clean(text).split())
        if text and not self.failed:
            self.lines.put(text)

    def close(self, wait: float = FINISH_SECONDS) -> None:
        self.lines.put(None)
        self.worker.join(wait)

    def _run(self) -> None:
        while (text := self.lines.get()) is not None:
            if self.failed:
                continue
            try:
                self._speak(text)
            except (DrillError, OSError, subprocess.SubprocessError, wave.Error, EOFError) as exc:
                self.failed = True
                self.warn(f"could not speak ({str(exc) or type(exc).__name__}) — carrying on in text")

    def _speak(self, text: str) -> None:
        wav = self.synthesise(text)
        if self.audio_out is not None:
            append_wav(self.audio_out, wav)
            return
        command = player()
        if command is None:
            raise SpeechUnavailable("no audio player found: install alsa-utils (aplay), or use DRILL_AUDIO_OUT=FILE")
        handle, temp = tempfile.mkstemp(prefix="drill-speech-", suffix=".wav")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(wav)
            subprocess.run([*command, temp], capture_output=True, timeout=600)
        finally:
            Path(temp).unlink(missing_ok=True)


def audio_out() -> Path | None:
    value = os.environ.get(AUDIO_OUT, "").strip()
    return Path(value).expanduser() if value else None
