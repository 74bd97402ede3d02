"""Driving drill in a real pseudo-terminal: pexpect for keys and text, tmux when the drawn screen matters.

Shared by the terminal tests of every package; the `tmux` fixture lives in conftest.py.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import time
from pathlib import Path

import pexpect
import pytest

ESC_ENTER = "\x1b\r"
READY = "\x1b[?2004h"  # prompt-toolkit turns on bracketed paste once the editor is live
ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]")

pytestmark = pytest.mark.slow


# ---- helpers -----------------------------------------------------------------------------


def spawn(drill_exe: str, args: list[str], env: dict[str, str], *, rows: int = 40, cols: int = 200,
          timeout: float = 20) -> pexpect.spawn:
    env = dict(env, PROMPT_TOOLKIT_NO_CPR="1", COLUMNS=str(cols), LINES=str(rows))
    return pexpect.spawn(drill_exe, args, env=env, dimensions=(rows, cols), encoding="utf-8",
                         codec_errors="replace", timeout=timeout)


def round_args(bank: Path, *extra: str) -> list[str]:
    return ["acme", "backend", "--banks", str(bank), "--round", "design", *extra]


def db(home: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(home / "drill.db")
    conn.row_factory = sqlite3.Row
    return conn


def session_row(home: Path) -> sqlite3.Row:
    return db(home).execute("SELECT * FROM sessions ORDER BY rowid DESC").fetchone()


def answers(home: Path, session_id: str) -> list[sqlite3.Row]:
    return db(home).execute("SELECT * FROM answers WHERE session_id = ? ORDER BY position, id",
                            (session_id,)).fetchall()


def plan(home: Path) -> list[str]:
    return json.loads(session_row(home)["plan"])


def bank_question(tiny_bank: Path, question_id: str):
    from interview_cli.banks.loader import discover

    return discover([tiny_bank]).find("acme", "backend").find_question(question_id)[1]


def finish(child: pexpect.spawn, code: int = 0) -> str:
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == code, child.before[-2000:]
    return child.before


def quit_at_second_question(drill_exe: str, args: list[str], env: dict[str, str], first_answer: str) -> None:
    """Run a two-question round, answer the first question and /quit at the second (exit 130)."""
    child = spawn(drill_exe, args, env)
    child.expect_exact(READY)
    child.send(first_answer + ESC_ENTER)
    child.expect_exact("Question 2 of 2")
    child.expect_exact(READY)
    child.send("/quit\r")
    child.expect_exact("Pick up where you left off with: drill resume")
    finish(child, 130)


def wait_for(predicate, timeout: float = 10.0, step: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError("condition not met in time")


# ---- the round ------------------------------------------------------------------------------


def tmux_available() -> None:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed (.ci/run installs it with apt-get)")


_SOCKETS = itertools.count()


class Tmux:
    def __init__(self, name: str, cols: int, rows: int, command: list[str], env: dict[str, str]):
        self.name = name
        self.socket = f"drill-test-{os.getpid()}-{next(_SOCKETS)}"
        passed = ("DRILL_", "NO_COLOR", "EDITOR")
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items() if k.startswith(passed))
        shell = f"env {exports} TERM=screen-256color {' '.join(shlex.quote(c) for c in command)}; sleep 60"
        subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null", "new-session", "-d", "-s", name, "-x", str(cols),
                        "-y", str(rows), shell], check=True, env={k: v for k, v in env.items() if k != "TMUX"})

    def screen(self) -> str:
        return subprocess.run(["tmux", "-L", self.socket, "capture-pane", "-p", "-t", self.name], check=True,
                              capture_output=True, text=True).stdout

    def wait_for(self, text: str, timeout: float = 15.0) -> str:
        return wait_for(lambda: (lambda s: s if text in s else None)(self.screen()), timeout, 0.1)

    def keys(self, *keys: str) -> None:
        subprocess.run(["tmux", "-L", self.socket, "send-keys", "-t", self.name, *keys], check=True)

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)
