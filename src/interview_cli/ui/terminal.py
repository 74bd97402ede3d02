"""All terminal input and output goes through one Terminal object.

Tests inject their own streams. Without a TTY, or with NO_COLOR set, output is
plain text with no colour and no cursor tricks.
"""

from __future__ import annotations

import os
import sys
from typing import IO, Any

from interview_cli.sanitize import terminal_safe


class Terminal:
    def __init__(self, stdin: IO[str] | None = None, stdout: IO[str] | None = None,
                 stderr: IO[str] | None = None, *, quiet: bool = False, width: int | None = None):
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        self.stderr = stderr or sys.stderr
        self.quiet = quiet
        from rich.console import Console

        plain = bool(os.environ.get("NO_COLOR")) or not _isatty(self.stdout)
        self.color = not plain
        self.out = Console(file=self.stdout, no_color=plain, highlight=False, width=width,
                           force_terminal=None if not plain else False, soft_wrap=False)
        self.err = Console(file=self.stderr, no_color=plain or not _isatty(self.stderr), highlight=False,
                           width=width, force_terminal=None if not plain else False)

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
        import json

        self.raw(json.dumps(data, indent=2, ensure_ascii=False))

    def raw(self, text: str) -> None:
        """Machine-readable output (JSON, CSV): exactly these bytes, no wrapping or markup."""
        self.stdout.write(text if text.endswith("\n") else text + "\n")
        self.stdout.flush()

    def note(self, message: str) -> None:
        """A side remark for people, on stderr so it never pollutes piped output."""
        if not self.quiet:
            self.err.print(terminal_safe(message), markup=False)

    def error(self, message: str) -> None:
        self.err.print(f"error: {terminal_safe(message)}", markup=False, style="red", soft_wrap=True)

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


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
