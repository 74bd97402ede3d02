"""Audio files as drill reads them: WAV through the standard library, other formats through ffmpeg,
long recordings cut into chunks so memory stays bounded whatever the file's length."""

from __future__ import annotations

import array
import contextlib
import io
import math
import os
import shutil
import subprocess
import tempfile
import wave
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from interview_cli.errors import UsageError

CHUNK_SECONDS = 600.0  # ten minutes of audio per transcription request
CHUNK_BYTES = 20_000_000  # and never more than this (OpenAI's upload limit is 25 MB)
NATIVE = (".wav",)
THROUGH_FFMPEG = (".mp3", ".m4a")
AUDIO_SUFFIXES = NATIVE + THROUGH_FFMPEG


class AudioError(UsageError):
    """An audio file drill cannot read: one line naming the file and what to do."""


@dataclass(frozen=True)
class Chunk:
    offset: float  # seconds from the start of the file
    seconds: float
    wav: bytes  # a complete WAV file of this stretch


def ffmpeg() -> str | None:
    return shutil.which("ffmpeg")


def readable_suffixes() -> tuple[str, ...]:
    """The audio file types this machine can read: .wav always; .mp3 and .m4a when ffmpeg is installed."""
    return AUDIO_SUFFIXES if ffmpeg() else NATIVE


def duration(path: Path) -> float:
    with _open(path) as wav:
        return wav.getnframes() / wav.getframerate()


@contextlib.contextmanager
def _open(path: Path) -> Iterator[wave.Wave_read]:
    try:
        wav = wave.open(str(path), "rb")
    except FileNotFoundError:
        raise AudioError(f"no such audio file: {path}") from None
    except (wave.Error, EOFError, OSError, RuntimeError) as exc:  # wave raises RuntimeError on a truncated chunk
        raise AudioError(f"cannot read {path}: not a PCM WAV file drill can read ({_reason(exc)}) — "
                         "record it again, or convert it: ffmpeg -i IN -ac 1 -ar 16000 OUT.wav") from None
    try:
        if wav.getnframes() == 0 or wav.getframerate() <= 0:
            raise AudioError(f"{path} holds no audio (0 samples) — record the answer again")
        yield wav
    finally:
        wav.close()


def _reason(exc: BaseException) -> str:
    return str(exc) if str(exc) and not isinstance(exc, RuntimeError) else "the file is cut short"


def chunks(path: Path, max_seconds: float = CHUNK_SECONDS, max_bytes: int = CHUNK_BYTES) -> Iterator[Chunk]:
    """The file as consecutive WAV chunks of at most `max_seconds` and `max_bytes`; only one chunk is in
    memory at a time. mp3 and m4a are converted to 16 kHz mono WAV with ffmpeg first (a temporary file)."""
    with as_wav(path) as wav_path, _open(wav_path) as wav:
        rate, width, channels = wav.getframerate(), wav.getsampwidth(), wav.getnchannels()
        frame_bytes = width * channels
        per_chunk = max(1, min(int(max_seconds * rate), (max_bytes - 44) // frame_bytes))
        offset_frames = 0
        while True:
            try:
                frames = wav.readframes(per_chunk)
            except (wave.Error, EOFError, OSError, RuntimeError) as exc:
                raise AudioError(f"cannot read {path}: the audio is damaged after "
                                 f"{offset_frames / rate:.0f} s ({_reason(exc)}) — record it again") from None
            if not frames:
                return
            count = len(frames) // frame_bytes
            yield Chunk(offset_frames / rate, count / rate, wav_bytes(frames, rate, width, channels))
            offset_frames += count
            if count < per_chunk:
                return


def wav_bytes(frames: bytes, rate: int, width: int = 2, channels: int = 1) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(width)
        wav.setframerate(rate)
        wav.writeframes(frames)
    return out.getvalue()


@contextlib.contextmanager
def as_wav(path: Path) -> Iterator[Path]:
    """`path` itself when it is a WAV file, else a temporary 16 kHz mono WAV made by ffmpeg (deleted after)."""
    suffix = path.suffix.lower()
    if suffix not in THROUGH_FFMPEG:
        yield path
        return
    exe = ffmpeg()
    if exe is None:
        raise AudioError(f"{path.name} is {suffix[1:]}: drill reads it through ffmpeg, which is not installed — "
                         "install ffmpeg (apt-get install ffmpeg, brew install ffmpeg) or convert it to .wav")
    handle, temp = tempfile.mkstemp(prefix="drill-audio-", suffix=".wav")
    os.close(handle)
    try:
        done = subprocess.run([exe, "-nostdin", "-loglevel", "error", "-y", "-i", str(path), "-ac", "1",
                               "-ar", "16000", "-f", "wav", temp], capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            first = (done.stderr.strip().splitlines() or ["ffmpeg failed"])[-1]
            raise AudioError(f"cannot read {path}: {first} — record it again, or convert it to .wav")
        yield Path(temp)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp)


VOICED_DB = -40.0  # louder than this (RMS, dBFS) is speech; room noise and silence are quieter
BRIDGED_SILENCE = 0.3  # gaps shorter than this are the pauses inside speech, not between phrases
ENERGY_BLOCK = 0.05  # seconds per loudness measurement


def decibels(frames: bytes, width: int) -> float:
    """RMS loudness of 16-bit samples in dBFS (-inf for silence; other sample widths read as silence)."""
    if width != 2 or len(frames) < 2:
        return -math.inf
    samples = array.array("h", frames[: len(frames) // 2 * 2])
    rms = math.sqrt(sum(s * s for s in samples) / len(samples)) / 32768.0
    return 20 * math.log10(rms) if rms > 0 else -math.inf


def voiced_spans(wav: bytes) -> list[tuple[float, float]]:
    """(start, end) of each stretch of speech in a WAV, found from its loudness, gaps under
    BRIDGED_SILENCE bridged: what tells pauses apart when an engine gives no timestamps."""
    spans: list[list[float]] = []
    with wave.open(io.BytesIO(wav), "rb") as reader:
        rate, width, channels = reader.getframerate(), reader.getsampwidth(), reader.getnchannels()
        per_block = max(1, int(rate * ENERGY_BLOCK))
        at = 0.0
        while frames := reader.readframes(per_block):
            length = len(frames) // (width * channels) / rate
            if decibels(frames, width) > VOICED_DB:
                if spans and at - spans[-1][1] < BRIDGED_SILENCE:
                    spans[-1][1] = round(at + length, 3)
                else:
                    spans.append([round(at, 3), round(at + length, 3)])
            at += length
    return [(start, end) for start, end in spans]
