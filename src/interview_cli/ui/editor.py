"""The answer editor: a multi-line prompt-toolkit prompt with a live countdown.

Keys: Enter inserts a newline; Esc then Enter (Alt+Enter) or Ctrl-D on a non-empty
buffer submits; Ctrl-X Ctrl-E opens $EDITOR (the clock pauses while it is open);
Ctrl-C asks the caller to confirm quitting. A line holding only /hint, /skip,
/repeat or /quit runs that command when Enter (or a submit key) is pressed on it.

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

from interview_cli.clock import Clock
from interview_cli.rounds.ui import EditorAction, EditorResult

COMMANDS = ("/hint", "/skip", "/repeat", "/quit")

# What the editor hands back; `action` says why it closed.
SUBMIT, TIMEOUT, INTERRUPT = EditorAction.SUBMIT, EditorAction.TIMEOUT, EditorAction.INTERRUPT

DRAFT_EVERY = 2.0  # seconds between draft saves (only when the text changed)
TICK = 0.25  # how often the countdown task wakes up at most

KEY_HELP = ("Esc Enter: submit", "/hint /skip /repeat /quit", "Ctrl-X Ctrl-E: $EDITOR", "Ctrl-C: quit")

STYLE = {
    "bottom-toolbar": "noreverse bg:#3a3a3a #e4e4e4",
    "bottom-toolbar.text": "",
    "toolbar.clock": "bold",
    "toolbar.keys": "",
    "toolbar.warn": "bold reverse bg:ansiblack ansiyellow",
    "toolbar.urgent": "bold reverse bg:ansiwhite ansired",
    "toolbar.note": "italic",
    "prompt": "bold",
}
"""Restrained: one grey bar, yellow at a quarter of the time left, red at one minute.

With NO_COLOR prompt-toolkit drops to one-bit colour; bold, reverse and the words
of the message still mark the warnings."""


# ---- pure helpers (unit-tested without a terminal) --------------------------


def format_clock(seconds: float) -> str:
    """`m:ss`, rounded up so the display reaches 0:00 exactly at the deadline."""
    whole = max(0, math.ceil(seconds - 1e-9))
    return f"{whole // 60}:{whole % 60:02d}"


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


def without_line(text: str, row: int) -> str:
    """`text` with line `row` removed, trailing blank lines trimmed."""
    lines = text.split("\n")
    del lines[row]
    return "\n".join(lines).rstrip()


def toolbar_lines(remaining: float, limit: float, width: int, note: str | None = None,
                  paused: bool = False) -> list[tuple[str, str]]:
    """The bottom toolbar as (style, line) pairs, each line at most `width` columns.

    Line one is the clock (and a warning or note); the key help is packed into as
    few lines as the width allows.
    """
    width = max(20, width)
    level, message = warning(remaining, limit)
    clock = f" {format_clock(remaining)} left"
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
    for item in KEY_HELP:
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

    def ask(self, clock: Clock, text: str = "", on_draft: Callable[[str], None] | None = None,
            on_ready: Callable[[], None] | None = None) -> EditorResult:
        """Edit `text` until it is submitted, a command is given, Ctrl-C, or the clock runs out.

        `on_ready` runs once the editor is live (e.g. to start warming a model while the
        candidate types, without delaying the editor itself)."""
        if clock.expired():
            return EditorResult(TIMEOUT, text)
        run = _Run(clock, text, on_draft or self.on_draft, self.draft_every)
        run.session = self._session(run)
        try:
            result = run.session.prompt(default=text, pre_run=lambda: run.start(on_ready))
        except (KeyboardInterrupt, EOFError):
            result = EditorResult(INTERRUPT, run.text)
        if not isinstance(result, EditorResult):  # an accept handler we did not bind
            result = EditorResult(SUBMIT, str(result))
        return result

    def _session(self, run: _Run):
        from prompt_toolkit import PromptSession
        from prompt_toolkit.filters import Condition
        from prompt_toolkit.formatted_text import FormattedText
        from prompt_toolkit.styles import Style

        return PromptSession(
            message=FormattedText([("class:prompt", self.prompt_text)]),
            multiline=True,
            key_bindings=run.key_bindings(),
            bottom_toolbar=run.toolbar,
            refresh_interval=1.0,
            style=Style.from_dict(STYLE),
            include_default_pygments_style=False,
            prompt_continuation=lambda width, line_number, is_soft_wrap: " " * width,
            enable_open_in_editor=False,
            enable_system_prompt=False,
            enable_suspend=Condition(lambda: False),
            wrap_lines=True,
            reserve_space_for_menu=0,
            input=self.input,
            output=self.output,
        )


class _Run:
    """One answer being edited: its key bindings, toolbar, timers and draft saving."""

    def __init__(self, clock: Clock, text: str, on_draft: Callable[[str], None] | None, draft_every: float):
        self.clock = clock
        self.on_draft = on_draft
        self.draft_every = draft_every
        self.last_saved = text
        self.note: str | None = None
        self.note_until = 0.0
        self.session = None  # the PromptSession, set by AnswerEditor.ask

    @property
    def text(self) -> str:
        return self.session.default_buffer.text

    # ---- closing the editor -------------------------------------------------

    def finish(self, action: str, value: str) -> None:
        app = self.session.app
        if app.future is not None and not app.future.done():
            # A command or Ctrl-C comes back to the editor with the same text: wipe this
            # copy so the draft is not drawn twice. A submitted answer stays on screen.
            app.erase_when_done = action not in (SUBMIT, TIMEOUT)
            app.exit(result=EditorResult(EditorAction(action), value))

    def submit(self, buffer) -> None:
        """Esc Enter / Ctrl-D: a command on the last line runs; an empty buffer only gets a note."""
        command, rest = split_command(buffer.text)
        if command:
            self.finish(command[1:], rest)
        elif not buffer.text.strip():
            self.say("nothing to submit yet — write your answer, or type /skip on its own line")
        else:
            self.finish(SUBMIT, buffer.text)

    def enter(self, buffer) -> None:
        """Enter: runs the command alone on the cursor's line, else starts a new line."""
        doc = buffer.document
        command = command_line(doc.current_line)
        if command:
            self.finish(command[1:], without_line(buffer.text, doc.cursor_position_row))
        else:
            buffer.newline(copy_margin=False)

    # ---- key bindings -------------------------------------------------------

    def key_bindings(self):
        from prompt_toolkit.key_binding import KeyBindings

        kb = KeyBindings()
        kb.add("escape", "enter", eager=True)(lambda event: self.submit(event.current_buffer))
        kb.add("c-d", eager=True)(lambda event: self.submit(event.current_buffer))
        kb.add("enter", eager=True)(lambda event: self.enter(event.current_buffer))
        kb.add("c-c", eager=True)(lambda event: self.finish(INTERRUPT, event.current_buffer.text))
        kb.add("<sigint>")(lambda event: self.finish(INTERRUPT, event.current_buffer.text))
        kb.add("c-x", "c-e", eager=True)(self.open_external_editor)
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
        lines = toolbar_lines(clock.remaining(), clock.limit, width, self.note, clock.paused)
        fragments = []
        for i, (style, line) in enumerate(lines):
            fragments.append((style, line.ljust(width) if style != "class:toolbar.keys" else line))
            if i < len(lines) - 1:
                fragments.append(("", "\n"))
        return fragments

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
                self.save_draft()
                self.finish(TIMEOUT, self.text)
                return
            now = time.monotonic()
            if now - last_draft >= self.draft_every:
                self.save_draft()
                last_draft = now
            remaining = clock.remaining()
            visible = (format_clock(remaining), warning(remaining, clock.limit)[0], self.note)
            if visible != shown:
                shown = visible
                app.invalidate()
            await asyncio.sleep(_next_tick(remaining))


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
