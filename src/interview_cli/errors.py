"""Errors a user sees: one actionable line and an exit code, never a traceback."""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum


class ExitStatus(IntEnum):
    """drill's exit codes, as `drill --help` lists them."""

    OK = 0
    FAILED = 1  # a run, scoring or check failed (answers are kept)
    USAGE = 2  # usage or input error
    INTERRUPTED = 130  # Ctrl-C, or a round quit before its end


class DrillError(Exception):
    """A failure with a message meant for the user."""

    exit_code = ExitStatus.FAILED


class UsageError(DrillError):
    """Bad arguments or input: exit 2."""

    exit_code = ExitStatus.USAGE


class ScoringError(DrillError):
    """Scoring could not finish; answers are kept."""

    exit_code = ExitStatus.FAILED


def error_line(message: str, stream) -> str:
    """`error: MESSAGE` with a red `error:` on a terminal; plain with NO_COLOR or when piped."""
    import os

    try:
        colour = stream.isatty() and not os.environ.get("NO_COLOR")
    except (AttributeError, ValueError):
        colour = False
    from interview_cli.sanitize import escaped

    return f"{RED_ERROR if colour else 'error:'} {escaped(message)}\n"


RED_ERROR = "\x1b[1;31merror:\x1b[0m"  # bold red, as rich draws style "bold red"


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The one choice `word` starts (`sys` for system-design), else the most similar one, if any is close."""
    import difflib

    choices = list(choices)
    started = [choice for choice in choices if word and choice.startswith(word.lower())]
    if len(started) == 1:
        return started[0]
    matches = difflib.get_close_matches(word.lower(), choices, n=1, cutoff=0.5)
    return matches[0] if matches else None


def unknown_choice(kind: str, given: str, choices: Iterable[str], see: str) -> UsageError:
    """`unknown company 'netflx' — did you mean 'netflix'? (see: drill banks list)`."""
    choices = sorted(set(choices))
    guess = closest(given, choices)
    if guess:
        return UsageError(f"unknown {kind} '{given}' — did you mean '{guess}'? (see: {see})")
    listed = ", ".join(choices) if choices else "none"
    return UsageError(f"unknown {kind} '{given}' — choose one of: {listed} (see: {see})")
