"""Every command that reads a hostile file: no traceback, no crash, no hang, one line naming the file.

The inputs come from hostile_inputs (generated per test, nothing checked in). Each run gets
HANG_SECONDS: a bomb or a 30,000-deep file must be refused on sight, not chewed through.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from practice_helpers import DRILL, FAKE_DRILL, Env

from hostile.hostile_inputs import (
    answers_binary,
    answers_bomb,
    answers_deep,
    answers_huge,
    answers_utf16,
    bank_binary,
    bank_deep,
    bank_deep_block,
    bank_empty_slug,
    bank_huge,
    bank_latin1,
    bank_utf8_bom,
    bank_utf16,
    bank_yaml_bomb,
    config_binary,
    config_deep,
    export_binary,
    export_deep_json,
    export_huge_line,
    export_huge_position,
    export_latin1,
    export_utf16,
    export_year_9999,
    stdin_binary,
    stdin_utf16,
)

pytestmark = pytest.mark.slow

HANG_SECONDS = 30  # a hang guard, not a speed assertion: refused inputs take well under a second


def run(env: Env, *args: str, input: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([DRILL, *args], env=env.vars, input=input or b"", capture_output=True,
                          timeout=HANG_SECONDS, cwd=env.root)


def run_fake(env: Env, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", FAKE_DRILL, *args], env=env.vars, capture_output=True,
                          timeout=HANG_SECONDS, cwd=env.root)


def one_error_line(done: subprocess.CompletedProcess, code: int, *needles: str) -> str:
    """The run failed with `code` and exactly one line on stderr, `error: ...`, holding every needle."""
    stderr = done.stderr.decode("utf-8")
    assert done.returncode == code, stderr
    assert "Traceback" not in stderr and "unexpected" not in stderr, stderr
    lines = stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


BAD_BANKS = {
    "bomb": (bank_yaml_bomb, ":2: aliases (*a) are not allowed"),
    "deep-1000": (lambda f: bank_deep(f, 1_000), ":1: nested too deeply"),
    "deep-30000": (lambda f: bank_deep(f, 30_000), ":1: nested too deeply"),
    "deep-block": (lambda f: bank_deep_block(f, 2_000), ": nested too deeply"),
    "binary": (bank_binary, ":2: not UTF-8 text"),
    "utf16": (bank_utf16, ":1: not UTF-8 text"),
    "latin1": (bank_latin1, ":1: not UTF-8 text"),
    "huge": (bank_huge, ":1: file too large"),
    "empty-slug": (bank_empty_slug, ":1: company '!!!' needs at least one letter or digit"),
}


@pytest.mark.parametrize("kind", BAD_BANKS)
def test_banks_validate_reports_a_hostile_bank_in_one_line(kind, tmp_path):
    env = Env(tmp_path)
    make, message = BAD_BANKS[kind]
    path = make(tmp_path / "hostile")
    done = run(env, "banks", "validate", str(path))
    assert done.returncode == 1, done.stderr
    out = done.stdout.decode()
    assert out.splitlines() == [out.splitlines()[0]] and out.startswith(str(path)), out
    assert message in out
    assert done.stderr.decode() == "1 bank file(s) checked, 1 invalid, 1 problem(s)\n"


@pytest.mark.parametrize("kind", BAD_BANKS)
def test_commands_that_use_banks_skip_a_hostile_one_with_a_warning(kind, tmp_path):
    env = Env(tmp_path)
    make, message = BAD_BANKS[kind]
    folder = tmp_path / "hostile"
    path = make(folder)
    warning = f"warning: skipped invalid bank {path}"
    listed = run(env, "banks", "list", "--json", "--banks", str(folder))
    assert listed.returncode == 0, listed.stderr
    assert "acme" in [b["company_slug"] for b in json.loads(listed.stdout)]
    assert warning in listed.stderr.decode() and message in listed.stderr.decode()
    shown = run(env, "banks", "show", "acme", "backend", "--banks", str(folder))
    assert shown.returncode == 0 and warning in shown.stderr.decode()
    answers = env.answers_file({"lru-cache": "a hashmap"})
    round_ = run_fake(env, "acme", "backend", "--answers", str(answers), "--json", "--banks", str(folder))
    assert round_.returncode == 0, round_.stderr
    assert warning in round_.stderr.decode()
    planned = run(env, "plan", "--json", "--banks", str(folder))
    assert planned.returncode == 0, planned.stderr
    assert warning in planned.stderr.decode()


def test_a_utf8_bom_bank_is_fine(tmp_path):
    env = Env(tmp_path)
    path = bank_utf8_bom(tmp_path / "hostile")
    done = run(env, "banks", "validate", str(path))
    assert done.returncode == 0, done.stdout


BAD_ANSWERS = {
    "bomb": (answers_bomb, ":2: aliases (*a) are not allowed"),
    "deep-40000": (answers_deep, ":1: nested too deeply"),
    "huge": (answers_huge, "the answer to 'lru-cache' is"),
    "binary": (answers_binary, "is not UTF-8 text"),
    "utf16": (answers_utf16, "is not UTF-8 text"),
}


@pytest.mark.parametrize("kind", BAD_ANSWERS)
def test_a_hostile_answers_file_is_one_line_naming_it(kind, tmp_path):
    env = Env(tmp_path)
    make, message = BAD_ANSWERS[kind]
    path = make(tmp_path)
    text = path.read_bytes().replace(b"q1", b"lru-cache")
    path.write_bytes(text)
    done = run(env, "acme", "backend", "--answers", str(path))
    one_error_line(done, 2, str(path), message)
    if env.db_path.exists():
        assert env.rows("SELECT COUNT(*) FROM sessions") == [(0,)]


BAD_IMPORTS = {
    "position-2**70": (export_huge_position, ":3: answer 'position' must be a whole number from 0 to"),
    "year-9999": (export_year_9999, ":3: answer 'submitted_at' must be an ISO 8601 time"),
    "deep-100000": (export_deep_json, ":3: nested too deeply"),
    "binary": (export_binary, ":1: is not UTF-8 text (byte 0xff)"),
    "utf16": (export_utf16, ":1: is not UTF-8 text (byte 0xff)"),
    "latin1": (export_latin1, ":2: is not UTF-8 text (byte 0xe9)"),
}


def test_a_huge_import_line_is_taken_in_bounded_time(tmp_path):
    env = Env(tmp_path)
    done = run(env, "import", str(export_huge_line(tmp_path)))
    assert done.returncode == 0, done.stderr
    assert env.rows("SELECT LENGTH(answer) FROM answers") == [(12_000_000,)]


@pytest.mark.parametrize("kind", BAD_IMPORTS)
def test_a_hostile_import_is_file_line_and_imports_nothing(kind, tmp_path):
    env = Env(tmp_path)
    make, message = BAD_IMPORTS[kind]
    path = make(tmp_path)
    done = run(env, "import", str(path))
    one_error_line(done, 2, str(path), message)
    if env.db_path.exists():
        assert env.rows("SELECT COUNT(*) FROM sessions") == [(0,)]


@pytest.mark.parametrize("make", [stdin_binary, stdin_utf16], ids=["binary", "utf16"])
def test_hostile_stdin_is_one_line(make, tmp_path):
    env = Env(tmp_path)
    done = run(env, "acme", "backend", "--round", "coding", input=make())
    one_error_line(done, 2, "stdin is not UTF-8 text")


@pytest.mark.parametrize("make", [config_deep, config_binary], ids=["deep", "binary"])
def test_a_hostile_config_is_one_line_naming_it(make, tmp_path):
    env = Env(tmp_path)
    path = make(env.home)
    answers = env.answers_file({"lru-cache": "a hashmap"})
    done = run(env, "acme", "backend", "--answers", str(answers))
    one_error_line(done, 2, f"{path}:1:")
