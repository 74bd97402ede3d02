"""Scoring with a model when things go wrong, through the CLI, against real HTTP servers on 127.0.0.1.

Each test is one failure a user met (issue 10): a missing key, nothing listening, llama.cpp's
500 for json_schema, a model that echoes the key, writes ANSI escapes, grades out of 100 or is
behind a proxy that answers HTML, a failed second opinion, a model failing at the end of a round.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bank_helpers import acme_bank, write_acme_bank

from fake_llm_server import ANSI_FEEDBACK, HTML_PAGE, FakeLLMServer, refused_base_url

FAKE_KEY = "sk-test-0123456789abcdefSECRET"
MODEL = "openai/test-model"
SRC = Path(__file__).resolve().parents[2] / "src"
BANK = acme_bank("""\
      - id: rate-limiter
        prompt: Design a rate limiter for a public API.
        rubric:
          - token bucket or sliding window
          - shared state in redis
""")
ANSWERS = "rate-limiter: A token bucket per API key, kept in redis, and 429 with Retry-After when it is empty.\n"


@pytest.fixture
def drill(tmp_path):
    banks = write_acme_bank(tmp_path, BANK)
    answers = tmp_path / "answers.yaml"
    answers.write_text(ANSWERS, encoding="utf-8")
    home = tmp_path / "home"

    def run(*args: str, key: str | None = FAKE_KEY, **env: str) -> subprocess.CompletedProcess:
        full_env = {**os.environ, "DRILL_HOME": str(home), "NO_COLOR": "1", "DRILL_LLM_RETRY_SECONDS": "5",
                    "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]), **env}
        for name in ("DRILL_MODEL", "DRILL_API_BASE", "OPENAI_API_KEY", "OLLAMA_API_BASE"):
            full_env.pop(name, None)
        if key is not None:
            full_env["OPENAI_API_KEY"] = key
        full_env.update(env)
        with_banks = ["--banks", str(banks)] if args[0] in ("acme", "score") else []
        return subprocess.run([sys.executable, "-m", "interview_cli", *args, *with_banks],
                              capture_output=True, text=True, env=full_env, stdin=subprocess.DEVNULL, timeout=120)

    def round_with(*model_args: str, **env: str) -> subprocess.CompletedProcess:
        return run("acme", "backend", "--round", "design", "--answers", str(answers), *model_args, **env)

    run.round = round_with  # type: ignore[attr-defined]
    run.home = home  # type: ignore[attr-defined]
    return run


def query(home: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(home / "drill.db") as db:
        return db.execute(sql).fetchall()


def session_id(stdout: str) -> str:
    return stdout.split("session: ")[1].split()[0]


def model_args(server: FakeLLMServer) -> tuple[str, ...]:
    return ("--model", MODEL, "--api-base", server.base_url)


# ---- preflight: before the round starts ---------------------------------------------------------


def test_missing_key_exits_2_at_once_naming_the_variable(drill):
    started = time.monotonic()
    done = drill.round("--model", "gpt-4o-mini", key=None)
    elapsed = time.monotonic() - started
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "error: gpt-4o-mini needs an API key: set OPENAI_API_KEY, or score offline without --model\n"
    assert not list(drill.home.glob("*.db")) or query(drill.home, "SELECT COUNT(*) FROM sessions") == [(0,)]
    assert elapsed < 10  # no retries: the retry budget alone is 60 s (figures: benchmarks/llm_time_to_error.py)


def test_ollama_not_running_exits_2_naming_the_url_and_how_to_start_it(drill):
    url = refused_base_url().removesuffix("/v1")
    done = drill.round("--model", "ollama/llama3", OLLAMA_API_BASE=url)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"error: nothing is listening at {url} — start it with: ollama serve\n"


def test_drill_score_runs_the_same_preflight(drill, serve):
    done = drill.round()  # offline
    assert done.returncode == 0, done.stderr
    sid = session_id(done.stdout)
    url = refused_base_url()
    again = drill("score", sid, "--model", MODEL, "--api-base", url)
    assert (again.returncode, again.stdout) == (2, "")
    assert again.stderr == f"error: nothing is listening at {url} — start the server or fix --api-base\n"


# ---- what the server says ---------------------------------------------------------------------------


def test_llama_cpp_500_for_json_schema_falls_back_to_json_object_at_once(drill, serve):
    server = serve("llama_cpp")
    done = drill.round(*model_args(server), "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert (data["scorer"], data["status"]) == (MODEL, "scored")
    formats = [r.response_format_type for r in server.requests]
    assert formats == ["json_schema", "json_object"]  # no retry of the 500: the body names the format
    schema = server.requests[1].body["response_format"]["schema"]
    assert schema["properties"]["points"]["items"]["properties"]["id"]["enum"] == ["P1", "P2"]


def test_doctor_reports_the_format_that_worked(drill, serve):
    server = serve("llama_cpp")
    done = drill("doctor", *model_args(server), "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert (data["model"], data["api_base"], data["response_format"], data["ok"]) == (
        MODEL, server.base_url, "json_object", True)
    assert data["seconds"] >= 0
    plain = drill("doctor", *model_args(server))
    assert plain.stdout.startswith(f"ok: {MODEL} at {server.base_url} scored a test answer in ")
    assert plain.stdout.rstrip().endswith("s using response_format json_object")


def test_doctor_without_a_model_says_offline_needs_no_check(drill):
    done = drill("doctor")
    assert done.returncode == 0
    assert done.stdout == "no model configured: drill scores offline (no key, no network) — nothing to check\n"


# ---- model output is untrusted -----------------------------------------------------------------------


def test_a_reply_echoing_the_key_is_neither_stored_nor_shown(drill, serve):
    server = serve("echo_key")
    done = drill.round(*model_args(server))
    assert done.returncode == 0, done.stderr
    sid = session_id(done.stdout)
    report = drill("report", sid)
    exported = drill("export")
    piece = FAKE_KEY[4:16]
    for text in (done.stdout, done.stderr, report.stdout, exported.stdout):
        assert FAKE_KEY not in text and piece not in text
    for path in (p for p in drill.home.rglob("*") if p.is_file()):
        assert piece.encode() not in path.read_bytes(), path
    assert "Your key is ***; part of it is ***; see /v1/chat/completions?key=***" in report.stdout


def test_ansi_escapes_in_feedback_never_reach_the_terminal(drill, serve):
    server = serve("ansi")
    done = drill.round(*model_args(server))
    assert done.returncode == 0, done.stderr
    report = drill("report", session_id(done.stdout))
    for text in (done.stdout, report.stdout):
        assert "\x1b" not in text and "\x07" not in text
    assert "Good answer. Red text and a title change." in report.stdout
    assert ANSI_FEEDBACK not in report.stdout


def test_a_score_of_40_is_sent_back_once_then_counts_as_invalid(drill, serve):
    server = serve("score_40")
    done = drill.round(*model_args(server))
    assert done.returncode == 1
    assert len(server.requests) == 2
    repair = server.requests[1].body["messages"][-1]["content"]
    assert "score must be a number from 0 to 10, not 40" in repair
    sid = session_id(done.stdout)
    assert done.stderr == (
        f"error: the model failed ({MODEL} did not return a usable judgement for 'rate-limiter' even after being "
        f"shown the problem (the JSON does not match the required shape — score: Value error, score must be a "
        f"number from 0 to 10, not 40) — choose a stronger --model); scored offline instead — retry with: "
        f"drill score {sid} --model {MODEL} --api-base {server.base_url}\n")
    assert query(drill.home, "SELECT scorer FROM scorings") == [("offline",)]


def test_an_html_page_with_status_200_is_an_invalid_reply_not_an_outage(drill, serve):
    server = serve("html_200")
    done = drill.round(*model_args(server), DRILL_LLM_RETRY_SECONDS="30")
    assert done.returncode == 1
    assert len(server.requests) == 2  # asked, shown the problem once, no retry storm
    assert "is not a chat completion" in done.stderr and "scored offline instead" in done.stderr
    assert HTML_PAGE not in done.stdout


# ---- every scoring is kept ---------------------------------------------------------------------------


def test_a_failed_rescore_leaves_the_earlier_scoring_and_history_untouched(drill, serve):
    done = drill.round()  # offline
    assert done.returncode == 0, done.stderr
    sid = session_id(done.stdout)
    history = drill("history", "--json").stdout
    stats = drill("stats", "--json").stdout
    before = query(drill.home, "SELECT scorer, overall FROM scorings")
    server = serve("auth")
    again = drill("score", sid, *model_args(server))
    assert again.returncode == 1
    assert again.stderr.rstrip().endswith(
        f"your answers are saved; retry with: drill score {sid} --model {MODEL} --api-base {server.base_url}")
    assert len(server.requests) == 1  # a rejected key is never retried
    assert query(drill.home, "SELECT scorer, overall FROM scorings") == before
    assert query(drill.home, "SELECT status, scorer FROM sessions") == [("scored", "offline")]
    assert drill("history", "--json").stdout == history
    assert drill("stats", "--json").stdout == stats


def test_a_rescore_shows_both_overalls_and_the_report_can_pick_either(drill, serve):
    done = drill.round()  # offline
    sid = session_id(done.stdout)
    offline = query(drill.home, "SELECT overall FROM scorings")[0][0]
    server = serve("ok", verdicts=("covered",), score=9)
    again = drill("score", sid, *model_args(server))
    assert again.returncode == 0, again.stderr
    new = query(drill.home, "SELECT overall FROM scorings ORDER BY id")[-1][0]
    assert f"Overall: {new:.1f}/10   (before: {offline:.1f}/10 by offline)   scorer: {MODEL}" in again.stdout
    assert query(drill.home, "SELECT scorer FROM scorings ORDER BY id") == [("offline",), (MODEL,)]
    report = drill("report", sid)
    assert f"- Scorer: {MODEL}" in report.stdout and f"- Overall: {new:.1f}/10" in report.stdout
    assert f"- Other scorings: offline {offline:.1f} (" in report.stdout
    picked = drill("report", sid, "--scorer", "offline", "--format", "json")
    data = json.loads(picked.stdout)
    assert (data["scorer"], data["overall"]) == ("offline", offline)
    assert [q["scorer"] for q in data["questions"]] == ["offline"]
    assert [s["scorer"] for s in data["scorings"]] == [MODEL, "offline"]
    unknown = drill("report", sid, "--scorer", "anthropic/x")
    assert unknown.returncode == 2 and "unknown scorer 'anthropic/x'" in unknown.stderr


def test_a_model_failing_at_the_end_of_a_round_still_gives_an_offline_score(drill, serve):
    server = serve("always_500")
    done = drill.round(*model_args(server), DRILL_LLM_RETRY_SECONDS="0.5")
    assert done.returncode == 1
    sid = session_id(done.stdout)
    assert "scorer: offline" in done.stdout and "Overall: " in done.stdout
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: the model failed (")
    assert lines[0].endswith(f"; scored offline instead — retry with: drill score {sid} --model {MODEL} "
                             f"--api-base {server.base_url}")
    assert query(drill.home, "SELECT status, scorer FROM sessions") == [("scored", "offline")]
    assert query(drill.home, "SELECT scorer FROM scorings") == [("offline",)]
    assert query(drill.home, "SELECT COUNT(*) FROM reviews") == [(1,)]
