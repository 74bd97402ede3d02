"""Time, in one place: the round's countdown and the timestamps drill stores."""

from __future__ import annotations

import time
from collections.abc import Callable


class Clock:
    """A countdown that can pause (while $EDITOR or a confirmation is open)."""

    def __init__(self, seconds: float, now: Callable[[], float] = time.monotonic):
        self.limit = float(seconds)
        self._now = now
        self.deadline = now() + self.limit
        self._paused_at: float | None = None

    @property
    def paused(self) -> bool:
        return self._paused_at is not None

    def remaining(self) -> float:
        at = self._paused_at if self._paused_at is not None else self._now()
        return max(0.0, self.deadline - at)

    def elapsed(self) -> float:
        return self.limit - self.remaining()

    def expired(self) -> bool:
        return not self.paused and self.remaining() <= 0

    def pause(self) -> None:
        if self._paused_at is None:
            self._paused_at = self._now()

    def resume(self) -> None:
        if self._paused_at is not None:
            self.deadline += self._now() - self._paused_at
            self._paused_at = None


def readable_time(text: str | None) -> str:
    """An ISO 8601 time as people read it, in the local time zone: 'Mon 30 Nov 2026, 21:03 CET'."""
    if not text:
        return "–"
    from datetime import UTC, datetime

    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return text  # not a time we wrote: shown as it is
    value = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone()
    return f"{value:%a} {value.day} {value:%b %Y, %H:%M} {value.tzname() or ''}".rstrip()
