"""The phase clock of a system-design answer: which phase the candidate is in, when it ends,
what the interviewer says at its end, and how the time was used.

Times are seconds since the question's clock started (paused time excluded). A phase ends
when its budget, counted from its own start, runs out, or earlier on /next; the last phase
runs to the end of the question, so time saved early goes to the wrap-up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from interview_cli.banks.snapshot import Phase



@dataclass(frozen=True, slots=True)
class PlannedPhase:
    id: str
    title: str
    seconds: float
    prompt: str | None = None
    probes: tuple[str, ...] = ()


def plan_phases(phases: Sequence[Phase], seconds: float) -> list[PlannedPhase]:
    """The bank's phases with their minutes scaled so they add up to the question's `seconds`."""
    total = sum(p.minutes for p in phases) * 60
    if not phases or total <= 0:
        return []
    scale = seconds / total
    return [PlannedPhase(p.id, p.title, p.minutes * 60 * scale, p.prompt, tuple(p.probes)) for p in phases]


@dataclass
class PhaseClock:
    """The phases reached so far (`starts[i]` is when phase i started) against the plan."""

    plan: list[PlannedPhase]
    starts: list[float] = field(default_factory=lambda: [0.0])

    @property
    def index(self) -> int:
        return len(self.starts) - 1

    @property
    def current(self) -> PlannedPhase:
        return self.plan[self.index]

    @property
    def is_last(self) -> bool:
        return self.index >= len(self.plan) - 1

    @property
    def next_phase(self) -> PlannedPhase | None:
        return None if self.is_last else self.plan[self.index + 1]

    def ends_at(self) -> float | None:
        """When the current phase's budget runs out; None for the last phase (it ends with the question)."""
        return None if self.is_last else self.starts[-1] + self.current.seconds

    def left_in_phase(self, elapsed: float, question_left: float) -> float:
        end = self.ends_at()
        return question_left if end is None else max(0.0, min(end - elapsed, question_left))

    def due(self, elapsed: float) -> bool:
        end = self.ends_at()
        return end is not None and elapsed >= end - 1e-9

    def advance(self, elapsed: float) -> PlannedPhase | None:
        """Move to the next phase at `elapsed`; None when already in the last one."""
        if self.is_last:
            return None
        self.starts.append(max(elapsed, self.starts[-1]))
        return self.current


def toolbar_label(clock: PhaseClock, elapsed: float, question_left: float, fmt) -> str:
    """'High-level design · 6:12 left in phase · 28:40 in total'."""
    return (f"{clock.current.title} · {fmt(clock.left_in_phase(elapsed, question_left))} left in phase"
            f" · {fmt(question_left)} in total")


def nudge(elapsed: float, upcoming: PlannedPhase, persona: str = "neutral") -> str:
    """The one line the interviewer says when a phase's time is up."""
    if elapsed < 60:
        seconds = max(1, round(elapsed))
        where = f"We're {seconds} second{'s' if seconds != 1 else ''} in"
    else:
        minutes = round(elapsed / 60)
        where = f"We're {minutes} minute{'s' if minutes != 1 else ''} in"
    title = _lower(upcoming.title)
    if persona == "friendly":
        return f"{where}; whenever you're ready, let's move on to the {title}."
    if persona == "tough":
        return f"{where}. Move on to the {title} now."
    return f"{where}; let's move on to the {title}."


def phase_texts(snapshots: Sequence[str], final: str) -> list[str]:
    """What was written in each phase, from the text as it stood when each phase started."""
    out, before = [], snapshots[0] if snapshots else ""
    for after in [*snapshots[1:], final]:
        out.append(after[len(before):].strip() if after.startswith(before) else after.strip())
        before = after
    return out


def _lower(title: str) -> str:
    """'High-level design' -> 'high-level design', but 'API and data' stays as it is."""
    if len(title) > 1 and title[1].isupper():
        return title
    return title[:1].lower() + title[1:]
