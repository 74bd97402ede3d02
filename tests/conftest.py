"""Shared fixtures: every test gets its own DRILL_HOME, and a tiny bank when it asks for one.

Kept generic on purpose: other test modules rely on these names.

    drill_home   the DRILL_HOME of this test (tmp_path / "home"), set for every test
    drill_exe    path to the installed `drill` console script next to sys.executable
    drill_env    os.environ for a subprocess: DRILL_HOME set, no model, no colour
    tiny_bank    a folder holding one small bank (Acme, Backend Engineer); pass it with --banks
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
BENCHMARKS = TESTS.parent / "benchmarks"
# Test-only helpers (fake_scorer, fake_llm_server) live in tests/, measuring code in benchmarks/:
# importable here and in every drill subprocess a test starts.
for _folder in (TESTS, BENCHMARKS):
    if str(_folder) not in sys.path:
        sys.path.insert(0, str(_folder))
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(TESTS), str(BENCHMARKS), os.environ.get("PYTHONPATH")]))

import terminal_helpers  # noqa: E402 (needs the sys.path above)

# Variables that would leak the developer's own setup into a test.
_LEAKY = ("DRILL_MODEL", "DRILL_API_BASE", "DRILL_BANKS", "DRILL_DEBUG", "EDITOR", "VISUAL")

TINY_BANK = """\
company: Acme
role: Backend Engineer
aliases: [backend]
about: Acme sells anvils online. Four short rounds; every answer is timed.
rounds:
  design:
    title: System design
    minutes: 6
    about: One or two short design questions, then a follow-up on what you left out.
    questions:
      - id: cache-basics
        prompt: How would you add a cache in front of a slow product database?
        minutes: 2
        topics: [caching]
        rubric:
          - point: Invalidation on writes
            weight: 2
          - TTL to bound staleness
          - Hit ratio measured
        follow_ups:
          - How would you keep the cache from serving stale prices?
          - What hit ratio would you expect, and how would you measure it?
        hints:
          - Think about what happens when a price changes.
          - Consider a time-to-live.
      - id: queue-basics
        prompt: When would you put a queue between two services?
        minutes: 2
        topics: [queues]
        rubric:
          - Decoupling producer from consumer
          - Backpressure when consumers fall behind
        follow_ups:
          - What happens when the queue fills up?
        hints:
          - Think about load spikes.
      - id: retry-basics
        prompt: How should a client retry a failed request?
        minutes: 2
        topics: [reliability]
        rubric:
          - Exponential backoff with jitter
          - Idempotency keys
        follow_ups:
          - How do you stop retries from overloading a struggling server?
  behavioral:
    title: Behavioral
    minutes: 3
    questions:
      - id: conflict
        prompt: Tell me about a disagreement with a teammate.
        minutes: 1
        rubric:
          - Situation stated briefly
          - Outcome and what they learned
"""


@pytest.fixture(autouse=True)
def drill_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test writes its database and config under its own tmp_path, never the real home."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("DRILL_HOME", str(home))
    for name in _LEAKY:
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture(scope="session")
def drill_exe() -> str:
    """The installed `drill` script of this interpreter's environment."""
    path = Path(sys.executable).with_name("drill")
    if not path.exists():
        pytest.fail(f"`drill` is not installed next to {sys.executable} — run: pip install -e .")
    return str(path)


@pytest.fixture
def drill_env(drill_home: Path) -> dict[str, str]:
    """Environment for a `drill` subprocess (DRILL_HOME from drill_home, plain output)."""
    env = dict(os.environ)
    # pytest-xdist workers may carry COLUMNS/LINES; rich trusts them over the real terminal size.
    for name in ("COLUMNS", "LINES"):
        env.pop(name, None)
    env["NO_COLOR"] = "1"
    env.setdefault("TERM", "xterm-256color")
    env["PYTHONUNBUFFERED"] = "1"
    return env


@pytest.fixture
def tiny_bank(tmp_path: Path) -> Path:
    """A folder with one small bank; `drill acme backend --banks <it>` finds it."""
    folder = tmp_path / "banks"
    (folder / "acme").mkdir(parents=True)
    (folder / "acme" / "backend.yaml").write_text(TINY_BANK, encoding="utf-8")
    return folder


@pytest.fixture
def tmux(request, drill_env):
    terminal_helpers.tmux_available()
    sessions: list = []

    def start(cols: int, rows: int, command: list[str], env: dict | None = None) -> terminal_helpers.Tmux:
        t = terminal_helpers.Tmux(f"t{len(sessions)}", cols, rows, command, env or drill_env)
        sessions.append(t)
        return t

    yield start
    for t in sessions:
        t.close()


