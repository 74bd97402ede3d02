"""Time, in one place: the round's countdown and the timestamps drill stores."""

from __future__ import annotations

import math
import time
from collections.abc import Callable


def format_clock(seconds: float) -> str:
    """`m:ss`, rounded up so the display reaches 0:00 exactly at the deadline."""
    whole = max(0, math.ceil(seconds - 1e-9))
    return f"{whole // 60}:{whole % 60:02d}"


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

    def spend(self, seconds: float) -> None:
        """Count `seconds` as already used (an answer resumed after a stop)."""
        self.deadline -= max(0.0, min(seconds, self.limit))

    def resume(self) -> None:
        if self._paused_at is not None:
            self.deadline += self._now() - self._paused_at
            self._paused_at = None
