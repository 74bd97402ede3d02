"""What `drill import` accepts: one strict pydantic model per record type of a JSONL export.

Imported only by history_io.read_records, so pydantic loads for `drill import` alone. Every
value is checked before anything is written: strict types (no "7" for 7, no 0 for false),
ISO 8601 times with a time zone (stored back as UTC), finite scores from 0 to 10, known
statuses and kinds, session ids like 3f9a1c2e and kebab-case slugs, question and round ids.
Unknown keys are ignored, as the export may gain fields.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    WrapValidator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from interview_cli.banks.model import KEBAB_PATTERN
from interview_cli.banks.sources import slugify
from interview_cli.errors import UsageError
from interview_cli.history.rows import AnswerKind, DraftKind, SessionStatus
from interview_cli.voice.delivery import FILLER_NAMES
from interview_cli.voice.transcript import Timing

SESSION_ID_PATTERN = r"^[a-z0-9]{1,64}$"  # storage.new_session_id(): 8 hex digits
STATUSES = tuple(status.value for status in SessionStatus)
ANSWER_KINDS = tuple(kind.value for kind in AnswerKind)
DRAFT_KINDS = tuple(kind.value for kind in DraftKind)
TIME_FIELDS = frozenset({"started_at", "finished_at", "submitted_at", "scored_at", "updated_at", "reviewed_at", "due",
                         "last_review", "ran_at", "asked_at", "measured_at", "answer_submitted_at"})
TEST_STATUSES = ("passed", "failed", "error", "timed_out", "crashed")
TIMINGS = tuple(timing.value for timing in Timing)


LATEST_YEAR = 9000  # scheduling adds up to a century to a review time; year 9999 would overflow
MAX_COUNT = 2**63 - 1  # SQLite's largest integer
MAX_POSITION = 1_000_000  # far beyond any round's length


def _utc(text: str) -> str:
    """An ISO 8601 time with a time zone, as UTC (what `drill export` writes comes back unchanged)."""
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise ValueError("no time zone")
    try:
        value = value.astimezone(UTC)
    except OverflowError:
        raise ValueError("out of range") from None
    if not 1970 <= value.year <= LATEST_YEAR:
        raise ValueError("out of range")
    # as precise as it was written: drill's "…:05.000" (an event in the first millisecond) stays itself
    written_to_the_millisecond = "." in text.partition("T")[2]
    return value.isoformat(timespec="milliseconds" if written_to_the_millisecond or value.microsecond else "seconds")


def _company_slug(text: str) -> str:
    """A company or role slug exactly as drill makes them (banks.sources.slugify): Unicode letters allowed."""
    if not text or slugify(text) != text:
        raise ValueError("not a slug")
    return text


def _checked(base: type, message: str, *rules, convert=None):
    """`base`, strict, with `rules` (and `convert`); any failure is reported as the one `message`."""
    def wrap(value, handler):
        try:
            value = handler(value)
            return convert(value) if convert else value
        except (ValidationError, ValueError, OverflowError):
            raise PydanticCustomError("drill", message) from None

    return Annotated[(base, *rules, WrapValidator(wrap))]


SessionId = _checked(str, "must be an id like 3f9a1c2e: lowercase letters and digits",
                     StringConstraints(pattern=SESSION_ID_PATTERN))
Slug = _checked(str, "must be kebab-case: lowercase letters, digits and '-'", StringConstraints(pattern=KEBAB_PATTERN))
NameSlug = _checked(str, "must be a slug: lowercase letters (of any script), digits and '-'", convert=_company_slug)
Time = _checked(str, "must be an ISO 8601 time with a time zone, e.g. 2025-03-01T20:00:00+00:00", convert=_utc)
Score = _checked(float, "must be a number from 0 to 10", Field(ge=0, le=10, allow_inf_nan=False))
Count = _checked(int, "must be a whole number of at least 0", Field(ge=0, le=MAX_COUNT))
Position = _checked(int, f"must be a whole number from 0 to {MAX_POSITION:,}", Field(ge=0, le=MAX_POSITION))
Amount = _checked(float, "must be a number of at least 0", Field(ge=0, allow_inf_nan=False))
Positive = _checked(float, "must be a number above 0", Field(gt=0, allow_inf_nan=False))
Number = _checked(float, "must be a finite number", Field(allow_inf_nan=False))
Flag = _checked(bool, "must be true or false")
MAX_SECONDS = 86_400  # a day: far beyond any spoken answer
MAX_WORDS = 1_000_000
Seconds = _checked(float, f"must be a number of seconds from 0 to {MAX_SECONDS:,}",
                   Field(ge=0, le=MAX_SECONDS, allow_inf_nan=False))
PerMinute = _checked(float, "must be a rate from 0 to 1,000 a minute", Field(ge=0, le=1000, allow_inf_nan=False))
Share = _checked(float, "must be a share from 0 to 1", Field(ge=0, le=1, allow_inf_nan=False))
Words = _checked(int, f"must be a whole number from 0 to {MAX_WORDS:,}", Field(ge=0, le=MAX_WORDS))


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")


class Options(_Strict):
    """What resuming a session reads back (interview.session_options)."""

    minutes: Amount | None = None
    follow_ups: Flag = True
    model: str | None = None
    api_base: str | None = None
    count: Count | None = None
    seed: int | None = None


class Point(_Strict):
    point: str
    weight: Number = 1.0
    covered: Flag
    evidence: str | None = None
    note: str | None = None


class CardState(_Strict):
    """py-fsrs 6 Card.to_dict(): every key Card.from_dict() reads."""

    card_id: Count
    state: Literal[1, 2, 3]
    step: Count | None
    stability: Number | None
    difficulty: Number | None
    due: Time
    last_review: Time | None


class SessionRecord(_Strict):
    id: SessionId
    company: str
    role: str
    company_slug: NameSlug
    role_slug: NameSlug
    round: Slug
    round_title: str
    bank_path: str | None = None
    plan: list[Slug]
    started_at: Time
    finished_at: Time | None = None
    status: Literal[STATUSES]
    scorer: str | None = None
    overall: Score | None = None
    options: Options


class AnswerRecord(_Strict):
    session_id: SessionId
    position: Position
    question_id: Slug
    kind: Literal[ANSWER_KINDS]
    prompt: str
    answer: str
    skipped: Flag
    auto_submitted: Flag
    hints: list[str]
    seconds: Amount | None = None
    submitted_at: Time


class SaidFlag(_Strict):
    point: str
    evidence: str | None = None


class Details(_Strict):
    """How the offline scorer reached a score (history.db.score_details)."""

    breakdown: str = ""
    red_flags: list[SaidFlag] = []
    unsure: Flag = False


class ScoreRecord(_Strict):
    session_id: SessionId
    position: Position
    question_id: Slug
    scorer: str
    rubric_version: str
    score: Score
    max_score: Positive
    points: list[Point]
    feedback: str
    samples: list[Score]
    scored_at: Time
    details: Details = Field(default_factory=lambda: Details())


class TestResultRecord(_Strict):
    session_id: SessionId
    position: Position
    question_id: Slug
    test_index: Count
    hidden: Flag
    status: Literal[TEST_STATUSES]
    seconds: Amount
    args: str
    expected: str
    got: str | None = None
    error: str | None = None
    isolated: Flag
    ran_at: Time


class AskRecord(_Strict):
    session_id: SessionId
    position: Position
    phase: Slug | None = None
    at_seconds: Amount | None = None
    question: str
    reply: str
    source: str
    asked_at: Time


class AnswerPhaseRecord(_Strict):
    session_id: SessionId
    position: Position
    ordinal: Count
    phase: Slug
    title: str
    budget_seconds: Amount
    started_seconds: Amount | None = None
    used_seconds: Amount | None = None
    text: str = ""


class DraftRecord(_Strict):
    session_id: SessionId
    position: Position
    kind: Literal[DRAFT_KINDS]
    text: str
    updated_at: Time


class ReviewRecord(_Strict):
    session_id: SessionId
    position: Position
    company_slug: NameSlug
    role_slug: NameSlug
    question_id: Slug
    round: Slug
    topics: list[str]
    score: Score
    rating: Literal[1, 2, 3, 4]
    reviewed_at: Time
    skipped: Flag = False


class CardRecord(_Strict):
    company_slug: NameSlug
    role_slug: NameSlug
    question_id: Slug
    round: Slug
    card: CardState
    due: Time
    last_review: Time | None = None
    last_score: Score | None = None
    reviews: Count


class DeliveryRecord(_Strict):
    session_id: SessionId
    position: Position
    answer_kind: Literal[ANSWER_KINDS]
    answer_submitted_at: Time
    stt_model: str
    timing: Literal[TIMINGS]
    words: Words
    speaking_seconds: Seconds | None = None
    limit_seconds: Seconds | None = None
    words_per_minute: PerMinute | None = None
    fillers: dict[Literal[FILLER_NAMES], Words] = {}
    filler_count: Words
    fillers_per_minute: PerMinute | None = None
    longest_pause_seconds: Seconds | None = None
    longest_pause_at: Seconds | None = None
    last_minute_share: Share | None = None
    measured_at: Time

    @model_validator(mode="after")
    def _fillers_add_up(self) -> DeliveryRecord:
        if self.filler_count != sum(self.fillers.values()) or self.filler_count > self.words:
            raise ValueError("filler_count must be the sum of fillers, and no more than words")
        return self


MODELS: dict[str, type[_Strict]] = {"session": SessionRecord, "answer": AnswerRecord, "score": ScoreRecord,
                                    "test_result": TestResultRecord, "ask": AskRecord,
                                    "answer_phase": AnswerPhaseRecord, "delivery": DeliveryRecord,
                                    "draft": DraftRecord,
                                    "review": ReviewRecord, "card": CardRecord}


def check_record(record: dict, where: str) -> None:
    """Validate one record (its "type" already known); its times are rewritten as UTC and the fields an older
    export lacks get their defaults. `where` is FILE:LINE."""
    model = MODELS[record["type"]]
    try:
        checked = model.model_validate(record)
    except ValidationError as exc:
        raise UsageError(f"{where}: {_problem(record['type'], exc.errors()[0])}") from None
    for name in TIME_FIELDS.intersection(model.model_fields):
        record[name] = getattr(checked, name)
    for name in model.model_fields.keys() - record.keys():
        record[name] = getattr(checked, name)
    if isinstance(checked, ScoreRecord):  # only what reports read, in the shapes they read
        record["details"] = checked.details.model_dump()


_PHRASES = {"string_type": "must be a string", "list_type": "must be a list", "dict_type": "must be an object",
            "model_type": "must be an object", "int_type": "must be a whole number", "float_type": "must be a number",
            "bool_type": "must be true or false"}


def _problem(kind: str, error: dict) -> str:
    """`score 'score' must be a number from 0 to 10 (got "NaN!")`, or `session record is missing 'company'`."""
    loc = error["loc"]
    if loc[-1:] == ("[key]",):  # a mapping's key: `'fillers' keys must be …`
        return (f"{kind} '{'.'.join(str(part) for part in loc[:-2])}' keys "
                f"{error['msg'].replace('Input should be', 'must be')} (got {json.dumps(error['input'])})")
    field = ".".join(str(part) for part in loc)
    if not field:  # a rule about the record as a whole
        return f"{kind} record: {error['msg'].removeprefix('Value error, ')}"
    if error["type"] == "missing" or error.get("input") is None:
        return f"{kind} record is missing '{field}'"
    phrase = _PHRASES.get(error["type"]) or error["msg"].replace("Input should be", "must be")
    shown = json.dumps(error["input"], ensure_ascii=False)
    return f"{kind} '{field}' {phrase} (got {shown if len(shown) <= 40 else shown[:39] + '…'})"
