"""Bank format v1.1: the pydantic models that a question bank YAML file must satisfy.

v1.1 adds, backwards compatibly: per-question `red_flags:`; a `code:` block and
`reference_solution:` for coding questions; `phases:` on a round or a question (the shape of a
system-design answer, with a clock per phase); `facts:` on a question (what the interviewer
reveals when the candidate asks); and the bank's `topic_titles:` map (topic id -> how it reads
to people). Every v1 bank is a valid v1.1 bank. A bank that passes is used as a
banks.snapshot.Bank, which needs no pydantic.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from interview_cli.banks.snapshot import BankNames, RoundTiming
from interview_cli.banks.sources import empty_slug_problem

KEBAB_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"

Kebab = Annotated[str, StringConstraints(pattern=KEBAB_PATTERN)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Minutes = Annotated[float, Field(gt=0, le=600)]


def _point_from_string(value: Any) -> Any:
    return {"point": value} if isinstance(value, str) else value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RubricPoint(_Strict):
    point: Text
    weight: Annotated[float, Field(gt=0, le=10)] = 1.0


def _json_data(value: Any, depth: int = 0) -> Any:
    """`value` unchanged when it is JSON data: null, true/false, numbers, text, lists, mappings with text keys."""
    if depth > 100:
        raise ValueError("is nested too deeply")
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("must be JSON data: .nan and .inf are not JSON")
        return value
    if isinstance(value, list):
        return [_json_data(item, depth + 1) for item in value]
    if isinstance(value, dict):
        for key in value:
            if not isinstance(key, str):
                raise ValueError(f"must be JSON data: mapping key {key!r} is not text (quote it)")
        return {k: _json_data(v, depth + 1) for k, v in value.items()}
    raise ValueError(f"must be JSON data, not a {type(value).__name__} (quote dates and times)")


SIGNATURE_PATTERN = re.compile(r"^\s*(async\s+)?(def\s+[A-Za-z_]\w*\s*\(|class\s+[A-Za-z_]\w*\b)")


def _signature(value: str) -> str:
    if not SIGNATURE_PATTERN.match(value):
        raise ValueError("must start with 'def NAME(' or 'class NAME', e.g. 'def merge(intervals: list) -> list:'")
    return value


JsonData = Annotated[Any, AfterValidator(_json_data)]
Compare = Literal["exact", "unordered", "float", "set"]  # interview_cli.coding.Compare, which banks cannot import


class CodeTest(_Strict):
    """One call: positional `args` and the value it must return (a class's calls: README, "Bank format v1.1")."""

    args: Annotated[list[Any], AfterValidator(_json_data)]
    expected: JsonData


class Code(_Strict):
    """v1.1: a question answered with code, run against these tests."""

    language: Literal["python"] = "python"
    signature: Annotated[Text, AfterValidator(_signature)]
    starter: str | None = None
    tests: Annotated[list[CodeTest], Field(min_length=1)]
    hidden_tests: list[CodeTest] = []
    compare: Compare = "exact"
    time_limit_s: Annotated[float, Field(gt=0, le=60)] = 2.0
    complexity: Text | None = None

    def all_tests(self) -> list[tuple[CodeTest, bool]]:
        """(test, hidden) for the visible tests, then the hidden ones."""
        return [(t, False) for t in self.tests] + [(t, True) for t in self.hidden_tests]


def _topics_from_string(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


class Phase(_Strict):
    """One part of an answer with its own clock, such as requirements or the deep dive."""

    id: Kebab
    title: Text
    minutes: Minutes
    prompt: Text | None = None
    probes: list[Text] = []


class Fact(_Strict):
    """What the interviewer knows and reveals when asked: ways to ask (`topic`), and the answer."""

    topic: Annotated[list[Text], BeforeValidator(_topics_from_string), Field(min_length=1)]
    answer: Text


Phases = Annotated[list[Phase], Field(min_length=1)]


class Question(_Strict):
    id: Kebab
    prompt: Text
    minutes: Minutes | None = None
    topics: list[Text] = []
    level: Text | None = None
    rubric: Annotated[list[Annotated[RubricPoint, BeforeValidator(_point_from_string)]], Field(min_length=1)]
    follow_ups: list[Text] = []
    hints: list[Text] = []
    reference: Text | None = None
    red_flags: list[Text] = []  # wrong claims and bad calls an interviewer listens for (v1.1)
    code: Code | None = None
    reference_solution: Text | None = None
    phases: Phases | None = None
    facts: list[Fact] = []

    @model_validator(mode="after")
    def _solution_needs_code(self) -> Question:
        if self.reference_solution is not None and self.code is None:
            raise ValueError("reference_solution needs a code: block with the tests it must pass")
        return self


class Round(RoundTiming, _Strict):
    title: Text
    minutes: Minutes | None = None
    about: Text | None = None
    phases: Phases | None = None
    questions: Annotated[list[Question], Field(min_length=1)]


class Bank(BankNames, _Strict):
    company: Text
    role: Text
    aliases: list[Text] = []
    about: Text | None = None
    source: Text | None = None
    topic_titles: dict[Kebab, Text] = {}
    rounds: Annotated[dict[Kebab, Round], Field(min_length=1)]

    _path: Path | None = PrivateAttr(default=None)
    _origin: str = PrivateAttr(default="")
    _by_id: dict[str, tuple[str, Question]] | None = PrivateAttr(default=None)

    @field_validator("company", "role")
    @classmethod
    def _named(cls, value: str, info: ValidationInfo) -> str:
        problem = empty_slug_problem(info.field_name, value)
        if problem:
            raise PydanticCustomError("empty_slug", problem)
        return value

    @field_validator("aliases")
    @classmethod
    def _aliases_named(cls, value: list[str]) -> list[str]:
        for alias in value:
            problem = empty_slug_problem("alias", alias)
            if problem:
                raise PydanticCustomError("empty_slug", problem)
        return value

    @property
    def path(self) -> Path | None:
        return self._path

    @property
    def origin(self) -> str:
        return self._origin

    def located(self, path: Path, origin: str) -> Bank:
        self._path = path
        self._origin = origin
        return self


    def find_question(self, question_id: str) -> tuple[str, Question] | None:
        """(round id, question) for a question id, from an index built on first use (the first of duplicates)."""
        if self._by_id is None:
            index: dict[str, tuple[str, Question]] = {}
            for round_id, question in self.questions():
                index.setdefault(question.id, (round_id, question))
            self._by_id = index
        return self._by_id.get(question_id)



KNOWN_KEYS = {
    "bank": list(Bank.model_fields),
    "round": list(Round.model_fields),
    "question": list(Question.model_fields),
    "rubric point": list(RubricPoint.model_fields),
    "code block": list(Code.model_fields),
    "code test": list(CodeTest.model_fields),
    "phase": list(Phase.model_fields),
    "fact": list(Fact.model_fields),
}
