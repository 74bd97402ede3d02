"""Errors a user sees: one actionable line and an exit code, never a traceback."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


class DrillError(Exception):
    """A failure with a message meant for the user."""

    exit_code = EXIT_FAILED


class UsageError(DrillError):
    """Bad arguments or input: exit 2."""

    exit_code = EXIT_USAGE


class ScoringError(DrillError):
    """Scoring could not finish; answers are kept."""

    exit_code = EXIT_FAILED


def closest(word: str, choices: Iterable[str]) -> str | None:
    matches = difflib.get_close_matches(word.lower(), list(choices), n=1, cutoff=0.5)
    return matches[0] if matches else None


def unknown_choice(kind: str, given: str, choices: Iterable[str], see: str) -> UsageError:
    """`unknown company 'netflx' — did you mean 'netflix'? (see: drill banks list)`."""
    choices = sorted(set(choices))
    guess = closest(given, choices)
    if guess:
        return UsageError(f"unknown {kind} '{given}' — did you mean '{guess}'? (see: {see})")
    listed = ", ".join(choices) if choices else "none"
    return UsageError(f"unknown {kind} '{given}' — choose one of: {listed} (see: {see})")
