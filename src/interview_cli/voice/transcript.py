"""A transcript as drill reads it: the text and, when the engine gave them, each word's start and end."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True)
class Word:
    text: str
    start: float  # seconds from the start of the recording
    end: float


class Timing(StrEnum):
    """How the word times were obtained (the delivery figures say how far to trust them)."""

    WORDS = "words"  # the engine timed every word
    SEGMENTS = "segments"  # the engine timed segments; words spread evenly across each
    ENERGY = "energy"  # no timestamps: words spread over the stretches where the audio is loud
    NONE = "none"  # no timestamps: rates come from the audio's length


@dataclass(frozen=True)
class Transcript:
    text: str
    words: tuple[Word, ...] = ()
    duration: float | None = None  # seconds of audio transcribed
    timing: str = Timing.NONE

    def shifted(self, offset: float) -> Transcript:
        """The same transcript with every time moved `offset` seconds later (a chunk of a longer file)."""
        words = tuple(Word(w.text, round(w.start + offset, 3), round(w.end + offset, 3)) for w in self.words)
        return Transcript(self.text, words, self.duration, self.timing)


def joined(parts: list[Transcript]) -> Transcript:
    """Transcripts of consecutive chunks as one (their times already shifted into place)."""
    text = " ".join(p.text.strip() for p in parts if p.text.strip())
    words = tuple(w for p in parts for w in p.words)
    durations = [p.duration for p in parts]
    duration = sum(d for d in durations if d is not None) if any(d is not None for d in durations) else None
    timings = {p.timing for p in parts if p.text.strip()}
    timing = timings.pop() if len(timings) == 1 else (Timing.SEGMENTS if words else Timing.NONE)
    return Transcript(text, words, duration, timing)


def words_from_segments(segments: list[tuple[float, float, str]]) -> tuple[Word, ...]:
    """Word times spread evenly over each (start, end, text) segment: what an engine without word
    timestamps allows. A pause inside a segment is invisible; pauses between segments are kept."""
    words: list[Word] = []
    for start, end, text in segments:
        tokens = text.split()
        if not tokens:
            continue
        step = max(end - start, 0.0) / len(tokens)
        words += [Word(token, round(start + i * step, 3), round(start + (i + 1) * step, 3))
                  for i, token in enumerate(tokens)]
    return tuple(words)


def words_over_spans(text: str, spans: list[tuple[float, float]]) -> tuple[Word, ...]:
    """The text's words spread over the voiced (start, end) spans in proportion to their length."""
    tokens = text.split()
    total = sum(end - start for start, end in spans)
    if not tokens or total <= 0:
        return ()
    segments, used, elapsed = [], 0, 0.0
    for start, end in spans:
        elapsed += end - start
        upto = round(len(tokens) * elapsed / total)
        if upto > used:
            segments.append((start, end, " ".join(tokens[used:upto])))
            used = upto
    return words_from_segments(segments)
