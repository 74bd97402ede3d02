"""How an answer in phases used its time: each phase's time against its budget, the phase that
overran, and a note when the design never reached the deep dive or the wrap-up."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

OVERRUN_GRACE = 1.10  # a phase overran when it took more than 110% of its budget ...
OVERRUN_MIN_SECONDS = 30.0  # ... and at least half a minute more
LATE_PHASE_IDS = ("deep-dive", "wrap-up")


@dataclass(frozen=True, slots=True)
class PhaseUse:
    id: str
    title: str
    budget: float  # seconds
    used: float | None  # seconds; None when the answer never reached this phase

    @property
    def reached(self) -> bool:
        return self.used is not None

    @property
    def overran(self) -> bool:
        return self.used is not None and self.used > max(self.budget * OVERRUN_GRACE,
                                                          self.budget + OVERRUN_MIN_SECONDS)


def time_use(plan: Sequence, starts: Sequence[float], finished_at: float) -> list[PhaseUse]:
    """Each planned phase's budget and the time it actually got, from the phase start times."""
    uses = []
    for i, phase in enumerate(plan):
        if i >= len(starts):
            uses.append(PhaseUse(phase.id, phase.title, phase.seconds, None))
            continue
        end = starts[i + 1] if i + 1 < len(starts) else finished_at
        uses.append(PhaseUse(phase.id, phase.title, phase.seconds, max(0.0, end - starts[i])))
    return uses


def minutes_text(seconds: float) -> str:
    """'14', '2.5' or '0.5': minutes, whole when close to whole."""
    minutes = seconds / 60
    if abs(minutes - round(minutes)) < 0.05:
        return str(round(minutes))
    return f"{minutes:.1f}"


def time_use_summary(uses: Sequence[PhaseUse]) -> str | None:
    """One sentence about the worst overrun and what it cost, or None when time was well used."""
    over = [u for u in uses if u.overran]
    if not over:
        return None
    worst = max(over, key=lambda u: u.used - u.budget)
    said = f"{_lower(worst.title)} took {minutes_text(worst.used)} min of a {minutes_text(worst.budget)}-min budget"
    later = [u for u in uses[uses.index(worst) + 1:] if u.reached and u.budget > 0]
    squeezed = min(later, key=lambda u: u.used / u.budget, default=None)
    if squeezed is not None and squeezed.used < squeezed.budget:
        said += f"; the {_lower(squeezed.title)} got {minutes_text(squeezed.used)}"
    return said


def unreached_note(uses: Sequence[PhaseUse]) -> str | None:
    """A rubric-level note when the design never got to the deep dive or the wrap-up."""
    missing = [u for u in uses if not u.reached and u.id in LATE_PHASE_IDS]
    if not missing:
        return None
    names = " or the ".join(_lower(u.title) for u in missing)
    return f"The answer never reached the {names}; interviewers read that as a design left unfinished."


def _lower(title: str) -> str:
    """'High-level design' -> 'high-level design', but 'API and data' stays as it is."""
    if len(title) > 1 and title[1].isupper():
        return title
    return title[:1].lower() + title[1:]
