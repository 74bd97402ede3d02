"""What the history holds, as types: statuses and kinds as enums, rows as dataclasses (one StoredRow.from_row
for all), and a session's transcript."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from enum import StrEnum
from typing import ClassVar


class SessionStatus(StrEnum):
    IN_PROGRESS = "in_progress"  # being answered (or the terminal closed mid-round)
    UNFINISHED = "unfinished"  # quit with /quit or Ctrl-C: resumable
    UNSCORED = "unscored"  # every answer in, no score yet (or scoring failed)
    SCORED = "scored"


RESUMABLE = (SessionStatus.IN_PROGRESS, SessionStatus.UNFINISHED)


class AnswerKind(StrEnum):
    MAIN = "main"
    FOLLOW_UP = "follow_up"


class DraftKind(StrEnum):
    """A draft row: the text being typed for an answer kind, or what the round keeps beside it."""

    MAIN = "main"
    FOLLOW_UP = "follow_up"
    FOLLOW_UP_PROMPT = "follow_up_prompt"  # the follow-up being asked, so a resumed round asks the same one
    HINTS = "hints"  # JSON list of the hints shown for the unanswered main question
    CLOCK_MAIN = "clock:main"  # JSON: time used and phase starts of the answer, so resume continues its clock
    CLOCK_FOLLOW_UP = "clock:follow_up"

    @classmethod
    def clock_of(cls, kind: AnswerKind) -> DraftKind:
        return cls(f"clock:{kind}")


class StoredRow:
    """A table row as an object: JSON columns parsed (NULL as their empty value), 0/1 columns as bools,
    text columns as their enums. Subclasses name their columns of each kind."""

    JSON: ClassVar[dict[str, str]] = {}  # column -> the JSON a NULL stands for
    BOOLS: ClassVar[tuple[str, ...]] = ()
    ENUMS: ClassVar[dict[str, type]] = {}

    @classmethod
    def from_row(cls, row: sqlite3.Row):
        data = dict(row)
        for name, empty in cls.JSON.items():
            data[name] = json.loads(data[name] or empty)
        for name in cls.BOOLS:
            data[name] = bool(data[name])
        for name, kind in cls.ENUMS.items():
            data[name] = kind(data[name])
        return cls(**data)


@dataclass
class SessionRow(StoredRow):
    id: str
    company: str
    role: str
    company_slug: str
    role_slug: str
    round: str
    round_title: str
    bank_path: str | None
    plan: list[str]
    started_at: str
    finished_at: str | None
    status: SessionStatus
    scorer: str | None
    overall: float | None
    options: dict

    JSON = {"plan": "[]", "options": "{}"}
    ENUMS = {"status": SessionStatus}


@dataclass
class AnswerRow(StoredRow):
    id: int
    session_id: str
    position: int
    question_id: str
    kind: AnswerKind
    prompt: str
    answer: str
    skipped: bool
    auto_submitted: bool
    hints: list[str]
    seconds: float | None
    submitted_at: str

    JSON = {"hints": "[]"}
    BOOLS = ("skipped", "auto_submitted")
    ENUMS = {"kind": AnswerKind}


@dataclass
class ScoreRow(StoredRow):
    id: int
    session_id: str
    position: int
    question_id: str
    scorer: str
    rubric_version: str
    score: float
    max_score: float
    points: list[dict]  # {point, weight, covered, evidence, note}
    feedback: str
    samples: list[float]
    scored_at: str
    details: dict  # {breakdown, red_flags, unsure}: how the offline scorer reached the score
    scoring_id: int | None = None  # None for a score imported from a drill that kept no scorings

    JSON = {"points": "[]", "samples": "[]", "details": "{}"}


@dataclass(frozen=True)
class ScoringRow(StoredRow):
    """One successful scoring of a session: who scored it, when, and the overall it gave."""

    id: int
    session_id: str
    scorer: str
    overall: float
    scored_at: str


@dataclass
class TestResultRow(StoredRow):
    """One test of a coding answer's last run."""

    id: int
    session_id: str
    position: int
    question_id: str
    test_index: int
    hidden: bool
    status: str  # passed | failed | error | timed_out | crashed (coding.TestStatus)
    seconds: float
    args: str
    expected: str
    got: str | None
    error: str | None
    isolated: bool
    ran_at: str

    BOOLS = ("hidden", "isolated")


@dataclass
class AskRow(StoredRow):
    """A clarifying question (/ask) and the interviewer's reply."""

    id: int
    session_id: str
    position: int
    phase: str | None
    at_seconds: float | None
    question: str
    reply: str
    source: str  # fact | fallback | the model that answered
    asked_at: str


@dataclass
class PhaseRow(StoredRow):
    """One phase of a committed answer: its budget, when it started, the time it took and its text."""

    session_id: str
    position: int
    ordinal: int
    phase: str
    title: str
    budget_seconds: float
    started_seconds: float | None  # None: the answer never reached this phase
    used_seconds: float | None
    text: str


@dataclass
class DeliveryRow(StoredRow):
    """How one spoken answer was delivered: pace, fillers, pauses (voice/delivery.py computes them)."""

    answer_id: int
    session_id: str
    position: int
    stt_model: str
    timing: str
    words: int
    speaking_seconds: float | None
    limit_seconds: float | None
    words_per_minute: float | None
    fillers: dict[str, int]
    filler_count: int
    fillers_per_minute: float | None
    longest_pause_seconds: float | None
    longest_pause_at: float | None
    last_minute_share: float | None
    audio_path: str | None
    measured_at: str

    FIELDS = ("stt_model", "timing", "words", "speaking_seconds", "limit_seconds", "words_per_minute", "fillers",
              "filler_count", "fillers_per_minute", "longest_pause_seconds", "longest_pause_at",
              "last_minute_share", "audio_path")

    JSON = {"fillers": "{}"}

    def figures(self) -> dict:
        """The figures as the report and --json show them."""
        return {name: getattr(self, name) for name in self.FIELDS if name != "audio_path"}


@dataclass
class QuestionTranscript:
    """One planned question: its main answer (None until submitted), follow-ups and newest score."""

    position: int
    main: AnswerRow | None = None
    follow_ups: list[AnswerRow] = field(default_factory=list)
    score: ScoreRow | None = None
    tests: list[TestResultRow] = field(default_factory=list)  # a coding answer's last test run
    asks: list[AskRow] = field(default_factory=list)
    phases: list[PhaseRow] = field(default_factory=list)
    deliveries: dict[int, DeliveryRow] = field(default_factory=dict)  # answer id -> its delivery, when spoken

    @property
    def answered(self) -> bool:
        return self.main is not None

    @property
    def gave_an_answer(self) -> bool:
        """Answered with text, not skipped: what earns a follow-up."""
        return self.main is not None and not self.main.skipped and bool(self.main.answer.strip())


@dataclass
class Transcript:
    session: SessionRow
    questions: list[QuestionTranscript]  # one per position of the plan, in order

    def answered(self) -> list[QuestionTranscript]:
        return [q for q in self.questions if q.answered]
