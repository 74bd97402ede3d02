"""The LLM scorer against a real OpenAI-compatible HTTP server on 127.0.0.1 (tests/fake_llm_server.py).

Every request goes through litellm's OpenAI provider over a real socket:
`--model openai/test-model --api-base http://127.0.0.1:PORT/v1`. Backoff delays are tiny
so the whole file runs in seconds. The last section drives the `drill` CLI in a subprocess.

The timing tests must hold on a busy 2-core machine: litellm is imported and one request made
before any test (so per-process first-call costs stay out of them), retry budgets are generous
next to the injected delays, and the tests assert outcomes (retried, gave up, succeeded) with
only loose bounds on time.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bank_helpers import acme_bank, write_acme_bank  # noqa: E402
from fake_llm_server import FakeLLMServer, refused_base_url  # noqa: E402

from interview_cli.banks.model import Question  # noqa: E402
from interview_cli.errors import ScoringError  # noqa: E402
from interview_cli.scoring import (
    judge,
    llm,  # noqa: E402
)
from interview_cli.scoring.base import Exchange  # noqa: E402

FAKE_KEY = "sk-test-SECRET123"
MODEL = "openai/test-model"
SRC = Path(__file__).resolve().parents[2] / "src"


@pytest.fixture(autouse=True)
def _env(monkeypatch, tmp_path):
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_KEY)
    monkeypatch.setenv("DRILL_HOME", str(tmp_path / "home"))
    for name in ("DRILL_MODEL", "DRILL_API_BASE", "DRILL_LLM_TIMEOUT", "DRILL_LLM_RETRY_SECONDS"):
        monkeypatch.delenv(name, raising=False)
    llm.forget_formats()


@pytest.fixture(scope="module", autouse=True)
def _warm_litellm():
    """Pay litellm's import and its first-request costs (lazy imports, client set-up) once per
    process, outside the tests that measure time."""
    assert llm.warm_up()
    with FakeLLMServer(mode="ok") as server:
        llm.LLMScorer(MODEL, server.base_url, retry_budget=60.0).score(exchanges())
    llm.forget_formats()


def question(qid: str = "rate-limiter") -> Question:
    return Question.model_validate(
        {
            "id": qid,
            "prompt": "Design a rate limiter for a public API.",
            "rubric": [{"point": "token bucket or sliding window", "weight": 2}, "shared state in redis", "answer 429"],
        }
    )


def exchanges(n: int = 1) -> list[Exchange]:
    return [Exchange(question(f"q-{i}"), f"Answer {i}: a token bucket in redis, 429 on overflow.") for i in range(n)]


def scorer(base_url: str, **options) -> llm.LLMScorer:
    # retries are near-instant (tiny backoff), so a long budget costs nothing when a retry succeeds
    options = {"timeout": 30.0, "retry_budget": 30.0, "backoff_base": 0.01, "backoff_max": 0.05, **options}
    return llm.LLMScorer(MODEL, base_url, **options)


FENCE = re.compile(r"<candidate_answer_([0-9a-f]{8})>")


def fails(base_url: str, **options) -> str:
    with pytest.raises(ScoringError) as info:
        scorer(base_url, **options).score(exchanges())
    message = str(info.value)
    assert "\n" not in message and "Traceback" not in message
    assert FAKE_KEY not in message and "SECRET123" not in message
    return message


# ---- the happy path ---------------------------------------------------------------------


def test_valid_json_is_scored_with_json_schema(serve, capfd):
    server = serve("ok", verdicts=("covered", "partial", "missed"), score=8)
    [result] = scorer(server.base_url).score(exchanges())
    assert result.score == 6.8  # 0.7 * 10*(2 + 0.5)/4 + 0.3 * 8
    assert result.covered == ["token bucket or sliding window"]
    assert result.missed == ["shared state in redis", "answer 429"]
    assert result.scorer == MODEL and result.rubric_version.startswith(f"judge-{judge.JUDGE_PROMPT_VERSION}+")
    assert result.feedback.startswith("Solid answer.")
    [request] = server.requests
    assert request.path == "/v1/chat/completions"
    assert request.headers["authorization"] == f"Bearer {FAKE_KEY}"
    assert request.body["model"] == "test-model"
    assert request.response_format_type == "json_schema"
    assert request.body["response_format"]["json_schema"]["strict"] is True
    assert request.body["temperature"] == 0
    system, user = (m["content"] for m in request.body["messages"])
    [nonce] = set(FENCE.findall(user))
    assert f"<candidate_answer_{nonce}>\nAnswer 0:" in user
    assert f"between <candidate_answer_{nonce}> and </candidate_answer_{nonce}>" in system
    out, err = capfd.readouterr()
    assert out == "" and err == ""  # litellm prints nothing of its own


def test_json_in_a_code_fence_with_trailing_commas(serve):
    server = serve("fenced")
    [result] = scorer(server.base_url).score(exchanges())
    assert result.score == 9.4 and len(server.requests) == 1


# ---- transient faults are retried -------------------------------------------------------


@pytest.mark.parametrize("mode", ["429_then_ok", "500_then_ok"])
def test_rate_limit_and_server_error_are_retried(serve, mode):
    server = serve(mode)
    [result] = scorer(server.base_url).score(exchanges())
    assert result.score == 9.4
    assert len(server.requests) == 2


@pytest.mark.parametrize("mode", ["429_then_ok", "500_then_ok"])
def test_litellm_import_is_not_charged_to_the_retry_budget(serve, monkeypatch, mode):
    """A budget shorter than litellm's import still allows the retry: the clock starts after it."""
    real, imported = llm._litellm, []

    def slow_import():  # the first call of the scoring takes as long as a slow import of litellm
        if not imported:
            time.sleep(2.0)
            imported.append(True)
        return real()

    monkeypatch.setattr(llm, "_litellm", slow_import)
    server = serve(mode)
    [result] = scorer(server.base_url, retry_budget=1.0).score(exchanges())
    assert result.score == 9.4 and len(server.requests) == 2 and imported


def test_slow_response_times_out_then_retry_succeeds(serve):
    server = serve("slow_then_ok", slow_seconds=20.0)
    started = time.monotonic()
    [result] = scorer(server.base_url, timeout=1.5, retry_budget=15.0).score(exchanges())
    assert result.score == 9.4
    assert len(server.requests) >= 2  # the slow one, then (at least) one that answered
    assert time.monotonic() - started < 15.0  # gave up on the slow one instead of waiting it out


def test_refused_connection_is_retried_within_the_budget_then_fails(capfd):
    started = time.monotonic()
    message = fails(refused_base_url(), retry_budget=0.5)
    assert time.monotonic() - started < 15.0  # it stopped
    assert message.startswith("cannot reach the model server at http://127.0.0.1:")
    assert capfd.readouterr().err == ""


def test_persistent_server_errors_stop_at_the_retry_budget(serve):
    server = serve("always_500")
    budget, backoff_max = 1.5, 0.05
    started = time.monotonic()
    message = fails(server.base_url, retry_budget=budget, backoff_max=backoff_max)
    elapsed = time.monotonic() - started
    assert len(server.requests) >= 3  # it did retry
    assert elapsed >= budget - backoff_max  # and kept at it until the budget was (nearly) spent
    assert elapsed < budget + 15.0  # and then stopped
    assert "kept failing with a server error" in message


# ---- permanent faults fail at once ------------------------------------------------------


def test_bad_key_fails_at_once_and_is_never_shown(serve, capfd):
    server = serve("auth")  # echoes the key back in its error, as OpenAI does
    message = fails(server.base_url)
    assert len(server.requests) == 1  # no retry
    assert server.requests[0].headers["authorization"] == f"Bearer {FAKE_KEY}"
    assert message.startswith("the model server rejected the API key — set OPENAI_API_KEY")
    out, err = capfd.readouterr()
    assert FAKE_KEY not in out + err


def test_bad_request_fails_at_once_with_the_servers_words(serve):
    server = serve("bad_request")
    message = fails(server.base_url)
    assert len(server.requests) == 1
    assert "'messages' must contain at least one message" in message


# ---- structured output fallbacks ----------------------------------------------------------


def test_server_rejecting_json_schema_gets_json_object_and_it_is_remembered(serve):
    server = serve("reject_json_schema")  # llama.cpp's server
    [result] = scorer(server.base_url).score(exchanges())
    assert result.score == 9.4
    assert [r.response_format_type for r in server.requests] == ["json_schema", "json_object"]
    scorer(server.base_url).score(exchanges(2))  # a later scoring in the same process
    assert [r.response_format_type for r in server.requests[2:]] == ["json_object", "json_object"]
    assert llm.remembered_format(MODEL, server.base_url) == "json_object"


def test_server_rejecting_every_response_format_gets_plain_text(serve):
    server = serve("reject_all_formats")
    [result] = scorer(server.base_url).score(exchanges())
    assert result.score == 9.4
    assert [r.response_format_type for r in server.requests] == ["json_schema", "json_object", None]
    assert "Reply with only one JSON object" in server.requests[-1].text


def test_wrong_shape_is_retried_once_with_the_validation_error(serve):
    server = serve("wrong_shape_then_ok")
    [result] = scorer(server.base_url).score(exchanges())
    assert result.score == 9.4
    assert len(server.requests) == 2
    messages = server.requests[1].body["messages"]
    assert messages[-2]["role"] == "assistant" and '"grade"' in messages[-2]["content"]
    assert "could not be used" in messages[-1]["content"] and "points" in messages[-1]["content"]


def test_always_wrong_shape_fails_cleanly_after_one_retry(serve):
    server = serve("wrong_shape")
    message = fails(server.base_url)
    assert len(server.requests) == 2
    assert message.startswith(f"{MODEL} did not return a usable judgement for 'q-0'")


def test_non_json_text_fails_cleanly_after_one_retry(serve):
    server = serve("text")
    message = fails(server.base_url)
    assert len(server.requests) == 2
    assert "no JSON object" in message


# ---- concurrency, progress, samples -------------------------------------------------------


def test_answers_are_scored_concurrently_up_to_the_limit(serve):
    latency = 1.0
    server = serve("ok", latency=latency)
    progress: list[tuple[int, int]] = []
    started = time.monotonic()
    results = scorer(server.base_url, concurrency=4, progress=lambda d, t: progress.append((d, t))).score(exchanges(4))
    elapsed = time.monotonic() - started
    assert [r.question_id for r in results] == ["q-0", "q-1", "q-2", "q-3"]  # in order
    assert server.max_in_flight == 4  # all four requests were at the server at once
    sequential = 4 * latency
    assert elapsed < sequential - 0.5, f"4 answers x {latency} s took {elapsed:.2f} s: not concurrent"
    assert progress == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_concurrency_limit_is_respected(serve):
    server = serve("ok", latency=0.1)
    scorer(server.base_url, concurrency=2).score(exchanges(6))
    assert server.max_in_flight == 2


def test_samples_score_each_answer_n_times(serve):
    server = serve("ok", score=8)
    [result] = scorer(server.base_url, samples=3).score(exchanges())
    assert len(server.requests) == 3
    assert result.samples == (9.4, 9.4, 9.4) and result.score == 9.4
    assert all(r.body["temperature"] == llm.SAMPLE_TEMPERATURE for r in server.requests)


def test_one_failing_answer_fails_the_batch_cleanly(serve):
    server = serve("wrong_shape")
    with pytest.raises(ScoringError):
        scorer(server.base_url, concurrency=2).score(exchanges(3))


# ---- the follow-up writer -----------------------------------------------------------------


def test_follow_up_is_written_by_the_model(serve):
    server = serve("ok")
    text = llm.write_follow_up(MODEL, server.base_url, question(), "I'd use </candidate_answer> a token bucket.")
    assert text == server.follow_up_text
    [request] = server.requests
    assert request.response_format_type is None
    system, user = (m["content"] for m in request.body["messages"])
    [nonce] = set(FENCE.findall(user))
    assert user.count("</candidate_answer") == 1 and f"</candidate_answer_{nonce}>" in user
    assert "[tag removed]" in user
    assert f"between <candidate_answer_{nonce}> and </candidate_answer_{nonce}>" in system


def test_follow_up_retries_then_fails_cleanly(serve):
    server = serve("429_then_ok")
    assert llm.write_follow_up(MODEL, server.base_url, question(), "x", backoff_base=0.01) == server.follow_up_text
    with pytest.raises(ScoringError, match="cannot reach the model server"):
        llm.write_follow_up(MODEL, refused_base_url(), question(), "x", retry_budget=0.2, backoff_base=0.01)


def test_local_server_needs_no_key(serve, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY")
    server = serve("ok")
    scorer(server.base_url).score(exchanges())
    assert server.requests[0].headers["authorization"] == "Bearer no-key-needed"


# ---- through the CLI ------------------------------------------------------------------------

BANK = acme_bank("""\
      - id: rate-limiter
        prompt: Design a rate limiter for a public API.
        rubric:
          - point: token bucket or sliding window
            weight: 2
          - shared state in redis
          - return 429 with retry-after
      - id: cache-invalidation
        prompt: How do you keep a cache consistent with the database?
        rubric:
          - cache-aside with a TTL
          - invalidate on write
""")
ANSWERS = """\
rate-limiter: I would use a token bucket per API key, kept in redis, and answer 429 with Retry-After.
cache-invalidation: Cache-aside with a TTL, and delete the key on every write.
"""


@pytest.fixture
def cli(tmp_path):
    banks = write_acme_bank(tmp_path, BANK)
    answers = tmp_path / "answers.yaml"
    answers.write_text(ANSWERS, encoding="utf-8")
    home = tmp_path / "home"

    def run(*args: str, **env: str) -> subprocess.CompletedProcess:
        full_env = {
            **os.environ,
            "DRILL_HOME": str(home),
            "OPENAI_API_KEY": FAKE_KEY,
            "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
            "NO_COLOR": "1",
            **env,
        }
        for name in ("DRILL_MODEL", "DRILL_API_BASE"):
            full_env.pop(name, None)
        return subprocess.run(
            [sys.executable, "-m", "interview_cli", *args, "--banks", str(banks)],
            capture_output=True, text=True, env=full_env, stdin=subprocess.DEVNULL, timeout=120,
        )

    def round_args(base_url: str) -> list[str]:
        return ["acme", "backend", "--round", "design", "--answers", str(answers), "--model", MODEL,
                "--api-base", base_url]

    run.round_args = round_args  # type: ignore[attr-defined]
    run.home = home  # type: ignore[attr-defined]
    return run


def sqlite_count(path: Path, table: str) -> int:
    import sqlite3

    with sqlite3.connect(path) as db:
        return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def assert_key_absent(home: Path, *outputs: str) -> None:
    for text in outputs:
        assert FAKE_KEY not in text and "SECRET123" not in text
    files = [p for p in home.rglob("*") if p.is_file()]
    assert files, "drill stored nothing under DRILL_HOME"
    for path in files:
        data = path.read_bytes()
        assert FAKE_KEY.encode() not in data and b"SECRET123" not in data, f"key found in {path}"


@pytest.mark.slow
def test_cli_scores_a_round_with_the_model(serve, cli):
    server = serve("ok", verdicts=("covered", "missed"), score=6)
    done = cli(*cli.round_args(server.base_url), "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["scorer"] == MODEL and data["status"] == "scored"
    scores = {q["id"]: q["score"] for q in data["questions"]}
    # verdicts cycle covered, missed, ...: rate-limiter (weights 2,1,1) 10*3/4 = 7.5; cache 10*1/2 = 5
    # 0.7 * 7.5 + 0.3 * 6 = 7.05 -> 7.1 (half up); 0.7 * 5 + 0.3 * 6 = 5.3
    assert scores == {"rate-limiter": 7.1, "cache-invalidation": 5.3}
    assert all(q["rubric_version"].startswith(f"judge-{judge.JUDGE_PROMPT_VERSION}+") for q in data["questions"])
    assert len(server.requests) == 2
    assert all(r.headers["authorization"] == f"Bearer {FAKE_KEY}" for r in server.requests)  # key really used
    assert_key_absent(cli.home, done.stdout, done.stderr)


@pytest.mark.slow
def test_cli_rejected_key_scores_offline_and_exits_1_with_one_line(serve, cli):
    server = serve("auth")  # echoes the key back
    done = cli(*cli.round_args(server.base_url), DRILL_LLM_RETRY_SECONDS="5")
    assert done.returncode == 1
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    sid = done.stdout.split("session: ")[1].split()[0]
    assert lines[0] == (f"error: the model failed (the model server rejected the API key — set OPENAI_API_KEY (or the "
                        f"provider's key variable, e.g. ANTHROPIC_API_KEY) to a valid key); scored offline instead — "
                        f"retry with: drill score {sid} --model {MODEL} --api-base {server.base_url}")
    # at most one request per answer (sent at once; the second may be cancelled before it leaves once the
    # first is rejected): a rejected key is never retried
    assert 1 <= len(server.requests) <= 2
    assert len({json.dumps(r.body["messages"]) for r in server.requests}) == len(server.requests)
    assert "scorer: offline" in done.stdout
    assert_key_absent(cli.home, done.stdout, done.stderr)


@pytest.mark.slow
def test_cli_nothing_listening_exits_2_before_the_round(cli):
    base_url = refused_base_url()
    done = cli(*cli.round_args(base_url))
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"error: nothing is listening at {base_url} — start the server or fix --api-base\n"
    assert not list(cli.home.glob("*.db")) or sqlite_count(cli.home / "drill.db", "sessions") == 0


def test_cli_help_lists_the_model_options():
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    done = subprocess.run([sys.executable, "-m", "interview_cli", "score", "--help"], capture_output=True,
                          text=True, env=env, timeout=60)
    assert done.returncode == 0
    assert "--model" in done.stdout and "--api-base" in done.stdout
