"""The answer editor: a multi-line prompt-toolkit prompt with a live countdown.

Keys: Enter inserts a newline; Esc then Enter (Alt+Enter) or Ctrl-D on a non-empty
buffer submits; Ctrl-X Ctrl-E opens $EDITOR (the clock pauses while it is open);
Ctrl-C asks the caller to confirm quitting. A line holding only /hint, /skip,
/repeat, /next or /quit runs that command when Enter (or a submit key) is pressed on it;
so does a line `/ask QUESTION`.

With a Pace (a system-design answer in phases) the toolbar shows the phase, its time
left and the question's, and the interviewer's one-line nudge at a phase's end is printed
above the answer box without closing it.

For a coding question the box is a code editor: Python highlighting, line numbers, no
soft wrap, Tab inserts four spaces, Enter keeps the indent (one level more after a
colon), and /run on its own line or Ctrl-R runs the visible tests in the background
while the clock keeps going; the results show under the box, the code stays as it was.

With a Dictation (--listen) Ctrl-T starts recording and Ctrl-T again stops it; the toolbar shows
that it is recording, for how long and how loud, while the clock keeps running; the transcript is
inserted at the cursor, where the candidate corrects it before submitting. Submitting while
recording is refused with a note; when the clock runs out mid-recording, the recording is
transcribed and inserted first.

When the clock runs out, whatever is in the buffer comes back as a "timeout"
result: nothing typed is ever lost. A draft callback gets the text every few
seconds while it changes, so a killed process loses at most those seconds.

prompt-toolkit is imported only once `AnswerEditor.ask` runs, never at module import:
the first question is on screen before prompt-toolkit is loaded, and nothing here
runs without a terminal unless a test passes its own input and output.
"""

from __future__ import annotations

import math
import textwrap
import time
from collections.abc import Callable
from typing import Any

from interview_cli.clock import Clock, format_clock
from interview_cli.rounds.ui import CodeBox, Dictation, EditorAction, EditorResult, Pace
from interview_cli.ui.views.code_results import clip, printable, test_result_lines

COMMANDS = ("/hint", "/skip", "/repeat", "/next", "/quit")
ASK_COMMAND = "/ask"

# What the editor hands back; `action` says why it closed.
SUBMIT, TIMEOUT, INTERRUPT = EditorAction.SUBMIT, EditorAction.TIMEOUT, EditorAction.INTERRUPT
PENDING_TRANSCRIPT_SECONDS = 8.0  # how long time running out or Ctrl-C waits for a transcript under way

DRAFT_EVERY = 2.0  # seconds between draft saves (only when the text changed)
TICK = 0.25  # how often the countdown task wakes up at most

KEY_HELP = ("Esc Enter: submit", "/hint /skip /repeat /quit", "Ctrl-X Ctrl-E: $EDITOR", "Ctrl-C: quit")
CODE_KEY_HELP = ("Esc Enter: submit", "/run or Ctrl-R: run tests", "/hint /skip /repeat /quit", "Ctrl-C: quit")
RUN_COMMAND = "/run"
INDENT = "    "
PHASE_KEY_HELP = ("Esc Enter: submit", "/ask QUESTION /next /hint /skip /quit", "Ctrl-X Ctrl-E: $EDITOR",
                  "Ctrl-C: quit")
NUDGE_SHOWN_FOR = 20.0  # seconds the nudge also stays in the toolbar
RECORD_KEY = "Ctrl-T: record"

STYLE = {
    "bottom-toolbar": "noreverse bg:#3a3a3a #e4e4e4",
    "bottom-toolbar.text": "",
    "toolbar.clock": "bold",
    "toolbar.keys": "",
    "toolbar.warn": "bold reverse bg:ansiblack ansiyellow",
    "toolbar.urgent": "bold reverse bg:ansiwhite ansired",
    "toolbar.note": "italic",
    "toolbar.pass": "bold #87d787",
    "toolbar.fail": "bold #ff8787",
    "toolbar.recording": "bold #ff8787",
    "prompt": "bold",
    "line-number": "#808080",
}
"""Restrained: one grey bar, yellow at a quarter of the time left, red at one minute.

With NO_COLOR prompt-toolkit drops to one-bit colour; bold, reverse and the words
of the message still mark the warnings."""


# ---- pure helpers (unit-tested without a terminal) --------------------------


QUARTER_MESSAGE = "a quarter of your time is left — start wrapping up"
MINUTE_MESSAGE = "one minute left"


def warning(remaining: float, limit: float) -> tuple[int, str | None]:
    """(level, message): 0 calm; 1 at 25% of the time left; 2 at one minute left.

    The one-minute warning exists only when the limit is longer than a minute. When
    both have been crossed the level is the higher and the message the most recent.
    """
    crossed: list[tuple[float, int, str]] = []
    if remaining <= 0.25 * limit:
        crossed.append((0.25 * limit, 1, QUARTER_MESSAGE))
    if limit > 60 and remaining <= 60:
        crossed.append((60.0, 2, MINUTE_MESSAGE))
    if not crossed:
        return 0, None
    level = max(c[1] for c in crossed)
    message = min(crossed, key=lambda c: c[0])[2]
    return level, message


def command_line(line: str) -> str | None:
    """The command a line holds on its own ('/hint'), else None."""
    word = line.strip().lower()
    return word if word in COMMANDS else None


def ask_line(line: str) -> str | None:
    """The question of a line '/ask QUESTION', else None."""
    stripped = line.strip()
    head, _, question = stripped.partition(" ")
    if head.lower() != ASK_COMMAND or not question.strip():
        return None
    return question.strip()


def split_command(text: str) -> tuple[str | None, str]:
    """(command, rest) when the last non-empty line of `text` is a command alone, else (None, text)."""
    lines = text.split("\n")
    index = len(lines) - 1
    while index >= 0 and not lines[index].strip():
        index -= 1
    if index < 0:
        return None, text
    found = command_line(lines[index])
    if found is None:
        return None, text
    return found, "\n".join(lines[:index]).rstrip()


def split_ask(text: str) -> tuple[str | None, str]:
    """(question, rest) when the last non-empty line of `text` is '/ask QUESTION', else (None, text)."""
    lines = text.rstrip().split("\n")
    question = ask_line(lines[-1]) if lines else None
    if question is None:
        return None, text
    return question, "\n".join(lines[:-1]).rstrip()


def without_line(text: str, row: int) -> str:
    """`text` with line `row` removed, trailing blank lines trimmed."""
    lines = text.split("\n")
    del lines[row]
    return "\n".join(lines).rstrip()


def next_line_indent(line_before_cursor: str) -> str:
    """The indent Enter starts the next line with: the same as this line's, one level more after a colon."""
    indent = line_before_cursor[: len(line_before_cursor) - len(line_before_cursor.lstrip(" \t"))]
    return indent + INDENT if line_before_cursor.rstrip().endswith(":") else indent


def without_command(text: str, row: int) -> str:
    """`text` with the command on line `row` taken off, its indent kept: the text as it was before typing it."""
    lines = text.split("\n")
    line = lines[row]
    lines[row] = line[: len(line) - len(line.lstrip())]
    return "\n".join(lines)


def toolbar_lines(remaining: float, limit: float, width: int, note: str | None = None,
                  paused: bool = False, keys: tuple[str, ...] = KEY_HELP,
                  label: str | None = None) -> list[tuple[str, str]]:
    """The bottom toolbar as (style, line) pairs, each line at most `width` columns.

    Line one is the clock, or the phase `label` when the answer has phases (and a warning
    or note); the key help is packed into as few lines as the width allows.
    """
    width = max(20, width)
    level, message = warning(remaining, limit)
    clock = f" {label}" if label else f" {format_clock(remaining)} left"
    if paused:
        clock += " (paused)"
    style = {0: "class:toolbar.clock", 1: "class:toolbar.warn", 2: "class:toolbar.urgent"}[level]
    said = message or note
    lines: list[tuple[str, str]] = []
    if said:
        for line in textwrap.wrap(f"{clock.strip()} — {said}", width - 1):
            lines.append((style, f" {line}"))
        if note and message:
            for line in textwrap.wrap(note, width - 1):
                lines.append(("class:toolbar.note", f" {line}"))
        current = ""
    else:
        current = clock
    sep = " · "
    for item in keys:
        candidate = f"{current}{sep}{item}" if current else f" {item}"
        if len(candidate) <= width:
            current = candidate
        else:
            if current:
                lines.append(("class:toolbar.keys", current))
            current = _fit(f" {item}", width)
    if current:
        lines.append(("class:toolbar.keys", current))
    return lines


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


# ---- the prompt ---------------------------------------------------------------


class AnswerEditor:
    """Asks for one answer at a time. `input`/`output` are for tests (pipe input, DummyOutput)."""

    def __init__(self, *, input: Any = None, output: Any = None,
                 on_draft: Callable[[str], None] | None = None, draft_every: float = DRAFT_EVERY,
                 prompt: str = "> "):
        self.input = input
        self.output = output
        self.on_draft = on_draft
        self.draft_every = draft_every
        self.prompt_text = prompt
        self.live: _Run | None = None  # the answer box open now (read from other threads)

    def ask(self, clock: Clock, text: str = "", on_draft: Callable[[str], None] | None = None,
            on_ready: Callable[[], None] | None = None, code: CodeBox | None = None, pace: Pace | None = None,
            announce: Callable[[str], None] | None = None, dictation: Dictation | None = None) -> EditorResult:
        """Edit `text` until it is submitted, a command is given, Ctrl-C, or the clock runs out.

        `on_ready` runs once the editor is live (e.g. to start warming a model while the
        candidate types, without delaying the editor itself). `announce` prints a line above
        the answer box (the nudge of `pace`) while it stays open."""
        if clock.expired():
            return EditorResult(TIMEOUT, text)
        run = _Run(clock, text, on_draft or self.on_draft, self.draft_every, code)
        run.pace, run.announce, run.dictation = pace, announce, dictation
        run.session = self._session(run)
        self.live = run
        try:
            result = run.session.prompt(default=text, pre_run=lambda: run.start(on_ready))
        except (KeyboardInterrupt, EOFError):
            result = EditorResult(INTERRUPT, run.text)
        finally:
            self.live = None
            run.drop_recording()
        if not isinstance(result, EditorResult):  # an accept handler we did not bind
            result = EditorResult(SUBMIT, str(result))
        return result

    def note_from_thread(self, message: str) -> bool:
        """Show `message` in the open answer box's toolbar, from any thread (never printed over the box).
        False when no box is open: the caller prints it."""
        from interview_cli.sanitize import clean

        run = self.live
        app = run.session.app if run is not None else None
        loop = getattr(app, "loop", None)
        if app is None or loop is None or not app.is_running:
            return False
        loop.call_soon_threadsafe(run.say, clean(message, one_line=True), DRAFT_WARNING_SECONDS)
        return True

    def _session(self, run: _Run):
        """The answer box: prose that wraps, or (for a coding question) Python with line numbers that scrolls."""
        from prompt_toolkit import PromptSession
        from prompt_toolkit.filters import Condition
        from prompt_toolkit.formatted_text import FormattedText
        from prompt_toolkit.styles import Style

        if run.code is not None:
            from prompt_toolkit.lexers import PygmentsLexer
            from pygments.lexers.python import PythonLexer

            looks = {"message": FormattedText([("class:line-number", f"{1:>3} │ ")]),
                     "lexer": PygmentsLexer(PythonLexer), "include_default_pygments_style": True,
                     "prompt_continuation": lambda width, line_number, is_soft_wrap: [
                         ("class:line-number", f"{line_number + 1:>3} │ ")],
                     "wrap_lines": False}
        else:
            looks = {"message": FormattedText([("class:prompt", self.prompt_text)]),
                     "include_default_pygments_style": False,
                     "prompt_continuation": lambda width, line_number, is_soft_wrap: " " * width,
                     "wrap_lines": True}
        return PromptSession(
            multiline=True,
            key_bindings=run.key_bindings(),
            bottom_toolbar=run.toolbar,
            refresh_interval=1.0,
            style=Style.from_dict(STYLE),
            enable_open_in_editor=False,
            enable_system_prompt=False,
            enable_suspend=Condition(lambda: False),
            reserve_space_for_menu=0,
            input=self.input,
            output=self.output,
            **looks,
        )


class _Run:
    """One answer being edited: its key bindings, toolbar, timers and draft saving."""

    def __init__(self, clock: Clock, text: str, on_draft: Callable[[str], None] | None, draft_every: float,
                 code: CodeBox | None = None):
        self.code = code
        self.report = None  # the last /run's RunReport
        self.running = False
        self.run_failed: str | None = None
        self.clock = clock
        self.on_draft = on_draft
        self.draft_every = draft_every
        self.last_saved = text
        self.note: str | None = None
        self.note_until = 0.0
        self.session = None  # the PromptSession, set by AnswerEditor.ask
        self.pace: Pace | None = None
        self.announce: Callable[[str], None] | None = None
        self.dictation: Dictation | None = None
        self.recording = None  # the recording in progress (Ctrl-T)
        self.transcribing: float | None = None  # seconds of speech being transcribed
        self.pending = None  # the task transcribing the last recording and inserting its text

    @property
    def text(self) -> str:
        return self.session.default_buffer.text

    # ---- closing the editor -------------------------------------------------

    def finish(self, action: str, value: str, argument: str = "") -> None:
        app = self.session.app
        if app.future is not None and not app.future.done():
            # A command or Ctrl-C comes back to the editor with the same text: wipe this
            # copy so the draft is not drawn twice. A submitted answer stays on screen.
            app.erase_when_done = action not in (SUBMIT, TIMEOUT)
            app.exit(result=EditorResult(EditorAction(action), value, argument))

    def submit(self, buffer) -> None:
        """Esc Enter / Ctrl-D: a command on the last line runs; an empty buffer only gets a note."""
        command, rest = split_command(buffer.text)
        question, before = split_ask(buffer.text)
        if self.code is not None and _last_line_is_run(buffer.text):
            self.clear_run_line(buffer, _last_nonblank_row(buffer.text))
        elif command:
            self.finish(command[1:], rest)
        elif question:
            self.finish(EditorAction.ASK, before, question)
        elif self.recording is not None or self.transcribing is not None:
            self.say("still recording — press Ctrl-T to stop, check the transcript, then submit")
        elif not buffer.text.strip():
            self.say("nothing to submit yet — write your answer, or type /skip on its own line")
        else:
            self.finish(SUBMIT, buffer.text)

    def enter(self, buffer) -> None:
        """Enter: runs the command alone on the cursor's line, else starts a new line."""
        doc = buffer.document
        if self.code is not None and doc.current_line.strip().lower() == RUN_COMMAND:
            self.clear_run_line(buffer, doc.cursor_position_row)
            return
        command = command_line(doc.current_line)
        question = ask_line(doc.current_line)
        if command:
            self.finish(command[1:], without_line(buffer.text, doc.cursor_position_row))
        elif question:
            self.finish(EditorAction.ASK, without_line(buffer.text, doc.cursor_position_row), question)
        elif self.code is not None:
            buffer.insert_text("\n" + next_line_indent(doc.current_line_before_cursor))
        else:
            buffer.newline(copy_margin=False)

    # ---- running the tests (code editor) ------------------------------------

    def clear_run_line(self, buffer, row: int) -> None:
        """Takes /run off its line, leaving the line's indent and the cursor after it, and runs the tests."""
        from prompt_toolkit.document import Document

        text = without_command(buffer.text, row)
        lines = text.split("\n")
        cursor = sum(len(line) + 1 for line in lines[:row]) + len(lines[row])
        buffer.document = Document(text, cursor)
        self.run_tests(text)

    def run_tests(self, source: str) -> None:
        """Runs the visible tests in a worker thread; the clock and the editor carry on meanwhile."""
        if self.code is None or self.running:
            return
        import asyncio

        self.running = True
        self.run_failed = None
        app = self.session.app
        app.invalidate()

        async def run() -> None:
            try:
                self.report = await asyncio.get_running_loop().run_in_executor(None, self.code.run_visible, source)
            except Exception as exc:  # noqa: BLE001 - shown under the box; the answer goes on
                self.report, self.run_failed = None, f"could not run the tests: {exc}"
            finally:
                self.running = False
                app.invalidate()

        app.create_background_task(run())

    # ---- key bindings -------------------------------------------------------

    def key_bindings(self):
        from prompt_toolkit.key_binding import KeyBindings

        kb = KeyBindings()
        kb.add("escape", "enter", eager=True)(lambda event: self.submit(event.current_buffer))
        kb.add("c-d", eager=True)(lambda event: self.submit(event.current_buffer))
        kb.add("enter", eager=True)(lambda event: self.enter(event.current_buffer))
        kb.add("c-c", eager=True)(lambda event: self.interrupt())
        kb.add("<sigint>")(lambda event: self.interrupt())
        kb.add("c-x", "c-e", eager=True)(self.open_external_editor)
        if self.dictation is not None:
            kb.add("c-t", eager=True)(lambda event: self.toggle_recording())
        if self.code is not None:
            kb.add("tab", eager=True)(lambda event: event.current_buffer.insert_text(INDENT))
            kb.add("c-r", eager=True)(lambda event: self.run_tests(event.current_buffer.text))
        return kb

    def open_external_editor(self, event) -> None:
        """Ctrl-X Ctrl-E: $EDITOR on the buffer, with the clock paused while it is open."""
        buffer = event.current_buffer

        async def edit() -> None:
            self.clock.pause()
            try:
                await buffer.open_in_editor(validate_and_handle=False)
            finally:
                self.clock.resume()
                self.save_draft(force=True)
                event.app.invalidate()

        event.app.create_background_task(edit())

    # ---- spoken answers (Ctrl-T) ----------------------------------------------

    def toggle_recording(self) -> None:
        from interview_cli.errors import DrillError

        if self.transcribing is not None:
            return
        if self.recording is None:
            try:
                self.recording = self.dictation.start()
            except DrillError as exc:
                from interview_cli.sanitize import clean

                self.say(clean(str(exc), one_line=True), seconds=DRAFT_WARNING_SECONDS)
                return
            self.session.app.invalidate()
            return
        self.start_transcribing()

    def start_transcribing(self) -> None:
        self.pending = self.session.app.create_background_task(self.transcribe())

    async def settle_transcription(self) -> None:
        """Wait (at most PENDING_TRANSCRIPT_SECONDS) for a transcription under way to reach the box."""
        import asyncio

        if self.recording is not None:  # what was said before the box closes goes in first
            self.start_transcribing()
        if self.pending is not None and not self.pending.done():
            self.say("waiting a moment for the transcript…", seconds=PENDING_TRANSCRIPT_SECONDS)
            await asyncio.wait({self.pending}, timeout=PENDING_TRANSCRIPT_SECONDS)

    def interrupt(self) -> None:
        """Ctrl-C: the box closes with its text, after a transcription under way has had its moment."""
        if self.recording is None and (self.pending is None or self.pending.done()):
            self.finish(INTERRUPT, self.text)
            return

        async def then() -> None:
            await self.settle_transcription()
            self.finish(INTERRUPT, self.text)

        self.session.app.create_background_task(then())

    async def transcribe(self) -> None:
        """Stop the recording, transcribe it in a thread of its own and insert the text at the cursor."""
        from interview_cli.errors import DrillError

        recording, self.recording = self.recording, None
        self.transcribing = recording.elapsed()
        self.session.app.invalidate()
        from interview_cli.sanitize import clean

        try:
            text = clean(await _in_own_thread(self.dictation.finish, recording))
        except DrillError as exc:
            self.say(clean(str(exc), one_line=True), seconds=DRAFT_WARNING_SECONDS)
            return
        except Exception as exc:  # noqa: BLE001 - nothing may reach prompt-toolkit's loop (a traceback over the box)
            self.say(clean(f"transcription failed ({type(exc).__name__}: {exc}) — type the answer, or record again",
                           one_line=True), seconds=DRAFT_WARNING_SECONDS)
            return
        finally:
            self.transcribing = None
            self.session.app.invalidate()
        buffer = self.session.default_buffer
        before = buffer.document.text_before_cursor
        buffer.insert_text(("" if not before or before[-1] in " \n" else " ") + text.strip())
        self.dictation.inserted()
        self.say("transcript inserted — correct it, then submit with Esc Enter", seconds=8.0)
        self.save_draft()

    def drop_recording(self) -> None:
        """The box closed while still recording (Ctrl-C, a command): that recording is discarded."""
        if self.recording is not None:
            recording, self.recording = self.recording, None
            self.dictation.discard(recording)

    def recording_lines(self, width: int) -> list[tuple[str, str]]:
        from interview_cli.voice.record import meter

        if self.recording is not None:
            line = (f" ● recording {format_clock(self.recording.elapsed())} {meter(self.recording.level())}"
                    " · Ctrl-T: stop and transcribe")
            return [("class:toolbar.recording", clip(line, width))]
        if self.transcribing is not None:
            return [("class:toolbar.note", clip(f" transcribing {format_clock(self.transcribing)} of speech…", width))]
        return []

    # ---- the toolbar --------------------------------------------------------

    def say(self, note: str, seconds: float = 4.0) -> None:
        """A note in the toolbar for a few seconds."""
        self.note = note
        self.note_until = time.monotonic() + seconds
        self.session.app.invalidate()

    def toolbar(self) -> list[tuple[str, str]]:
        if self.note and time.monotonic() > self.note_until:
            self.note = None
        try:
            width = self.session.app.output.get_size().columns
        except Exception:  # noqa: BLE001 - a detached output still gets a toolbar
            width = 80
        clock = self.clock
        label = self.pace.label() if self.pace else None
        keys = PHASE_KEY_HELP if label else CODE_KEY_HELP if self.code is not None else KEY_HELP
        if self.dictation is not None:
            keys = (keys[0], RECORD_KEY, *keys[1:])
        lines = self.test_lines(width) + self.recording_lines(width) + toolbar_lines(clock.remaining(), clock.limit, width, self.note,
                                                       clock.paused, keys, label)
        fragments = []
        for i, (style, line) in enumerate(lines):
            fragments.append((style, line.ljust(width) if style not in ("class:toolbar.keys",) else line))
            if i < len(lines) - 1:
                fragments.append(("", "\n"))
        return fragments

    def test_lines(self, width: int) -> list[tuple[str, str]]:
        if self.running:
            return [("class:toolbar.note", " running the visible tests…")]
        if self.run_failed:
            return [("class:toolbar.fail", clip(printable(" " + self.run_failed), width))]
        if self.report is not None:
            return test_result_lines(self.report, self.code.visible_tests, width)
        return []

    # ---- drafts -------------------------------------------------------------

    def save_draft(self, force: bool = False) -> None:
        """Hand the text to on_draft when it changed since the last save (or when forced)."""
        if self.on_draft is None:
            return
        current = self.text
        if current != self.last_saved or force:
            try:
                self.on_draft(current)
            except Exception as exc:  # noqa: BLE001 - a failed draft save must not end the answer
                self.say(draft_warning(exc), seconds=DRAFT_WARNING_SECONDS)
                return
            self.last_saved = current

    # ---- timers -------------------------------------------------------------

    def start(self, on_ready: Callable[[], None] | None) -> None:
        """Runs as the prompt starts: the ticker, then on_ready just after the first frame."""
        import asyncio

        self.session.app.create_background_task(self.ticker())
        if on_ready is not None:
            asyncio.get_running_loop().call_later(0.05, on_ready)

    async def ticker(self) -> None:
        """Times out at the deadline, saves drafts every draft_every seconds, redraws the clock."""
        import asyncio

        app = self.session.app
        clock = self.clock
        last_draft = time.monotonic()
        shown: tuple = ()
        while True:
            if clock.expired():
                await self.settle_transcription()
                self.save_draft()
                self.finish(TIMEOUT, self.text)
                return
            now = time.monotonic()
            if now - last_draft >= self.draft_every:
                self.save_draft()
                last_draft = now
            self.check_pace()
            remaining = clock.remaining()
            label = self.pace.label() if self.pace else None
            visible = (format_clock(remaining), warning(remaining, clock.limit)[0], self.note, label,
                       self.recording_state())
            if visible != shown:
                shown = visible
                app.invalidate()
            await asyncio.sleep(_next_tick(remaining))


    def recording_state(self) -> tuple | None:
        """What the recording line shows, so the ticker redraws when the time or the level changes."""
        from interview_cli.voice.record import meter

        if self.recording is None:
            return None if self.transcribing is None else ("transcribing",)
        return format_clock(self.recording.elapsed()), meter(self.recording.level())

    def check_pace(self) -> None:
        """At a phase's end: the interviewer's line above the answer box (in the toolbar for a while
        when nothing can print above it)."""
        if self.pace is None:
            return
        try:
            line = self.pace.on_tick(self.text)
        except Exception:  # noqa: BLE001 - the phase clock must never end the answer
            return
        if not line:
            return
        if self.announce is None:
            self.say(line, NUDGE_SHOWN_FOR)
        else:
            from prompt_toolkit.application import run_in_terminal

            announce = self.announce

            async def show() -> None:
                await run_in_terminal(lambda: announce(line))

            self.session.app.create_background_task(show())


def _last_nonblank_row(text: str) -> int:
    lines = text.split("\n")
    row = len(lines) - 1
    while row > 0 and not lines[row].strip():
        row -= 1
    return row


def _last_line_is_run(text: str) -> bool:
    return text.split("\n")[_last_nonblank_row(text)].strip().lower() == RUN_COMMAND


DRAFT_WARNING_SECONDS = 30.0


def draft_warning(exc: Exception) -> str:
    """The toolbar line when a draft could not be saved: the text itself stays in the editor."""
    return f"draft not saved: {exc} — your text is still here; it is saved when you submit"


def _next_tick(remaining: float) -> float:
    """Seconds to sleep: to the deadline exactly, to the next second boundary, or TICK at most."""
    to_second = remaining - math.floor(remaining - 1e-9) if remaining > 0 else TICK
    return max(0.005, min(TICK, remaining, to_second + 0.005))


def confirm_quit(message: str, *, input: Any = None, output: Any = None) -> bool:
    """Ask a y/N question with one key press: y quits; n, Enter or Esc keeps going; a second Ctrl-C quits."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.formatted_text import FormattedText
    from prompt_toolkit.key_binding import KeyBindings
    from prompt_toolkit.keys import Keys

    kb = KeyBindings()

    @kb.add("y")
    @kb.add("Y")
    @kb.add("c-c")
    @kb.add("<sigint>")
    def _yes(event) -> None:
        event.app.exit(result=True)

    @kb.add("n")
    @kb.add("N")
    @kb.add("enter")
    @kb.add("escape", eager=True)
    @kb.add("c-d")
    def _no(event) -> None:
        event.app.exit(result=False)

    @kb.add(Keys.Any)
    def _ignore(event) -> None:
        pass

    session = PromptSession(FormattedText([("bold", message)]), key_bindings=kb, input=input, output=output,
                            include_default_pygments_style=False, erase_when_done=True)
    try:
        return bool(session.prompt())
    except (KeyboardInterrupt, EOFError):
        return True


async def _in_own_thread(function: Callable[[Any], Any], argument: Any) -> Any:
    """function(argument) on a daemon thread of its own. Unlike the loop's default executor, which
    asyncio waits for when the box closes (the screen froze for the whole request), it can be abandoned."""
    import asyncio
    import threading

    loop = asyncio.get_running_loop()
    future = loop.create_future()

    def settle(result: Any, error: BaseException | None) -> None:
        if not future.done():
            future.set_exception(error) if error is not None else future.set_result(result)

    def run() -> None:
        try:
            outcome: tuple[Any, BaseException | None] = (function(argument), None)
        except BaseException as exc:  # noqa: BLE001 - handed to the awaiting task
            outcome = (None, exc)
        try:
            loop.call_soon_threadsafe(settle, *outcome)
        except RuntimeError:  # the box closed and its loop with it: nobody is waiting
            pass

    threading.Thread(target=run, name="drill-transcribe", daemon=True).start()
    return await future
