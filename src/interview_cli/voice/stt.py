"""Speech to text: the engine `--stt-model` names, and a whole file transcribed chunk by chunk.

    whispercpp:/path/to/ggml-base.en.bin   offline, whisper.cpp through pywhispercpp (an optional extra)
    openai/whisper-1, groq/whisper-large-v3, ...   any litellm transcription() model
    MODEL with --stt-api-base URL (or --api-base)  any OpenAI-compatible /v1/audio/transcriptions server
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from interview_cli.errors import DrillError, UsageError
from interview_cli.voice import audio
from interview_cli.voice.transcript import Timing, Transcript, Word, joined, words_from_segments, words_over_spans

WHISPERCPP = "whispercpp:"
WHISPERCPP_INSTALL = "pip install pywhispercpp==1.5.1 (the whispercpp extra)"


class TranscriptionError(DrillError):
    """The engine failed or gave nothing back: one line; the audio and the round are kept."""


class Engine(Protocol):
    name: str

    def transcribe_wav(self, wav: bytes, filename: str) -> Transcript: ...


@dataclass(frozen=True)
class SttChoice:
    model: str
    api_base: str | None = None

    @property
    def whispercpp_model(self) -> Path | None:
        if not self.model.startswith(WHISPERCPP):
            return None
        return Path(self.model.removeprefix(WHISPERCPP)).expanduser()


def whispercpp_problem(model_file: Path) -> str | None:
    """Why a whisper.cpp model file cannot be used (None when it looks right): missing, empty, not ggml."""
    if not model_file.is_file():
        return f"no whisper.cpp model file at {model_file} — see: drill voice setup"
    try:
        with model_file.open("rb") as handle:
            magic = handle.read(4)
    except OSError as exc:
        return f"cannot read {model_file}: {exc.strerror or exc}"
    if magic not in (b"lmgg", b"ggml", b"ggjt", b"GGUF"):
        return f"{model_file} is not a whisper.cpp (ggml) model file — see: drill voice setup"
    return None


def engine_for(choice: SttChoice) -> Engine:
    model_file = choice.whispercpp_model
    if model_file is not None:
        return WhisperCppEngine(model_file)
    from interview_cli.voice.llm import LiteLLMTranscriber

    return LiteLLMTranscriber(choice.model, choice.api_base)


def transcribe_file(path: Path, engine: Engine, *, max_seconds: float = audio.CHUNK_SECONDS,
                    on_chunk: Callable[[int], None] | None = None) -> Transcript:
    """The whole recording's transcript: chunk by chunk (each shifted to its place), joined."""
    parts = []
    for number, chunk in enumerate(audio.chunks(path, max_seconds=max_seconds), 1):
        if on_chunk:
            on_chunk(number)
        part = with_word_times(engine.transcribe_wav(chunk.wav, f"{path.stem}-{number}.wav" if number > 1
                                                     else f"{path.stem}.wav"), chunk.wav)
        duration = part.duration if part.duration is not None else chunk.seconds
        parts.append(Transcript(part.text, part.words, duration, part.timing).shifted(chunk.offset))
    found = joined(parts)
    if not found.text.strip():
        raise TranscriptionError(f"{engine.name} heard no words in {path.name} — is the recording silent? "
                                 "Nothing was stored for it")
    return found


def with_word_times(part: Transcript, wav: bytes) -> Transcript:
    """An untimed transcript's words placed over the stretches where the audio is loud (Timing.ENERGY)."""
    if part.words or not part.text.strip():
        return part
    words = words_over_spans(part.text, audio.voiced_spans(wav))
    return Transcript(part.text, words, part.duration, Timing.ENERGY) if words else part


def from_verbose_json(data: dict) -> Transcript:
    """An OpenAI verbose_json transcription (`words` with word timestamps and/or `segments`) as a Transcript.
    ValueError when it has no text string; words and segments without valid times are left out."""
    if not isinstance(data, dict) or not isinstance(data.get("text"), str | None):
        raise ValueError(f"its text is a {type(data.get('text') if isinstance(data, dict) else data).__name__}, "
                         "not a string")
    text = (data.get("text") or "").strip()
    duration = _number(data.get("duration"))
    timed = tuple(Word(w["word"].strip(), start, end) for w, start, end in _timed(data.get("words"))
                  if isinstance(w.get("word"), str) and w["word"].strip())
    if timed:
        return Transcript(text, _with_punctuation(timed, text), duration, Timing.WORDS)
    spans = [(start, end, s["text"]) for s, start, end in _timed(data.get("segments")) if isinstance(s.get("text"), str)]
    if spans:
        return Transcript(text, words_from_segments(spans), duration, Timing.SEGMENTS)
    return Transcript(text, (), duration, Timing.NONE)


def _timed(items) -> list[tuple[dict, float, float]]:
    """The (item, start, end) of each dict in `items` whose start and end are numbers, in order."""
    found = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict):
            start, end = _number(item.get("start")), _number(item.get("end"))
            if start is not None and end is not None:
                found.append((item, start, end))
    return found


def _number(value) -> float | None:
    """A finite number of seconds (bools and strings are not), else None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) and value >= 0 else None


def _with_punctuation(words: tuple[Word, ...], text: str) -> tuple[Word, ...]:
    """OpenAI's word list drops punctuation ("so", "like", "the"); put each word's trailing punctuation
    back from the text ("so," "like,"), which the filler rules read. Words the text lacks stay as they are."""
    out, cursor, lowered = [], 0, text.lower()
    for word in words:
        found = lowered.find(word.text.lower(), cursor)
        if found < 0:
            out.append(word)
            continue
        end = found + len(word.text)
        while end < len(text) and text[end] in ",.;:!?…":
            end += 1
        out.append(Word(text[found:end], word.start, word.end))
        cursor = end
    return tuple(out)


class WhisperCppEngine:
    """whisper.cpp in this process through pywhispercpp, with a model file the user downloaded."""

    def __init__(self, model_file: Path):
        self.model_file = model_file
        self.name = f"whisper.cpp ({model_file.name})"
        self._model = None
        self._loading = threading.Lock()

    def load(self):
        """The model, loaded on first use (seconds); --listen calls it early on a background thread."""
        with self._loading:
            return self._load()

    def _load(self):
        if self._model is None:
            try:
                from pywhispercpp.model import Model
            except ImportError:
                raise UsageError(f"--stt-model whispercpp: needs pywhispercpp — {WHISPERCPP_INSTALL}") from None
            self._model = Model(str(self.model_file), print_realtime=False, print_progress=False)
        return self._model

    def transcribe_wav(self, wav: bytes, filename: str) -> Transcript:
        samples, seconds = _samples_16k(wav)
        segments = self.load().transcribe(samples, token_timestamps=True, max_len=1)
        spans = [(s.t0 / 100.0, s.t1 / 100.0, s.text) for s in segments]  # whisper.cpp counts centiseconds
        words = words_from_segments(spans)
        text = " ".join(s.text.strip() for s in segments if s.text.strip())
        return Transcript(text, words, seconds, Timing.WORDS if words else Timing.NONE)


def _samples_16k(wav: bytes):
    """Mono float32 samples at 16 kHz (what whisper.cpp takes), and the audio's length in seconds."""
    import io
    import wave

    import numpy as np

    with wave.open(io.BytesIO(wav), "rb") as reader:
        rate, channels, width = reader.getframerate(), reader.getnchannels(), reader.getsampwidth()
        frames = reader.readframes(reader.getnframes())
    if width != 2:
        raise TranscriptionError(f"whisper.cpp needs 16-bit audio; this recording has {8 * width}-bit samples — "
                                 "convert it: ffmpeg -i IN -ac 1 -ar 16000 OUT.wav")
    samples = np.frombuffer(frames, dtype="<i2").astype(np.float32) / 32768.0
    if channels > 1:
        samples = samples.reshape(-1, channels).mean(axis=1)
    seconds = len(samples) / rate
    if rate != 16000:
        target = np.linspace(0, len(samples) - 1, int(seconds * 16000))
        samples = np.interp(target, np.arange(len(samples)), samples).astype(np.float32)
    return samples, seconds
