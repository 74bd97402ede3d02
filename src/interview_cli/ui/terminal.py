"""All terminal input and output goes through one Terminal object.

Tests inject their own streams. Without a TTY, or with NO_COLOR set, output is
plain text with no colour and no cursor tricks.

Text from data (answers, banks, imports, model output) may carry terminal escape sequences
or rich markup. Neither gets through: the consoles never parse markup or emoji codes in
strings, and a render hook passes every printed segment through sanitize.clean, so only
the escape codes rich itself emits for styles reach the terminal.
"""

from __future__ import annotations

import os
import sys
from typing import IO, Any

from interview_cli.sanitize import clean, json_text


class Terminal:
    def __init__(self, stdin: IO[str] | None = None, stdout: IO[str] | None = None,
                 stderr: IO[str] | None = None, *, quiet: bool = False, width: int | None = None):
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        self.stderr = stderr or sys.stderr
        self.quiet = quiet
        from rich.console import Console

        plain = bool(os.environ.get("NO_COLOR")) or not _isatty(self.stdout)
        self.out = Console(file=self.stdout, no_color=plain, highlight=False, width=width, markup=False,
                           emoji=False, force_terminal=None if not plain else False, soft_wrap=False)
        self.err = Console(file=self.stderr, no_color=plain or not _isatty(self.stderr), highlight=False,
                           width=width, markup=False, emoji=False, force_terminal=None if not plain else False)
        for console in (self.out, self.err):
            console.push_render_hook(_Sanitizer())

    @property
    def interactive(self) -> bool:
        """Both ends are a terminal: safe to start prompt-toolkit."""
        return _isatty(self.stdin) and _isatty(self.stdout)

    @property
    def stdin_is_tty(self) -> bool:
        return _isatty(self.stdin)

    def show(self, *renderables: Any, **kwargs: Any) -> None:
        """Decoration and progress: suppressed by --quiet."""
        if not self.quiet:
            self.out.print(*renderables, **kwargs)

    def result(self, *renderables: Any, **kwargs: Any) -> None:
        """The output the user asked for: printed even with --quiet."""
        self.out.print(*renderables, **kwargs)

    def json(self, data: Any) -> None:
        """One JSON document on stdout, nothing else."""
        self.raw(json_text(data, indent=2))

    def raw(self, text: str) -> None:
        """Machine-readable output (JSON, Markdown, HTML): no wrapping or markup, and no control characters
        (JSON escapes its own, so it stays lossless)."""
        text = clean(text)
        self.stdout.write(text if text.endswith("\n") else text + "\n")
        self.stdout.flush()

    def note(self, message: str) -> None:
        """A side remark for people, on stderr so it never pollutes piped output."""
        if not self.quiet:
            self.err.print(clean(message), markup=False, soft_wrap=True)  # never break a command across lines

    def warn(self, message: str) -> None:
        """A warning on stderr, shown even with --quiet and --json (it never pollutes stdout)."""
        self.err.print(clean(message), markup=False, soft_wrap=True)

    def error(self, message: str) -> None:
        from interview_cli.errors import error_line

        self.stderr.write(error_line(message, self.stderr))
        self.stderr.flush()

    def confirm(self, question: str) -> bool:
        """A y/N question on the terminal: only y or yes (any case) says yes; Enter, EOF or anything else is no."""
        self.out.print(question, end="", soft_wrap=True)
        try:
            answer = self.stdin.readline()
        except (OSError, KeyboardInterrupt):
            answer = ""
        return answer.strip().lower() in ("y", "yes")

    def read_all_stdin(self) -> str:
        """Everything piped in, as UTF-8 text; anything else is a usage error, not a crash."""
        from interview_cli.errors import UsageError

        raw = self.stdin.buffer.read() if hasattr(self.stdin, "buffer") else self.stdin.read()
        if isinstance(raw, str):
            return raw
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise UsageError("stdin is not UTF-8 text — pipe answers as text separated by lines of '---'") from None


class _Sanitizer:
    """A rich render hook: every renderable printed is drawn, then its text segments cleaned."""

    def process_renderables(self, renderables: list) -> list:
        return [_Cleaned(renderable) for renderable in renderables]


class _Cleaned:
    def __init__(self, inner: Any):
        self.inner = inner

    def __rich_console__(self, console: Any, options: Any):
        from rich.segment import Segment

        for segment in console.render(self.inner, options):
            if segment.control or segment.text.isprintable() or not segment.text:
                yield segment
            else:
                yield Segment(clean(segment.text), segment.style, segment.control)


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
