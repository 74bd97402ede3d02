"""Bank format v1: the pydantic models that a question bank YAML file must satisfy."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from interview_cli.banks.sources import DEFAULT_QUESTION_MINUTES, empty_slug_problem, slugify
from interview_cli.errors import unknown_choice

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


class Round(_Strict):
    title: Text
    minutes: Minutes | None = None
    about: Text | None = None
    questions: Annotated[list[Question], Field(min_length=1)]

    def default_count(self) -> int:
        """How many questions fit the round's time budget, from its questions' typical length."""
        if not self.minutes:
            return 1
        lengths = sorted(q.minutes or DEFAULT_QUESTION_MINUTES for q in self.questions)
        typical = lengths[len(lengths) // 2]
        return max(1, min(len(self.questions), int(self.minutes // typical)))


class Bank(_Strict):
    company: Text
    role: Text
    aliases: list[Text] = []
    about: Text | None = None
    source: Text | None = None
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

    @property
    def company_slug(self) -> str:
        return slugify(self.company)

    @property
    def role_slug(self) -> str:
        return slugify(self.role)

    @property
    def role_names(self) -> set[str]:
        return {self.role_slug, *(slugify(a) for a in self.aliases)}

    def questions(self) -> list[tuple[str, Question]]:
        return [(round_id, q) for round_id, rnd in self.rounds.items() for q in rnd.questions]

    def find_question(self, question_id: str) -> tuple[str, Question] | None:
        """(round id, question) for a question id, from an index built on first use (the first of duplicates)."""
        if self._by_id is None:
            index: dict[str, tuple[str, Question]] = {}
            for round_id, question in self.questions():
                index.setdefault(question.id, (round_id, question))
            self._by_id = index
        return self._by_id.get(question_id)

    def round(self, round_id: str) -> Round:
        """The round with this id; an unknown id is a usage error with the closest match."""
        if round_id not in self.rounds:
            raise unknown_choice("round", round_id, self.rounds, f"drill banks show {self.company_slug} {self.role_slug}")
        return self.rounds[round_id]


KNOWN_KEYS = {
    "bank": list(Bank.model_fields),
    "round": list(Round.model_fields),
    "question": list(Question.model_fields),
    "rubric point": list(RubricPoint.model_fields),
}
