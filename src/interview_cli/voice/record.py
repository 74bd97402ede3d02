"""Recording an answer: from the microphone through arecord (ALSA) or sox, or from a WAV file named by
DRILL_AUDIO_IN (played in at real time, as a microphone would deliver it: for tests and rehearsals).

A recording streams to a temporary WAV file on a background thread, so memory stays the same
however long it runs; `level()` is the loudness of the last tenth of a second, for a meter.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
import time
import wave
from collections.abc import Callable, Iterator
from pathlib import Path

from interview_cli.errors import DrillError, UsageError
from interview_cli.voice.audio import decibels

AUDIO_IN = "DRILL_AUDIO_IN"
RATE = 16000  # what whisper models take; arecord and sox resample for us
BLOCK_SECONDS = 0.1
NO_RECORDER = ("--listen needs a way to record: install alsa-utils (arecord) or sox, or set "
               "DRILL_AUDIO_IN=FILE.wav to answer from a recording")


class RecordingError(DrillError):
    """Recording could not start or broke off: one line, shown in the answer box; the typed text stays."""


def audio_in() -> Path | None:
    value = os.environ.get(AUDIO_IN, "").strip()
    return Path(value).expanduser() if value else None


def recorder_command() -> list[str] | None:
    """The microphone recorder this machine has: raw 16-bit mono PCM at RATE on stdout."""
    if shutil.which("arecord"):
        return ["arecord", "-q", "-f", "S16_LE", "-r", str(RATE), "-c", "1", "-t", "raw"]
    if shutil.which("sox"):
        return ["sox", "-q", "-d", "-t", "raw", "-r", str(RATE), "-c", "1", "-b", "16", "-e", "signed-integer", "-"]
    return None


def recorder_problem() -> str | None:
    """Why --listen cannot record here (None when it can)."""
    source = audio_in()
    if source is not None:
        if not source.is_file():
            return f"{AUDIO_IN}={source}: no such file — name a WAV recording"
        return None
    return None if recorder_command() else NO_RECORDER


def level_of(frames: bytes, width: int) -> float:
    """Loudness on a 0-1 scale for the meter: -60 dBFS and below as 0, full scale as 1."""
    return max(0.0, min(1.0, (decibels(frames, width) + 60) / 60))


def file_blocks(path: Path, paced: bool = True) -> tuple[tuple[int, int, int], Iterator[bytes]]:
    """((rate, width, channels), blocks of BLOCK_SECONDS) from a WAV file, delivered at real time when `paced`."""
    try:
        reader = wave.open(str(path), "rb")
    except (OSError, wave.Error, EOFError, RuntimeError) as exc:
        raise RecordingError(f"cannot read {AUDIO_IN}={path}: {exc or 'not a WAV file'}") from None
    params = (reader.getframerate(), reader.getsampwidth(), reader.getnchannels())
    per_block = max(1, int(params[0] * BLOCK_SECONDS))

    def blocks() -> Iterator[bytes]:
        started, sent = time.monotonic(), 0
        try:
            while frames := reader.readframes(per_block):
                sent += len(frames) // (params[1] * params[2])
                if paced:
                    time.sleep(max(0.0, started + sent / params[0] - time.monotonic()))
                yield frames
        finally:
            reader.close()

    return params, blocks()


class Recording:
    """One recording in progress: blocks from a source written to a temporary WAV file until stop()."""

    def __init__(self, params: tuple[int, int, int], blocks: Iterator[bytes], stop_source: Callable[[], None],
                 folder: Path | None = None):
        handle, temp = tempfile.mkstemp(prefix="drill-recording-", suffix=".wav", dir=folder)
        os.close(handle)
        self.path = Path(temp)
        self.params = params
        self.started = time.monotonic()
        self.stopped_at: float | None = None
        self._level = 0.0
        self._stop = threading.Event()
        self._stop_source = stop_source
        self.failed: str | None = None
        self.seconds = 0.0
        self._writer = wave.open(str(self.path), "wb")
        self._writer.setframerate(params[0])
        self._writer.setsampwidth(params[1])
        self._writer.setnchannels(params[2])
        self._thread = threading.Thread(target=self._pump, args=(blocks,), name="drill-recording", daemon=True)
        self._thread.start()

    def _pump(self, blocks: Iterator[bytes]) -> None:
        rate, width, channels = self.params
        try:
            for frames in blocks:
                if self._stop.is_set():
                    break
                self._writer.writeframesraw(frames)
                self.seconds += len(frames) / (rate * width * channels)
                self._level = level_of(frames, width)
        except (OSError, ValueError) as exc:
            if not self._stop.is_set():
                self.failed = f"recording broke off: {exc}"
        finally:
            self._level = 0.0

    def elapsed(self) -> float:
        return (self.stopped_at or time.monotonic()) - self.started

    def level(self) -> float:
        return self._level

    def stop(self) -> Path:
        """Stop, close the file and return it (the caller deletes it when done)."""
        self.stopped_at = time.monotonic()
        self._stop.set()
        self._stop_source()
        self._thread.join(5.0)
        self._writer.close()
        return self.path

    def discard(self) -> None:
        self.stop()
        self.path.unlink(missing_ok=True)


def start_recording(folder: Path | None = None, paced: bool = True) -> Recording:
    """Begin recording from DRILL_AUDIO_IN when set, else from the microphone (arecord or sox)."""
    source = audio_in()
    if source is not None:
        params, blocks = file_blocks(source, paced)
        return Recording(params, blocks, lambda: None, folder)
    command = recorder_command()
    if command is None:
        raise UsageError(NO_RECORDER)
    try:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    except OSError as exc:
        raise RecordingError(f"cannot start {command[0]}: {exc.strerror or exc}") from None
    block_bytes = int(RATE * BLOCK_SECONDS) * 2

    def blocks() -> Iterator[bytes]:
        while data := process.stdout.read(block_bytes):
            yield data
        if process.wait() != 0:
            raise OSError(f"{command[0]} stopped (no microphone?)")

    def stop_source() -> None:
        process.terminate()

    return Recording((RATE, 2, 1), blocks(), stop_source, folder)


def meter(level: float, width: int = 8) -> str:
    """A level meter: `▮▮▮▯▯▯▯▯`."""
    filled = round(max(0.0, min(1.0, level)) * width)
    return "▮" * filled + "▯" * (width - filled)
