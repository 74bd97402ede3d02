"""Time, in one place: the round's countdown and the timestamps drill stores."""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable
from datetime import UTC, datetime

from interview_cli.errors import UsageError


def utc_now(timespec: str = "seconds") -> str:
    """Now, as the UTC ISO 8601 text drill stores (to the millisecond where two events may share a second)."""
    return datetime.now(UTC).isoformat(timespec=timespec)


def now() -> datetime:
    """The current time in UTC; DRILL_NOW (ISO 8601) pins it for scripts and tests."""
    pinned = os.environ.get("DRILL_NOW")
    if pinned:
        try:
            return parse_time(pinned)
        except ValueError:
            raise UsageError(f"DRILL_NOW='{pinned}' is not an ISO 8601 time, e.g. 2025-01-31T20:00:00+00:00") from None
    return datetime.now(UTC)


def parse_time(text: str) -> datetime:
    """A stored ISO 8601 time as an aware UTC datetime (a time with no zone is taken as UTC)."""
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="seconds")


def local_time(text: str | None, with_time: bool = True) -> str:
    """A stored UTC time as local 'YYYY-MM-DD HH:MM' (or just the date); '–' for none."""
    if not text:
        return "–"
    return parse_time(text).astimezone().strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")


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
