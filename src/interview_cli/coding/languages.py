"""Language runners: how to start a language's harness inside the sandbox.

A runner gives the command that starts its harness; the harness reads the run's spec
(JSON) from one descriptor and writes JSON-line events to another (see harness_python.py
for the protocol). Adding a language means adding a harness and a runner here.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from .model import EntryPoint, entry_point


class LanguageRunner(Protocol):
    language: str

    def command(self, spec_fd: int, result_fd: int) -> list[str]:
        """The argv that starts the harness, which reads `spec_fd` and writes `result_fd`."""
        ...

    def entry_point(self, signature: str) -> EntryPoint | None:
        """What the tests call, read from the bank's `signature`; None if it cannot be read."""
        ...


@dataclass(frozen=True)
class PythonRunner:
    """CPython in isolated mode (-I), without site-packages (-S) or bytecode files (-B)."""

    interpreter: str = sys.executable
    language: str = "python"

    def command(self, spec_fd: int, result_fd: int) -> list[str]:
        harness = Path(__file__).with_name("harness_python.py")
        return [self.interpreter, "-I", "-S", "-B", str(harness), str(spec_fd), str(result_fd)]

    def entry_point(self, signature: str) -> EntryPoint | None:
        return entry_point(signature)


RUNNERS: dict[str, LanguageRunner] = {"python": PythonRunner()}


def runner_for(language: str) -> LanguageRunner:
    try:
        return RUNNERS[language]
    except KeyError:
        known = ", ".join(sorted(RUNNERS))
        raise ValueError(f"no runner for language '{language}' (available: {known})") from None
