"""What a round needs from whoever draws it: the small interface `rounds` talks to, never rich itself.

`ui.round_ui.TerminalRoundUI` implements it with rich and prompt-toolkit; tests pass their own.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from interview_cli.banks.snapshot import Bank, Question, Round
    from interview_cli.clock import Clock

Progress = Callable[[int, int | None], None]  # (answers scored, of how many)


class EditorAction(StrEnum):
    """How the answer box closed: submitted, timed out, Ctrl-C, or a /command on a line of its own."""

    SUBMIT = "submit"
    TIMEOUT = "timeout"
    INTERRUPT = "interrupt"
    HINT = "hint"
    SKIP = "skip"
    REPEAT = "repeat"
    QUIT = "quit"


@dataclass
class EditorResult:
    action: EditorAction
    text: str  # the buffer, minus a command line when a command closed the editor


class RoundUI(Protocol):
    """Everything an interview shows or asks, as plain calls on plain data."""

    interactive: bool  # stdin and stdout are a terminal
    stdin_is_tty: bool

    def read_all_stdin(self) -> str: ...
    def choose_round(self, bank: Bank) -> str: ...
    def opening(self, bank: Bank, round_id: str, rnd: Round | None, limits: list[float], follow_ups: bool) -> None: ...
    def welcome_back(self, bank: Bank, title: str, number: int, total: int, stage: str, has_draft: bool) -> None: ...
    def ask(self, number: int, total: int, question: Question, seconds: float, bank: Bank | None = None,
            round_title: str | None = None) -> None: ...  # round_title: when the round mixes rounds (--due)
    def follow_up(self, prompt: str, seconds: float, number: int, *, again: bool) -> None: ...
    def edit(self, clock: Clock, text: str, on_draft: Callable[[str], None],
             on_ready: Callable[[], None]) -> EditorResult: ...
    def confirm_quit(self) -> bool: ...
    def hint(self, text: str | None, used: int, total: int) -> None: ...
    def no_hint_for_follow_up(self) -> None: ...
    def times_up(self, wrote_something: bool) -> None: ...
    def skipped(self) -> None: ...
    def acknowledged(self, last: bool) -> None: ...
    def aside(self, note: str) -> None: ...
    def busy(self, message: str) -> AbstractContextManager[None]: ...
    def stopped(self, session_id: str) -> None: ...
    def closing(self) -> None: ...
    def scoring_progress(self, json_out: bool) -> AbstractContextManager[Progress | None]: ...
    def result(self, result: dict, json_out: bool) -> None: ...
    def error(self, message: str) -> None: ...

