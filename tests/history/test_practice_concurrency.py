"""Four real `drill` processes writing to one DRILL_HOME at once: no lost rows, never "database is locked"."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

import pytest
from practice_helpers import DRILL, FAKE_DRILL, STRONG, T0, Env, add_scored_session

pytestmark = pytest.mark.slow


def start(env: Env, argv: list[str]) -> subprocess.Popen:
    return subprocess.Popen(argv, env=env.vars, cwd=env.root, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def finish(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        assert "locked" not in err and "busy" not in err, err


def test_four_concurrent_runs_lose_nothing(tmp_path):
    env = Env(tmp_path)
    files = [env.answers_file({qid: STRONG[qid] for qid in ("lru-cache", "rate-limiter", "top-k")}, f"a{i}.yaml")
             for i in range(4)]
    for _ in range(3):  # three waves of four processes started together
        finish([start(env, [sys.executable, "-c", FAKE_DRILL, "acme", "backend", "--answers", str(path), "--json"])
                for path in files])
    assert env.rows("SELECT COUNT(*), COUNT(DISTINCT id) FROM sessions WHERE status = 'scored'") == [(12, 12)]
    assert env.rows("SELECT COUNT(*) FROM answers") == [(36,)]
    assert env.rows("SELECT COUNT(*) FROM scores") == [(36,)]
    assert env.rows("SELECT COUNT(*) FROM reviews") == [(36,)]
    assert env.rows("SELECT question_id, reviews FROM cards ORDER BY question_id") == [
        ("lru-cache", 12), ("rate-limiter", 12), ("top-k", 12)]


def test_four_concurrent_imports(tmp_path):
    exports = []
    for index in range(4):
        source = Env(tmp_path / f"src{index}")
        bank = source.bank()
        with source.store() as store:
            for n in range(40):
                add_scored_session(store, bank, {"lru-cache": (n + index) % 11, "news-feed": (3 * n) % 11},
                                   T0 + timedelta(days=n, hours=index))
        path = tmp_path / f"export{index}.jsonl"
        done = source.run("export", "-o", str(path))
        assert done.returncode == 0, done.stderr
        exports.append(path)

    target = Env(tmp_path / "target")
    finish([start(target, [DRILL, "import", str(path), "--quiet"]) for path in exports])
    assert target.rows("SELECT COUNT(*) FROM sessions") == [(160,)]
    assert target.rows("SELECT COUNT(*) FROM answers") == [(320,)]
    assert target.rows("SELECT COUNT(*) FROM reviews") == [(320,)]
    # every card replays all 160 reviews of its question, whatever order the imports committed in
    assert target.rows("SELECT question_id, reviews FROM cards ORDER BY question_id") == [
        ("lru-cache", 160), ("news-feed", 160)]

    # the same file imported by four processes at once still lands once
    again = Env(tmp_path / "again")
    finish([start(again, [DRILL, "import", str(exports[0]), "--quiet"]) for _ in range(4)])
    assert again.rows("SELECT COUNT(*) FROM sessions") == [(40,)]
    assert again.rows("SELECT COUNT(*) FROM answers") == [(80,)]
