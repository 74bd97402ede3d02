"""A full disk and a read-only home, for real: small tmpfs mounts (root only; skipped with the reason otherwise).

The injected-ENOSPC unit tests (tests/test_atomic_files.py, tests/test_reliability.py) run everywhere.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import subprocess
from pathlib import Path

import pexpect
import pytest
from practice_helpers import DRILL, STRONG, Env

pytestmark = pytest.mark.slow

ESC_ENTER = "\x1b\r"
READY = "\x1b[?2004h"  # prompt-toolkit turns on bracketed paste once the editor is live


def _mount(folder: Path, size: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip() or 'mount failed'}); the full-disk "
                    "behaviour is covered by the injected-ENOSPC tests")


@pytest.fixture
def mounts():
    """mount(folder, size) mounts a tmpfs there, unmounted (in reverse order) after the test."""
    mounted: list[Path] = []

    def mount(folder: Path, size: str = "4m") -> Path:
        _mount(folder, size)
        mounted.append(folder)
        return folder

    yield mount
    for folder in reversed(mounted):
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def fill(folder: Path) -> Path:
    """Write a filler file until the disk is full; returns it (delete it to free the space)."""
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as out:
        for chunk in (65536, 4096, 1):
            try:
                while True:
                    out.write(b"\1" * chunk)
            except OSError:
                pass
    return filler


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def remount_read_only(folder: Path) -> None:
    done = subprocess.run(["mount", "-o", "remount,ro", str(folder)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot remount a tmpfs read-only here: {done.stderr.strip()}")


def test_export_report_and_banks_new_on_a_full_disk_leave_old_files_whole(tmp_path, mounts):
    env = Env(tmp_path)
    disk = mounts(tmp_path / "disk", "2m")
    env.vars["DRILL_HOME"] = str(disk / "home")
    env.home = disk / "home"
    for _ in range(3):
        env.drill_round({"lru-cache": STRONG["lru-cache"]})
    backup = disk / "backup.jsonl"
    assert env.run("export", "--output", str(backup)).returncode == 0
    sid = env.rows("SELECT id FROM sessions LIMIT 1")[0][0]
    report = disk / "report.md"
    assert env.run("report", sid, "--output", str(report)).returncode == 0
    env.drill_round({"top-k": STRONG["top-k"]})  # the next export is larger than the old backup
    old_backup, old_report = sha(backup), sha(report)
    filler = fill(disk)

    done = env.run("export", "--output", str(backup))
    assert (done.returncode, done.stderr) == (2, f"error: cannot write {backup}: No space left on device — the file "
                                                 "was left as it was; free some space or choose another path\n")
    assert sha(backup) == old_backup
    done = env.run("report", sid, "--output", str(report), "--format", "html")
    assert done.returncode == 2 and sha(report) == old_report
    done = env.run("banks", "new", "Full Disk", "backend")
    assert done.returncode == 2 and "No space left on device" in done.stderr
    assert not (env.home / "banks" / "full-disk" / "backend.yaml").exists()
    assert sorted(p.name for p in disk.iterdir()) == ["backup.jsonl", "filler", "home", "report.md"]  # no temp files
    for args in (("history", "--json"), ("stats", "--json"), ("report", sid)):  # reading commands still work
        assert env.run(*args).returncode == 0, args

    filler.unlink()
    assert env.run("export", "--output", str(backup)).returncode == 0
    assert env.run("import", str(backup)).returncode == 0  # the new backup is whole
    assert env.run("banks", "new", "Full Disk", "backend").returncode == 0  # the failed try blocked nothing


def test_a_full_disk_mid_round_keeps_the_answer_and_resume_brings_it_back(tmp_path, mounts):
    env = Env(tmp_path)
    disk = mounts(tmp_path / "disk", "2m")
    home = disk / "home"
    home.mkdir()
    mounts(home / "recovered", "256k")  # the recovery folder has room; the history's disk does not
    vars_ = {**env.vars, "DRILL_HOME": str(home), "PROMPT_TOOLKIT_NO_CPR": "1", "COLUMNS": "200", "LINES": "40"}
    args = ["acme", "backend", "--round", "coding", "--count", "1", "--seed", "1", "--no-follow-ups", "--minutes", "2"]
    child = pexpect.spawn(DRILL, args, env=vars_, dimensions=(40, 200), encoding="utf-8", timeout=30)
    child.expect_exact(READY)
    filler = fill(disk)
    child.send("Invalidate on writes\rand a TTL")
    child.send(ESC_ENTER)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1, child.before[-2000:]
    screen = " ".join(child.before.split())
    match = re.search(r"error: cannot save your answer: the disk is full — it is kept in (\S+); free some space, "
                      r"then run: drill resume ([0-9a-f]{8})", screen)
    assert match, screen[-800:]
    kept, sid = Path(match[1]), match[2]
    assert kept == home / "recovered" / f"{sid}-0-main.txt"
    assert kept.read_text(encoding="utf-8") == "Invalidate on writes\nand a TTL"

    filler.unlink()
    db = sqlite3.connect(home / "drill.db")
    assert db.execute("SELECT COUNT(*) FROM answers").fetchone() == (0,)
    db.close()
    child = pexpect.spawn(DRILL, ["resume", sid], env=vars_, dimensions=(40, 200),
                          encoding="utf-8", timeout=30)
    child.expect_exact("Recovered your unsaved answer to question 1 from")
    child.expect_exact(READY)
    child.send(" (resumed)" + ESC_ENTER)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before[-2000:]
    db = sqlite3.connect(home / "drill.db")
    assert db.execute("SELECT answer FROM answers").fetchall() == [("Invalidate on writes\nand a TTL (resumed)",)]
    assert db.execute("SELECT status FROM sessions").fetchall() == [("scored",)]
    assert not kept.exists()


def test_a_read_only_home_reads_and_says_honestly_what_it_cannot_do(tmp_path, mounts, monkeypatch):
    from interview_cli.history import db as history_db
    from interview_cli.history import migrations

    env = Env(tmp_path)
    disk = mounts(tmp_path / "ro", "4m")
    env.vars["DRILL_HOME"] = str(disk / "home")
    env.home = disk / "home"
    env.drill_round({"lru-cache": STRONG["lru-cache"]})
    sid = env.rows("SELECT id FROM sessions")[0][0]
    old = disk / "old" / "drill.db"  # a history one migration behind
    old.parent.mkdir()
    monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:3])
    history_db.Store(old).close()
    monkeypatch.undo()
    remount_read_only(disk)

    for args in (("history", "--json"), ("stats", "--json"), ("report", sid), ("export",), ("plan", "--json")):
        done = env.run(*args)
        assert (done.returncode, done.stderr) == (0, ""), args
    answers = tmp_path / "a.yaml"
    answers.write_text("lru-cache: x\n")
    done = env.run_fake("acme", "backend", "--answers", str(answers))
    assert done.returncode == 1
    assert done.stderr.startswith(f"error: cannot write the history database {env.home / 'drill.db'}: it is "
                                  "read-only"), done.stderr
    assert "corrupt" not in done.stderr and "move the file aside" not in done.stderr
    pending = env.run("history", extra={"DRILL_HOME": str(old.parent)})
    assert (pending.returncode, pending.stderr) == (1, (
        f"error: the history in {old} needs an upgrade for this drill (migration 0004_score_details), but it is "
        f"read-only — make {old.parent} writable and free, or set DRILL_HOME to another folder\n"))
    assert os.listdir(old.parent) == ["drill.db"]


def test_the_answer_box_warns_in_one_line_when_a_draft_cannot_be_saved(tmp_path, mounts):
    from terminal_helpers import Tmux, tmux_available

    tmux_available()
    env = Env(tmp_path)
    disk = mounts(tmp_path / "disk", "2m")
    home = disk / "home"
    args = ["acme", "backend", "--round", "coding", "--count", "1", "--seed", "1", "--no-follow-ups", "--minutes", "2"]
    pane = Tmux("full", 160, 24, [DRILL, *args], {**env.vars, "DRILL_HOME": str(home)})
    try:
        pane.wait_for(" left · Esc Enter: submit")
        fill(disk)
        pane.keys("-l", "typed on a full disk")
        screen = pane.wait_for("draft not saved", timeout=15)
        assert "draft not saved: the disk is full — your text is still here; it is saved when you submit" in screen
        assert "typed on a full disk" in screen  # the text stays in the answer box
    finally:
        pane.close()
