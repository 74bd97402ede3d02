"""Escape sequences and rich markup in every kind of text drill prints: none reaches stdout or stderr.

Bank text, answers, imported records and model output carry CSI, OSC (title, hyperlink, clipboard),
DCS, 8-bit C1 controls, BEL and backspaces, rich markup ([link=...], [blink]) and a remote image;
every command that prints such text runs, and its output must hold no ESC, no C1 control, no BEL,
and no markup turned into a style or link.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys

import pytest
from fake_llm_server import FakeLLMServer
from practice_helpers import DRILL, FAKE_DRILL, STRONG, Env

from hostile.hostile_inputs import (
    ESCAPES,
    FORBIDDEN_OUTPUT,
    MARKUP,
    PAYLOAD,
    bank_escapes,
    bank_invalid_escapes,
    export_bad_type_escapes,
    export_escapes,
)

pytestmark = pytest.mark.slow

COMPANY = "Esc " + PAYLOAD  # the escapes bank's company name: the command line matches it by slug


def assert_clean(done: subprocess.CompletedProcess, *args: str) -> None:
    for stream, text in (("stdout", done.stdout), ("stderr", done.stderr)):
        for bad in FORBIDDEN_OUTPUT:
            assert bad not in text, f"{args}: {bad!r} reached {stream}: {text[:400]!r}"
    assert "Traceback" not in done.stderr, done.stderr


def run(env: Env, *args: str, fake: bool = False, extra: dict | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", FAKE_DRILL] if fake else [DRILL]
    done = subprocess.run([*command, *args], env={**env.vars, **(extra or {})}, capture_output=True, text=True,
                          timeout=60, cwd=env.root)
    assert_clean(done, *args)
    return done


@pytest.fixture
def env(tmp_path) -> Env:
    env = Env(tmp_path)
    bank_escapes(env.banks)
    return env


def test_bank_text_never_reaches_the_terminal_raw(env, tmp_path):
    for args in (("banks", "list"), ("banks", "list", "--json"), ("banks", "show", COMPANY, "backend"),
                 ("banks", "show", COMPANY, "backend", "--json"), ("banks", "validate"),
                 ("plan", COMPANY, "backend"), ("plan", "--json")):
        assert run(env, *args).returncode == 0, args
    shown = run(env, "banks", "show", COMPANY, "backend").stdout
    assert "[link=http://evil.example/]click me[/link]" in shown  # markup shown as the text it is
    bad = bank_invalid_escapes(tmp_path / "bad")
    assert run(env, "banks", "validate", str(bad)).returncode == 1
    unknown = run(env, "x" + ESCAPES["osc_title"] + ESCAPES["csi_clear"], "backend")
    assert unknown.returncode == 2 and unknown.stderr.count("\n") == 1


def test_answers_and_bank_text_in_rounds_reports_history_stats_and_exports(env, tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text("q1: " + json.dumps("answer " + PAYLOAD) + "\n", encoding="utf-8")
    done = run(env, COMPANY, "backend", "--answers", str(answers), fake=True)
    assert done.returncode == 0, done.stderr
    assert "answer" in done.stdout or "Q1" in done.stdout
    sid = env.rows("SELECT id FROM sessions")[0][0]
    assert env.rows("SELECT answer FROM answers")[0][0] == "answer " + PAYLOAD  # stored as typed
    for fmt in ("md", "json", "html"):
        report = run(env, "report", sid, "--format", fmt)
        assert report.returncode == 0
    markdown = run(env, "report", sid).stdout
    assert "](http://evil.example/track.png)" in markdown and "![pixel]" not in markdown  # no remote image
    assert json.loads(run(env, "report", sid, "--format", "json").stdout)["questions"][0]["answer"] == (
        "answer " + PAYLOAD)  # JSON stays lossless: the escapes are \\u escapes
    for args in (("history",), ("history", "--json"), ("stats",), ("stats", "--json"), ("export",),
                 ("export", "--format", "csv"), ("score", sid)):
        assert run(env, *args, fake=args[0] == "score").returncode == 0, args
    exported = tmp_path / "out.jsonl"
    assert run(env, "export", "--output", str(exported)).returncode == 0
    assert "\x1b" not in exported.read_text(encoding="utf-8")  # escaped as \\u001b in the JSON


def test_imported_text_reaches_stats_and_history_clean_and_markup_is_not_interpreted(env, tmp_path):
    done = run(env, "import", str(export_escapes(tmp_path)))
    assert done.returncode == 0, done.stderr
    stats = run(env, "stats", extra={"COLUMNS": "200"}).stdout
    assert MARKUP["blink"] in stats and MARKUP["link"] in stats  # shown as text, not turned into styles
    for args in (("history",), ("report", "aaaa0001"), ("report", "aaaa0001", "-f", "html"), ("plan",)):
        assert run(env, *args).returncode == 0, args
    bad = run(env, "import", str(export_bad_type_escapes(tmp_path)))
    assert bad.returncode == 2
    assert bad.stderr.startswith("error: ") and bad.stderr.count("\n") == 1


def test_model_output_is_cleaned_before_it_is_shown(env, tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text("lru-cache: " + json.dumps(STRONG["lru-cache"]) + "\n", encoding="utf-8")
    with FakeLLMServer(mode="ok", feedback="Good. " + PAYLOAD) as server:
        extra = {"OPENAI_API_KEY": "sk-test-000000", "LITELLM_LOCAL_MODEL_COST_MAP": "True"}
        done = run(env, "acme", "backend", "--answers", str(answers), "--model", "openai/test-model",
                   "--api-base", server.base_url, extra=extra)
    assert done.returncode == 0, done.stderr
    assert "Good." in done.stdout
    sid = env.rows("SELECT id FROM sessions")[0][0]
    assert run(env, "report", sid).returncode == 0


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_control_bytes_in_answers_never_reach_the_terminal(env, tmp_path, seed):
    rng = random.Random(seed)
    pieces = list(ESCAPES.values()) + [chr(c) for c in (*range(0, 9), *range(11, 32), *range(127, 160))]
    text = "".join(rng.choice(pieces) + rng.choice(["a", " ", "\n", "é", "[b]"]) for _ in range(200))
    answers = tmp_path / "answers.yaml"
    answers.write_text("lru-cache: " + json.dumps(text) + "\n", encoding="utf-8")
    assert run(env, "acme", "backend", "--answers", str(answers), fake=True).returncode == 0
    sid = env.rows("SELECT id FROM sessions")[0][0]
    for args in (("report", sid), ("report", sid, "-f", "json"), ("export", "--format", "csv"), ("export",)):
        assert run(env, *args).returncode == 0, args
