"""The round drawn in a terminal: rich for what the interviewer says, prompt-toolkit for answers."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from interview_cli.banks.snapshot import Bank, Question, Round
from interview_cli.clock import Clock
from interview_cli.rounds.ui import CodeBox, Dictation, EditorResult, Pace, Progress
from interview_cli.ui import interviewer
from interview_cli.ui.terminal import Terminal

QUIT_QUESTION = "Quit now? Your answers and this draft are saved; you can resume later. [y/N] "


class TerminalRoundUI:
    """rounds.ui.RoundUI on a Terminal. `editor` and `confirm` are replaceable for tests."""

    def __init__(self, term: Terminal, *, editor=None, confirm: Callable[[], bool] | None = None):
        self.term = term
        self._editor = editor
        self._confirm = confirm

    @property
    def interactive(self) -> bool:
        return self.term.interactive or self._editor is not None  # a test's scripted editor counts

    @property
    def stdin_is_tty(self) -> bool:
        return self.term.stdin_is_tty

    def read_all_stdin(self) -> str:
        return self.term.read_all_stdin()

    def choose_round(self, bank: Bank) -> str:
        from interview_cli.ui.round_picker import choose_round

        return choose_round(self.term, bank)

    def opening(self, bank: Bank, round_id: str, rnd: Round | None, limits: list[float], follow_ups: bool,
                **how) -> None:
        interviewer.opening(self.term, bank, round_id, rnd, limits, follow_ups, **how)

    def welcome_back(self, bank: Bank, title: str, number: int, total: int, at_follow_up: bool, has_draft: bool,
                     left: float | None = None) -> None:
        interviewer.welcome_back(self.term, bank, title, number, total, at_follow_up, has_draft, left)

    def ask(self, number: int, total: int, question: Question, seconds: float, bank: Bank | None = None,
            round_title: str | None = None) -> None:
        interviewer.ask(self.term, number, total, question, seconds, bank, round_title)

    def follow_up(self, prompt: str, seconds: float, number: int, *, again: bool) -> None:
        
        interviewer.follow_up(self.term, prompt, seconds, number, again=again)

    def edit(self, clock: Clock, text: str, on_draft: Callable[[str], None],
             on_ready: Callable[[], None], *, code: CodeBox | None = None, pace: Pace | None = None,
             dictation: Dictation | None = None) -> EditorResult:
        if self._editor is None:
            from interview_cli.ui.editor import AnswerEditor

            self._editor = AnswerEditor()
        extra = {"code": code} if code is not None else {}
        if dictation is not None:
            extra["dictation"] = dictation
        if pace is not None:
            extra.update(pace=pace, announce=lambda line: interviewer.nudge(self.term, line))
        return self._editor.ask(clock, text, on_draft=on_draft, on_ready=on_ready, **extra)

    def tests_ran(self, report) -> None:
        interviewer.tests_ran(self.term, report)

    def phase_started(self, title: str, prompt: str | None) -> None:
        interviewer.phase_started(self.term, title, prompt)

    def asked(self, question: str, reply: str) -> None:
        interviewer.asked(self.term, question, reply)

    def about_line(self, bank: Bank) -> None:
        interviewer.about_line(self.term, bank)

    def confirm_quit(self) -> bool:
        if self._confirm is not None:
            return self._confirm()
        from interview_cli.ui.editor import confirm_quit

        return confirm_quit(QUIT_QUESTION)

    def hint(self, text: str | None, used: int, total: int) -> None:
        interviewer.hint(self.term, text, used, total)

    def no_hint_for_follow_up(self) -> None:
        interviewer.no_hint_for_follow_up(self.term)

    def times_up(self, wrote_something: bool) -> None:
        interviewer.times_up(self.term, wrote_something)

    def skipped(self) -> None:
        interviewer.skipped(self.term)

    def acknowledged(self, last: bool) -> None:
        interviewer.acknowledged(self.term, last)

    def aside(self, note: str) -> None:
        interviewer.thinking(self.term, note)

    def busy(self, message: str):
        return self.term.out.status(message, spinner="dots")

    def stopped(self, session_id: str) -> None:
        interviewer.stopped(self.term, session_id)

    def closing(self) -> None:
        interviewer.closing(self.term)

    @contextlib.contextmanager
    def scoring_progress(self, json_out: bool) -> Iterator[Progress | None]:
        """A spinner and a bar of answers scored, on a terminal; nothing for scripts and --json."""
        if not self.term.interactive or self.term.quiet or json_out:
            yield None
            return
        from interview_cli.ui.progress import scoring_bar

        with scoring_bar(self.term) as progress:
            yield progress

    def result(self, result: dict, json_out: bool) -> None:
        if json_out:
            self.term.json(result)
            return
        from interview_cli.ui.views.result import render_result

        render_result(self.term, result)
        self.term.show(f"Saved as session {result['session_id']}. Re-score with: drill score {result['session_id']}"
                       f" [--model MODEL]", markup=False, style="dim")

    def error(self, message: str) -> None:
        self.term.error(message)

    def error_from_thread(self, message: str) -> None:
        if self._editor is None or not self._editor.note_from_thread(message):
            self.term.error(message)

    def note(self, message: str) -> None:
        self.term.note(message)

    def unsaved(self, text: str) -> None:
        interviewer.unsaved(self.term, text)
