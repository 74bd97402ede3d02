"""Delivery figures from a timed transcript: pace, filler words, pauses and time use. Pure functions.

Delivery is kept apart from the content score: it never changes a score, it is shown beside it.
The thresholds behind the notes ("too fast", "too many fillers") and where they come from are in
docs/voice.md; change them here only together with that page.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from interview_cli.voice.transcript import Timing, Transcript

FAST_WPM = 160  # above the 120-160 words/min range speaking coaches give for presentations
SLOW_WPM = 100  # below the slow end of that range, with room for thinking aloud
MANY_FILLERS_PER_MINUTE = 4.0  # about one every 15 seconds: drill's rule of thumb (docs/voice.md)
LONG_PAUSE_SECONDS = 5.0  # a silence an interviewer notices and may fill
LAST_MINUTE_MIN_SECONDS = 120.0  # under two minutes "the last minute" is most of the answer: not measured

ALWAYS_FILLERS = {"um": "um", "umm": "um", "uhm": "um", "uh": "uh", "uhh": "uh", "er": "uh", "erm": "um",
                  "basically": "basically"}
FILLER_NAMES = ("um", "uh", "basically", "like", "you know", "sort of")  # what the counts are keyed by
# "sort of" is not a filler after a determiner: "a sort of queue", "what sort of index"
SORT_OF_NOT_AFTER = {"a", "an", "the", "what", "this", "that", "some", "any", "one", "which", "each", "every", "no",
                     "another", "same"}
_TOKEN = re.compile(r"[\w']+(?:-[\w']+)*")


@dataclass(frozen=True)
class Token:
    word: str  # lower case, punctuation removed
    start: float | None
    end: float | None
    set_off: bool  # a comma, full stop or the start of the answer right before it
    set_off_after: bool  # punctuation right after it (or the end of the answer)


@dataclass(frozen=True)
class Delivery:
    words: int
    speaking_seconds: float | None  # first word to last word (the recording's length without word times)
    limit_seconds: float | None
    words_per_minute: float | None
    fillers: dict[str, int] = field(default_factory=dict)  # filler -> how often, most frequent first
    filler_count: int = 0
    fillers_per_minute: float | None = None
    longest_pause_seconds: float | None = None
    longest_pause_at: float | None = None  # seconds into the recording where the silence began
    last_minute_share: float | None = None  # share of the words said in the last minute of speaking
    timing: str = Timing.NONE

    def as_dict(self) -> dict:
        return asdict(self)


def tokens(transcript: Transcript) -> list[Token]:
    """The transcript's words, normalised, with their times when the engine gave them."""
    if transcript.words:
        raw = [(w.text, w.start, w.end) for w in transcript.words]
    else:
        raw = [(piece, None, None) for piece in transcript.text.split()]
    out: list[Token] = []
    previous = ""
    for index, (text, start, end) in enumerate(raw):
        found = _TOKEN.findall(text.lower())
        if not found:
            previous = text
            continue
        set_off = not out or bool(re.search(r"[,.;:!?…—-]$", previous.strip())) or bool(re.match(r"^[,.;:!?…—-]", text))
        after = index == len(raw) - 1 or bool(re.search(r"[,.;:!?…—]$", text.strip()))
        out += [Token(word, start, end, set_off and i == 0, after and i == len(found) - 1)
                for i, word in enumerate(found)]
        previous = text
    return out


def filler_counts(words: list[Token]) -> dict[str, int]:
    """Filler words and phrases: um, uh, basically always; "like" and "you know" when set off by
    punctuation ("so, like, the cache"; "you know, we shard"); "sort of" unless after a determiner."""
    counts: dict[str, int] = {}
    skip = 0
    for i, token in enumerate(words):
        if skip:
            skip -= 1
            continue
        following = words[i + 1] if i + 1 < len(words) else None
        before = words[i - 1].word if i else ""
        found = ALWAYS_FILLERS.get(token.word)
        if token.word == "like" and (token.set_off or token.set_off_after):
            found = "like"
        elif token.word == "you" and following and following.word == "know" and (token.set_off or following.set_off_after):
            found, skip = "you know", 1
        elif token.word == "sort" and following and following.word == "of" and before not in SORT_OF_NOT_AFTER:
            found, skip = "sort of", 1
        if found:
            counts[found] = counts.get(found, 0) + 1
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def speaking_seconds(words: list[Token], transcript: Transcript) -> float | None:
    timed = [t for t in words if t.start is not None and t.end is not None]
    if timed:
        return round(max(t.end for t in timed) - min(t.start for t in timed), 2)
    return transcript.duration


def longest_pause(words: list[Token]) -> tuple[float, float] | None:
    """(seconds of silence, when it began): the widest gap between one word's end and the next one's start."""
    timed = [t for t in words if t.start is not None and t.end is not None]
    gaps = [(round(b.start - a.end, 2), a.end) for a, b in zip(timed, timed[1:]) if b.start > a.end]
    return max(gaps, key=lambda gap: (gap[0], -gap[1])) if gaps else (0.0, None) if timed else None


def last_minute_share(words: list[Token], seconds: float | None) -> float | None:
    """The share of the words that started in the final 60 seconds of speaking (answers of two minutes or more)."""
    timed = [t for t in words if t.start is not None]
    if not timed or seconds is None or seconds < LAST_MINUTE_MIN_SECONDS:
        return None
    last_minute_from = max(t.end for t in timed) - 60.0
    return round(sum(1 for t in timed if t.start >= last_minute_from) / len(timed), 3)


def per_minute(count: int, seconds: float | None) -> float | None:
    return round(count * 60.0 / seconds, 1) if seconds else None


def measure(transcript: Transcript, limit_seconds: float | None = None) -> Delivery:
    """The delivery figures of one spoken answer."""
    words = tokens(transcript)
    seconds = speaking_seconds(words, transcript)
    fillers = filler_counts(words)
    count = sum(fillers.values())
    pause = longest_pause(words) if transcript.timing != Timing.NONE else None
    return Delivery(
        words=len(words), speaking_seconds=seconds, limit_seconds=limit_seconds,
        words_per_minute=per_minute(len(words), seconds), fillers=fillers, filler_count=count,
        fillers_per_minute=per_minute(count, seconds),
        longest_pause_seconds=pause[0] if pause else None, longest_pause_at=pause[1] if pause else None,
        last_minute_share=last_minute_share(words, seconds) if transcript.timing != Timing.NONE else None,
        timing=transcript.timing,
    )


def clock(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def notes(delivery: dict) -> list[str]:
    """What to work on, one short line each (empty when the delivery was fine). `delivery` is Delivery.as_dict()."""
    said: list[str] = []
    seconds, limit = delivery.get("speaking_seconds"), delivery.get("limit_seconds")
    if seconds is not None and limit and seconds > limit:
        said.append(f"over time: spoke {clock(seconds)} of {clock(limit)}")
    wpm = delivery.get("words_per_minute")
    if wpm is not None and wpm > FAST_WPM:
        said.append(f"too fast: {wpm:g} words/min (aim for {SLOW_WPM}-{FAST_WPM})")
    elif wpm is not None and wpm < SLOW_WPM and delivery.get("words", 0) >= 20:
        said.append(f"slow: {wpm:g} words/min (aim for {SLOW_WPM}-{FAST_WPM})")
    rate = delivery.get("fillers_per_minute")
    if rate is not None and rate > MANY_FILLERS_PER_MINUTE:
        top = ", ".join(f"{word} ×{n}" for word, n in list(delivery.get("fillers", {}).items())[:3])
        said.append(f"too many fillers: {rate:g}/min (above {MANY_FILLERS_PER_MINUTE:g}; {top})")
    pause, at = delivery.get("longest_pause_seconds"), delivery.get("longest_pause_at")
    if pause is not None and pause >= LONG_PAUSE_SECONDS and at is not None:
        said.append(f"long pause: {pause:g} s at {clock(at)}")
    share = delivery.get("last_minute_share")
    if share is not None and seconds and share > 2 * 60.0 / seconds:
        said.append(f"rushed ending: {share:.0%} of the words came in the last minute")
    return said


def summary(delivery: dict) -> str:
    """One line of figures: `1:42 of 2:00 · 148 words/min · fillers 2.4/min (um ×3, like ×1) · longest pause 3.2 s`."""
    parts = []
    seconds, limit = delivery.get("speaking_seconds"), delivery.get("limit_seconds")
    if seconds is not None:
        parts.append(f"{clock(seconds)} of {clock(limit)}" if limit else f"{clock(seconds)} spoken")
    if delivery.get("words_per_minute") is not None:
        parts.append(f"{delivery['words_per_minute']:g} words/min")
    if delivery.get("fillers_per_minute") is not None:
        fillers = delivery.get("fillers") or {}
        listed = f" ({', '.join(f'{w} ×{n}' for w, n in fillers.items())})" if fillers else ""
        parts.append(f"fillers {delivery['fillers_per_minute']:g}/min{listed}")
    if delivery.get("longest_pause_seconds") is not None:
        parts.append(f"longest pause {delivery['longest_pause_seconds']:g} s")
    if delivery.get("last_minute_share") is not None:
        parts.append(f"{delivery['last_minute_share']:.0%} in the last minute")
    return " · ".join(parts)
