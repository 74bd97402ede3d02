"""What a code run takes and gives back: tests, comparison modes, per-test outcomes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum


class Compare(StrEnum):
    """How a returned value is checked against the expected one."""

    EXACT = "exact"
    UNORDERED = "unordered"  # a list compared as a multiset: order ignored, duplicates counted
    FLOAT = "float"  # numbers anywhere in the value equal within 1e-6
    SET = "set"  # a list compared as a set: order and duplicates ignored


class TestStatus(StrEnum):
    __test__ = False  # not a pytest class

    PASSED = "passed"
    FAILED = "failed"  # ran, returned the wrong value
    ERROR = "error"  # raised, or the code did not load
    TIMED_OUT = "timed_out"
    CRASHED = "crashed"  # the interpreter died during the test


class EntryKind(StrEnum):
    FUNCTION = "function"
    CLASS = "class"


@dataclass(frozen=True)
class EntryPoint:
    """What the tests call: a function, or a class driven by a list of method calls."""

    kind: EntryKind
    name: str


_ENTRY = re.compile(r"^\s*(?:async\s+)?(def|class)\s+([A-Za-z_]\w*)")


def entry_point(signature: str) -> EntryPoint | None:
    """`def merge(...)` -> function merge; `class LRUCache:` -> class LRUCache; anything else -> None."""
    match = _ENTRY.match(signature)
    if match is None:
        return None
    kind = EntryKind.CLASS if match.group(1) == "class" else EntryKind.FUNCTION
    return EntryPoint(kind, match.group(2))


@dataclass(frozen=True)
class TestCase:
    """One call and the value it must return. Both are JSON data.

    For a class entry point, `args` is a list of calls `[name, *arguments]`, the first
    being the class name (the constructor), and `expected` the list of their return values.
    """

    __test__ = False

    args: list
    expected: object
    hidden: bool = False


@dataclass(frozen=True)
class CodeTask:
    """A question's tests, ready to run."""

    entry: EntryPoint
    tests: tuple[TestCase, ...]
    compare: Compare = Compare.EXACT
    time_limit_s: float = 2.0
    language: str = "python"

    @property
    def visible(self) -> CodeTask:
        return CodeTask(
            self.entry,
            tuple(t for t in self.tests if not t.hidden),
            self.compare,
            self.time_limit_s,
            self.language,
        )


@dataclass(frozen=True)
class TestOutcome:
    """The result of one test. `got` is the returned value as JSON text (truncated)."""

    __test__ = False

    index: int
    hidden: bool
    status: TestStatus
    seconds: float = 0.0
    got: str | None = None
    error: str | None = None
    output: str = ""  # what the candidate printed during this test (truncated)

    @property
    def passed(self) -> bool:
        return self.status is TestStatus.PASSED


@dataclass(frozen=True)
class RunReport:
    """Every test's outcome for one run of one piece of code."""

    outcomes: tuple[TestOutcome, ...]
    isolated: bool  # ran inside bubblewrap (no network, read-only filesystem)
    seconds: float = 0.0
    stderr: str = field(default="", repr=False)

    @property
    def passed(self) -> int:
        return sum(1 for o in self.outcomes if o.passed)

    @property
    def total(self) -> int:
        return len(self.outcomes)

    @property
    def hidden_failed(self) -> int:
        return sum(1 for o in self.outcomes if o.hidden and not o.passed)

    @property
    def all_passed(self) -> bool:
        return self.passed == self.total

    def summary(self) -> str:
        """`passed 7/9 (2 hidden failed)`."""
        text = f"passed {self.passed}/{self.total}"
        if self.hidden_failed:
            text += f" ({self.hidden_failed} hidden failed)"
        return text
