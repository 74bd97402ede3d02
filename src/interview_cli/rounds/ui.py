"""What a round needs from whoever draws it: the small interface `rounds` talks to, never rich itself.

`ui.round_ui.TerminalRoundUI` implements it with rich and prompt-toolkit; tests pass their own.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from interview_cli.banks.snapshot import Bank, Question, Round
    from interview_cli.clock import Clock
    from interview_cli.coding import RunReport

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
    NEXT = "next"  # /next: move on to the next phase of the answer
    ASK = "ask"  # /ask QUESTION: a clarifying question for the interviewer (in `argument`)


@dataclass
class EditorResult:
    action: EditorAction
    text: str  # the buffer, minus a command line when a command closed the editor
    argument: str = ""  # what followed the command on its line (the question of /ask)


@dataclass
class Pace:
    """The phase clock as the answer box shows it; the round supplies both calls.

    `label` is the toolbar's clock line ('High-level design · 6:12 left in phase · 28:40 in total');
    `on_tick` runs on every tick of the countdown with the text so far and returns the line the
    interviewer says when a phase ends (once), else None.
    """

    label: Callable[[], str]
    on_tick: Callable[[str], str | None]


@dataclass(frozen=True)
class CodeBox:
    """What the answer box needs to be a code editor: the starter is the initial text; /run calls run_visible."""

    run_visible: Callable[[str], RunReport]
    visible_tests: list[tuple[str, str]]  # (arguments, expected) as JSON text, per visible test
    time_limit_s: float


@dataclass(frozen=True)
class Dictation:
    """What the answer box needs for spoken answers (--listen): Ctrl-T calls `start`, Ctrl-T again
    `finish` (in a worker thread), whose text goes into the box for the candidate to correct.

    `start()` returns a recording with elapsed() and level() (0-1) for the toolbar; both raise a
    DrillError whose one line the box shows."""

    start: Callable[[], Any]
    finish: Callable[[Any], str]
    discard: Callable[[Any], None]  # the box closed while recording and nothing can be inserted any more
    inserted: Callable[[], None] = lambda: None  # the last text `finish` gave reached the box (count its delivery)


class RoundUI(Protocol):
    """Everything an interview shows or asks, as plain calls on plain data."""

    interactive: bool  # stdin and stdout are a terminal
    stdin_is_tty: bool

    def read_all_stdin(self) -> str: ...
    def choose_round(self, bank: Bank) -> str: ...
    def opening(self, bank: Bank, round_id: str, rnd: Round | None, limits: list[float], follow_ups: bool, *,
                about_in_full: bool = True, budget: float | None = None,
                phases: list[tuple[str, float]] | None = None) -> None: ...
    def welcome_back(self, bank: Bank, title: str, number: int, total: int, at_follow_up: bool, has_draft: bool,
                     left: float | None = None) -> None: ...
    def ask(self, number: int, total: int, question: Question, seconds: float, bank: Bank | None = None,
            round_title: str | None = None) -> None: ...  # round_title: when the round mixes rounds (--due)
    def follow_up(self, prompt: str, seconds: float, number: int, *, again: bool) -> None: ...
    def edit(self, clock: Clock, text: str, on_draft: Callable[[str], None], on_ready: Callable[[], None], *,
             code: CodeBox | None = None, pace: Pace | None = None,
             dictation: Dictation | None = None) -> EditorResult: ...
    def tests_ran(self, report: RunReport) -> None: ...
    def phase_started(self, title: str, prompt: str | None) -> None: ...
    def asked(self, question: str, reply: str) -> None: ...
    def about_line(self, bank: Bank) -> None: ...
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
    def error_from_thread(self, message: str) -> None: ...  # from a worker: in the open answer box's toolbar
    def note(self, message: str) -> None: ...
    def unsaved(self, text: str) -> None: ...

