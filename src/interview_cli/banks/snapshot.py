"""A validated bank as plain objects: what every command uses once a bank has loaded.

bank.py's pydantic models check a bank file; this is the checked result, rebuilt from the bank
index's JSON without importing pydantic or parsing YAML, so a round starts fast. The attribute
names are the models' own, so code reads either the same way. The classes are plain ones with
__slots__, not dataclasses: making ten dataclasses took 6 ms of every command that reads a bank.
Treat them as read-only.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from interview_cli.banks.sources import DEFAULT_QUESTION_MINUTES, slugify


class RubricPoint:
    __slots__ = ("point", "weight")

    def __init__(self, point: str, weight: float = 1.0):
        self.point, self.weight = point, weight


class CodeTest:
    __slots__ = ("args", "expected")

    def __init__(self, args: list, expected: object):
        self.args, self.expected = args, expected


class Code:
    __slots__ = ("signature", "tests", "language", "starter", "hidden_tests", "compare", "time_limit_s", "complexity")

    def __init__(self, signature: str, tests: list[CodeTest], language: str = "python", starter: str | None = None,
                 hidden_tests: list[CodeTest] | None = None, compare: str = "exact", time_limit_s: float = 2.0,
                 complexity: str | None = None):
        self.signature, self.tests, self.language, self.starter = signature, tests, language, starter
        self.hidden_tests = hidden_tests or []
        self.compare, self.time_limit_s, self.complexity = compare, time_limit_s, complexity

    @classmethod
    def from_dict(cls, data: dict) -> Code:
        tests = [CodeTest(t["args"], t["expected"]) for t in data["tests"]]
        hidden = [CodeTest(t["args"], t["expected"]) for t in data.get("hidden_tests") or []]
        return cls(signature=data["signature"], tests=tests, language=data.get("language", "python"),
                   starter=data.get("starter"), hidden_tests=hidden, compare=data.get("compare", "exact"),
                   time_limit_s=data.get("time_limit_s", 2.0), complexity=data.get("complexity"))

    def all_tests(self) -> list[tuple[CodeTest, bool]]:
        """(test, hidden) for the visible tests, then the hidden ones."""
        return [(t, False) for t in self.tests] + [(t, True) for t in self.hidden_tests]


class Phase:
    __slots__ = ("id", "title", "minutes", "prompt", "probes")

    def __init__(self, id: str, title: str, minutes: float, prompt: str | None = None, probes: list[str] | None = None):
        self.id, self.title, self.minutes, self.prompt, self.probes = id, title, minutes, prompt, probes or []

    @classmethod
    def from_dict(cls, data: dict) -> Phase:
        return cls(data["id"], data["title"], data["minutes"], data.get("prompt"), list(data.get("probes") or []))


class Fact:
    __slots__ = ("topic", "answer")

    def __init__(self, topic: list[str], answer: str):
        self.topic, self.answer = topic, answer


def _phases(data: list | None) -> list[Phase] | None:
    return [Phase.from_dict(p) for p in data] if data else None


class Question:
    __slots__ = ("id", "prompt", "rubric", "minutes", "topics", "level", "follow_ups", "hints", "reference",
                 "red_flags", "code", "reference_solution", "phases", "facts")

    def __init__(self, id: str, prompt: str, rubric: list[RubricPoint], minutes: float | None = None,
                 topics: list[str] | None = None, level: str | None = None, follow_ups: list[str] | None = None,
                 hints: list[str] | None = None, reference: str | None = None, red_flags: list[str] | None = None,
                 code: Code | None = None, reference_solution: str | None = None, phases: list[Phase] | None = None,
                 facts: list[Fact] | None = None):
        self.id, self.prompt, self.rubric, self.minutes = id, prompt, rubric, minutes
        self.topics, self.level, self.follow_ups, self.hints = topics or [], level, follow_ups or [], hints or []
        self.reference, self.red_flags, self.code = reference, red_flags or [], code
        self.reference_solution, self.phases, self.facts = reference_solution, phases, facts or []

    def replace(self, **changes) -> Question:
        """A copy with `changes` (the snapshot's dataclasses.replace)."""
        return Question(**{name: getattr(self, name) for name in self.__slots__} | changes)

    @classmethod
    def from_dict(cls, data: dict) -> Question:
        return cls(
            id=data["id"], prompt=data["prompt"], minutes=data.get("minutes"), topics=list(data.get("topics") or []),
            level=data.get("level"), rubric=[RubricPoint(p["point"], p.get("weight", 1.0)) for p in data["rubric"]],
            follow_ups=list(data.get("follow_ups") or []), hints=list(data.get("hints") or []),
            reference=data.get("reference"), red_flags=list(data.get("red_flags") or []),
            code=Code.from_dict(data["code"]) if data.get("code") else None,
            reference_solution=data.get("reference_solution"), phases=_phases(data.get("phases")),
            facts=[Fact(list(f["topic"]), f["answer"]) for f in data.get("facts") or []],
        )


class RoundTiming:
    """How a round's time is used, shared by the pydantic model (banks.model.Round) and this snapshot."""

    def phases_for(self, question: Question) -> list[Phase]:
        """The question's own phases, else the round's; [] when the answer is one block of time."""
        return list(question.phases or self.phases or [])

    def default_count(self) -> int:
        """How many questions fit the round's time budget, from its questions' typical length."""
        if not self.minutes:
            return 1
        lengths = sorted(q.minutes or DEFAULT_QUESTION_MINUTES for q in self.questions)
        typical = lengths[len(lengths) // 2]
        return max(1, min(len(self.questions), int(self.minutes // typical)))


class Round(RoundTiming):
    __slots__ = ("title", "questions", "minutes", "about", "phases")

    def __init__(self, title: str, questions: list[Question], minutes: float | None = None, about: str | None = None,
                 phases: list[Phase] | None = None):
        self.title, self.questions, self.minutes, self.about, self.phases = title, questions, minutes, about, phases


class BankNames:
    """What a bank says about itself, shared by the pydantic model (banks.model.Bank) and this snapshot."""

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

    def round(self, round_id: str) -> Round:
        """The round with this id; an unknown id is a usage error with the closest match."""
        if round_id not in self.rounds:
            from interview_cli.errors import unknown_choice

            raise unknown_choice("round", round_id, self.rounds, f"drill banks show {self.company_slug} {self.role_slug}")
        return self.rounds[round_id]


class Bank(BankNames):  # no __slots__: _by_id is a cached_property
    def __init__(self, company: str, role: str, rounds: dict[str, Round], aliases: list[str] | None = None,
                 about: str | None = None, source: str | None = None, topic_titles: dict[str, str] | None = None,
                 path: Path | None = None, origin: str = ""):
        self.company, self.role, self.rounds, self.aliases = company, role, rounds, aliases or []
        self.about, self.source, self.topic_titles = about, source, topic_titles or {}
        self.path, self.origin = path, origin

    @classmethod
    def from_dict(cls, data: dict, path: Path | None = None, origin: str = "") -> Bank:
        """A bank from its validated data (bank.Bank.model_dump(): the JSON the index keeps)."""
        rounds = {
            rid: Round(title=r["title"], minutes=r.get("minutes"), about=r.get("about"), phases=_phases(r.get("phases")),
                       questions=[Question.from_dict(q) for q in r["questions"]])
            for rid, r in data["rounds"].items()
        }
        return cls(company=data["company"], role=data["role"], rounds=rounds, aliases=list(data.get("aliases") or []),
                   about=data.get("about"), source=data.get("source"), topic_titles=dict(data.get("topic_titles") or {}),
                   path=path, origin=origin)


    def find_question(self, question_id: str) -> tuple[str, Question] | None:
        """(round id, question) for a question id, from an index built on first use (the first of duplicates)."""
        return self._by_id.get(question_id)

    @cached_property
    def _by_id(self) -> dict[str, tuple[str, Question]]:
        index: dict[str, tuple[str, Question]] = {}
        for round_id, question in self.questions():
            index.setdefault(question.id, (round_id, question))
        return index


    def topic_title(self, topic: str) -> str:
        """How a topic id reads to people: the bank's `topic_titles:` entry, else 'api-design' -> 'API design'."""
        return self.topic_titles.get(topic) or title_case(topic)


_UPPER = {"api", "sql", "nosql", "http", "tcp", "udp", "dns", "cdn", "cap", "acid", "rpc", "grpc", "rest",
          "json", "oop", "os", "io", "ci", "cd", "sre", "slo", "sla", "dsa", "llm", "ml", "ai", "aws", "gcp", "id",
          "jvm", "gc", "cpu", "url", "lru", "ttl", "k8s"}


def _acronym(word: str) -> str:
    """'api' -> 'API', 'apis' -> 'APIs'; other words as they are."""
    if word in _UPPER:
        return word.upper()
    if word.endswith("s") and word[:-1] in _UPPER:
        return word[:-1].upper() + "s"
    return word


def title_case(topic: str) -> str:
    """'api-design' -> 'API design', 'caching' -> 'Caching': the first word capitalised, acronyms upper."""
    words = [_acronym(w) for w in topic.split("-") if w]
    if not words:
        return topic
    first = words[0]
    return " ".join([first if first != first.lower() else first.capitalize(), *words[1:]])


class BrokenBank:
    """A bank file that does not load, and the first problem in it."""

    __slots__ = ("path", "problem")

    def __init__(self, path: str, problem: str):
        self.path, self.problem = path, problem


class Catalog:
    """Every bank found, later sources overriding earlier ones for the same company and role."""

    __slots__ = ("banks", "broken", "overridden")

    def __init__(self, banks: list[Bank] | None = None, broken: list[BrokenBank] | None = None,
                 overridden: list[Bank] | None = None):
        self.banks, self.broken, self.overridden = banks or [], broken or [], overridden or []

    def find(self, company: str, role: str) -> Bank:
        from interview_cli.banks.sources import match_bank

        return match_bank(self.banks, company, role)

    @classmethod
    def of(cls, found: list[tuple[str, Bank | BrokenBank]]) -> Catalog:
        """A catalog from (origin, bank or broken file) in increasing precedence."""
        catalog = cls()
        by_key: dict[tuple[str, str], Bank] = {}
        for _, bank in found:
            if isinstance(bank, BrokenBank):
                catalog.broken.append(bank)
                continue
            key = (bank.company_slug, bank.role_slug)
            if key in by_key:
                catalog.overridden.append(by_key[key])
            by_key[key] = bank
        catalog.banks = sorted(by_key.values(), key=lambda b: (b.company_slug, b.role_slug))
        return catalog
