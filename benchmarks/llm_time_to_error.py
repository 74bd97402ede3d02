"""Time from `drill ... --model M` to its answer for the three failures of issue 10, through the CLI.

1. llama.cpp's server refusing json_schema with a 500 (tests/fake_llm_server.py mode llama_cpp,
   the exact reply; or a real `python -m llama_cpp.server` with --llama-url URL): time to the score.
2. a hosted model with no key (gpt-4o-mini, OPENAI_API_KEY unset): time to the error.
3. nothing listening (ollama/llama3, OLLAMA_API_BASE at a closed port): time to the error.

Each runs `drill netflix backend --round recruiter-screen --answers FILE` in a fresh DRILL_HOME, one
at a time, and prints the wall time, exit code and the last line drill wrote to stderr.

Run: .venv/bin/python benchmarks/llm_time_to_error.py [--drill PATH] [--llama-url URL]
(--drill runs another drill, e.g. one built from an older commit, to compare before and after.)
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests")]

from fake_llm_server import FakeLLMServer, refused_base_url  # noqa: E402

ANSWERS = """\
career-highlight: |
  I led the move of our billing service to an event-driven design. We cut p99 latency from 900 ms to
  120 ms and removed the nightly batch that failed twice a month. I owned the rollout and the runbook.
"""


def run(drill: str, answers: Path, *args: str, env: dict[str, str]) -> tuple[float, int, str]:
    home = tempfile.mkdtemp(prefix="drill-tte-")
    full_env = {k: v for k, v in os.environ.items() if k not in ("OPENAI_API_KEY", "DRILL_MODEL", "DRILL_API_BASE")}
    full_env.update(DRILL_HOME=home, NO_COLOR="1", **env)
    started = time.monotonic()
    done = subprocess.run([drill, "netflix", "backend", "--round", "recruiter-screen", "--answers", str(answers),
                           *args], capture_output=True, text=True, env=full_env, stdin=subprocess.DEVNULL)
    elapsed = time.monotonic() - started
    shutil.rmtree(home, ignore_errors=True)
    last = (done.stderr.strip().splitlines() or [""])[-1]
    return elapsed, done.returncode, last


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drill", default=shutil.which("drill") or str(Path(sys.executable).with_name("drill")))
    parser.add_argument("--llama-url", help="a running llama.cpp server's /v1 URL (default: the fake one)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        answers = Path(folder) / "answers.yaml"
        answers.write_text(ANSWERS, encoding="utf-8")
        with FakeLLMServer(mode="llama_cpp") as fake:
            url = options.llama_url or fake.base_url
            cases = [
                ("llama.cpp 500 for json_schema", ("--model", "openai/smollm2", "--api-base", url), {}),
                ("missing key (gpt-4o-mini)", ("--model", "gpt-4o-mini"), {}),
                ("nothing listening (ollama/llama3)", ("--model", "ollama/llama3"),
                 {"OLLAMA_API_BASE": refused_base_url().removesuffix("/v1")}),
            ]
            for name, args, env in cases:
                elapsed, code, last = run(options.drill, answers, *args, env=env)
                print(f"{name:36} {elapsed:6.2f} s  exit {code}  {last[:150]}")


if __name__ == "__main__":
    main()
