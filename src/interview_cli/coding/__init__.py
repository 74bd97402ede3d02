"""Running candidate code against a question's tests, in a sandbox.

Domain package: depends on nothing else in drill.
"""

from .languages import LanguageRunner, PythonRunner, runner_for
from .model import (
    CodeTask,
    Compare,
    EntryKind,
    EntryPoint,
    RunReport,
    TestCase,
    TestOutcome,
    TestStatus,
    entry_point,
)
from .runner import IsolationUnavailable, run_code
from .sandbox import Isolation, Limits, isolation

__all__ = [
    "CodeTask",
    "Compare",
    "EntryKind",
    "EntryPoint",
    "Isolation",
    "IsolationUnavailable",
    "LanguageRunner",
    "Limits",
    "PythonRunner",
    "RunReport",
    "TestCase",
    "TestOutcome",
    "TestStatus",
    "entry_point",
    "isolation",
    "run_code",
    "runner_for",
]
