"""What a newcomer meets in the first week: coloured errors, shell completion, installing as a tool."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pexpect
import pytest

ROOT = Path(__file__).resolve().parents[1]


def in_terminal(drill_exe: str, args: list[str], env: dict[str, str]) -> str:
    child = pexpect.spawn(drill_exe, args, env=env, dimensions=(24, 100), encoding="utf-8", timeout=30)
    child.expect(pexpect.EOF)
    child.close()
    return child.before


@pytest.mark.parametrize(("no_color", "expected"), [
    (False, "\x1b[1;31merror:\x1b[0m unknown company 'netflx' — did you mean 'netflix'? (see: drill banks list)\r\n"),
    (True, "error: unknown company 'netflx' — did you mean 'netflix'? (see: drill banks list)\r\n"),
])
def test_errors_are_red_on_a_terminal_unless_no_color(drill_exe, drill_env, no_color, expected):
    env = {k: v for k, v in drill_env.items() if k != "NO_COLOR"}
    if no_color:
        env["NO_COLOR"] = "1"
    assert in_terminal(drill_exe, ["netflx", "backend"], env) == expected


def test_errors_are_plain_when_piped_and_never_carry_escape_sequences(drill_exe, drill_env):
    import subprocess

    env = {k: v for k, v in drill_env.items() if k != "NO_COLOR"}
    done = subprocess.run([drill_exe, "netflix", "back\x1b[2Jend"], env=env, capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr.startswith("error: unknown role for Netflix 'back\\x1b[2Jend' — ")
    assert "\x1b" not in done.stderr
