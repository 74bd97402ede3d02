"""Time, in one place: the round's countdown and the timestamps drill stores."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import UTC, datetime


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


def now() -> datetime:
    """The current time in UTC; DRILL_NOW (ISO 8601) pins it for scripts and tests."""
    pinned = os.environ.get("DRILL_NOW")
    if pinned:
        try:
            return parse_time(pinned)
        except ValueError:
            from interview_cli.errors import UsageError

            raise UsageError(f"DRILL_NOW='{pinned}' is not an ISO 8601 time, e.g. 2025-01-31T20:00:00+00:00") from None
    return datetime.now(UTC)


def parse_time(text: str) -> datetime:
    """An ISO 8601 time as UTC (a time without a zone is taken as UTC)."""
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)
