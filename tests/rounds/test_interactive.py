"""The interactive round in a real pseudo-terminal: pexpect drives the installed `drill`,
tmux when the drawn screen (the bottom toolbar) matters. Every test checks the text on
screen and the rows in SQLite.

prompt-toolkit draws its bottom toolbar only once the terminal answers its cursor
position request; pexpect does not, so the pexpect tests set PROMPT_TOOLKIT_NO_CPR=1
and leave the toolbar to the tmux tests.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pexpect
import pytest
from terminal_helpers import (  # noqa: F401
    ANSI,
    ESC_ENTER,
    READY,
    Tmux,
    answers,
    bank_question,
    db,
    finish,
    plan,
    round_args,
    session_row,
    spawn,
    tmux_available,
    wait_for,
)


def test_esc_enter_submits_and_the_answer_is_committed(drill_exe, drill_env, drill_home, tiny_bank):
    child = spawn(drill_exe, round_args(tiny_bank, "--count", "1", "--seed", "1", "--no-follow-ups",
                                        "--minutes", "1"), drill_env)
    child.expect_exact("Acme · Backend Engineer")
    child.expect_exact("Acme sells anvils online.")
    child.expect_exact("Round: System design")
    child.expect_exact("I have 1 question for you, with 1 minute for it.")
    child.expect_exact("Question 1 of 1")
    child.expect_exact("Time: 1 minute")
    child.expect_exact(READY)
    child.send("Invalidation on writes\r")
    child.send("and a TTL" + ESC_ENTER)
    child.expect_exact("That's all the questions I have.")
    out = finish(child)
    assert "Saved as session" in out
    session = session_row(drill_home)
    rows = answers(drill_home, session["id"])
    assert [(r["kind"], r["answer"], r["auto_submitted"], r["skipped"]) for r in rows] == [
        ("main", "Invalidation on writes\nand a TTL", 0, 0)]
    assert session["status"] == "scored"
    assert json.loads(session["options"])["follow_ups"] is False


def test_auto_submit_at_the_deadline_keeps_the_typed_text(drill_exe, drill_env, drill_home, tiny_bank):
    child = spawn(drill_exe, round_args(tiny_bank, "--count", "1", "--no-follow-ups", "--minutes", "0.05"),
                  drill_env)
    child.expect_exact("Time: 3 seconds")
    child.expect_exact(READY)
    started = time.monotonic()
    child.send("typed before the deadline\rsecond line")
    child.expect_exact("Time's up — I've taken what you wrote.", timeout=10)
    assert time.monotonic() - started < 4.5
    finish(child)
    session = session_row(drill_home)
    (row,) = answers(drill_home, session["id"])
    assert row["answer"] == "typed before the deadline\nsecond line"
    assert row["auto_submitted"] == 1
    assert row["seconds"] == pytest.approx(3.0)


def test_hint_repeat_and_skip(drill_exe, drill_env, drill_home, tiny_bank):
    child = spawn(drill_exe, round_args(tiny_bank, "--count", "2", "--seed", "5", "--no-follow-ups",
                                        "--minutes", "1"), drill_env)
    child.expect_exact("Question 1 of 2")
    child.expect_exact(READY)
    first = bank_question(tiny_bank, plan(drill_home)[0])
    child.send("initial idea\r/hint\r")
    if first.hints:
        child.expect_exact(f"Hint (1 of {len(first.hints)}): " if len(first.hints) > 1 else "Hint: ")
        child.expect_exact(first.hints[0][:30])
    else:
        child.expect_exact("I don't have a hint for this one")
    child.expect_exact(READY)
    child.send("/repeat\r")
    child.expect_exact("Question 1 of 2")
    child.expect_exact(READY)
    child.send("more\r/skip\r")
    child.expect_exact("No problem, let's move on.")
    child.expect_exact("Question 2 of 2")
    child.expect_exact(READY)
    child.send("second answer" + ESC_ENTER)
    finish(child)
    session = session_row(drill_home)
    first_row, second_row = answers(drill_home, session["id"])
    assert first_row["skipped"] == 1
    assert first_row["answer"] == "initial idea\nmore"  # skipping keeps what was typed
    assert json.loads(first_row["hints"]) == first.hints[:1]
    assert (second_row["answer"], second_row["skipped"]) == ("second answer", 0)


def test_hints_run_out_and_say_so_once(drill_exe, drill_env, drill_home, tiny_bank):
    import io

    # --due on an empty history asks the unseen questions in bank order: cache-basics (two hints) first
    child = spawn(drill_exe, ["acme", "backend", "--banks", str(tiny_bank), "--round", "design", "--due",
                              "--count", "1", "--no-follow-ups", "--minutes", "1"], drill_env)
    seen = io.StringIO()
    child.logfile_read = seen
    child.expect_exact(READY)
    for _ in range(4):
        child.send("/hint\r")
        child.expect_exact(READY)
    child.send("/repeat\r")  # something else happens in between: still no second "no more hints"
    child.expect_exact(READY)
    child.send("/hint\r")
    child.expect_exact(READY)
    child.send("done" + ESC_ENTER)
    finish(child)
    shown = ANSI.sub("", seen.getvalue())
    assert shown.count("Hint (1 of 2): Think about what happens when a price changes.") == 1
    assert shown.count("Hint (2 of 2): Consider a time-to-live.") == 1
    assert shown.count("I don't have any more hints for this one") == 1
    (row,) = answers(drill_home, session_row(drill_home)["id"])
    assert json.loads(row["hints"]) == ["Think about what happens when a price changes.", "Consider a time-to-live."]


def test_follow_up_is_asked_timed_and_recorded(drill_exe, drill_env, drill_home, tiny_bank):
    child = spawn(drill_exe, round_args(tiny_bank, "--count", "1", "--seed", "2", "--minutes", "0.5"), drill_env)
    child.expect_exact("After each answer I'll ask one short follow-up.")
    child.expect_exact("Question 1 of 1")
    child.expect_exact(READY)
    question = bank_question(tiny_bank, plan(drill_home)[0])
    child.send("Invalidation on writes" + ESC_ENTER)
    child.expect_exact("Follow-up to question 1")
    child.expect_exact("Time: 30 seconds")  # the same --minutes
    child.expect_exact(READY)
    child.send("I would measure hit ratio" + ESC_ENTER)
    finish(child)
    session = session_row(drill_home)
    main, follow = answers(drill_home, session["id"])
    assert (main["kind"], follow["kind"], follow["position"]) == ("main", "follow_up", 0)
    assert follow["prompt"] in question.follow_ups
    assert follow["answer"] == "I would measure hit ratio"
    # The follow-up is gone from the drafts table once answered.
    assert db(drill_home).execute("SELECT COUNT(*) FROM drafts").fetchone()[0] == 0


def test_ctrl_c_quit_then_resume_finishes_with_the_draft(drill_exe, drill_env, drill_home, tiny_bank):
    child = spawn(drill_exe, round_args(tiny_bank, "--count", "2", "--no-follow-ups", "--minutes", "1"), drill_env)
    child.expect_exact("Question 1 of 2")
    child.expect_exact(READY)
    child.send("answer one" + ESC_ENTER)
    child.expect_exact("Question 2 of 2")
    child.expect_exact(READY)
    child.send("half of two")
    time.sleep(0.2)
    child.send("\x03")
    child.expect_exact("Quit now?")
    child.send("y")
    child.expect(r"Pick up where you left off with: drill resume ([0-9a-f]+)")
    session_id = child.match.group(1)
    finish(child, 130)
    session = session_row(drill_home)
    assert (session["id"], session["status"]) == (session_id, "unfinished")
    assert [r["answer"] for r in answers(drill_home, session_id)] == ["answer one"]
    assert db(drill_home).execute("SELECT text FROM drafts WHERE position = 1 AND kind = 'main'").fetchone()[0] \
        == "half of two"

    child = spawn(drill_exe, ["resume", "--banks", str(tiny_bank)], drill_env)
    child.expect_exact("Welcome back.")
    child.expect_exact("question 2 of 2")
    child.expect_exact("Question 2 of 2")
    child.expect_exact(READY)
    child.send(", finished" + ESC_ENTER)
    child.expect_exact("That's all the questions I have.")
    finish(child)
    rows = answers(drill_home, session_id)
    assert [r["answer"] for r in rows] == ["answer one", "half of two, finished"]
    assert session_row(drill_home)["status"] == "scored"

    result = subprocess.run([drill_exe, "resume", session_id, "--banks", str(tiny_bank)], env=drill_env,
                            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert result.stderr.strip() == (f"error: session {session_id} is already finished and scored — "
                                     f"see it with: drill report {session_id}, or re-score it with: "
                                     f"drill score {session_id}")


def test_kill_9_after_one_answer_loses_nothing(drill_exe, drill_env, drill_home, tiny_bank):
    child = spawn(drill_exe, round_args(tiny_bank, "--count", "2", "--seed", "7", "--no-follow-ups",
                                        "--minutes", "1"), drill_env)
    child.expect_exact("Question 1 of 2")
    child.expect_exact(READY)
    child.send("first answer" + ESC_ENTER)
    child.expect_exact("Question 2 of 2")
    child.expect_exact(READY)
    session_id = session_row(drill_home)["id"]
    # The first answer is committed before the second question is shown.
    assert [r["answer"] for r in answers(drill_home, session_id)] == ["first answer"]
    child.send("draft of two")
    wait_for(lambda: db(drill_home).execute("SELECT text FROM drafts WHERE position = 1").fetchone())
    os.kill(child.pid, signal.SIGKILL)
    child.expect(pexpect.EOF)
    child.close()
    assert child.signalstatus == signal.SIGKILL
    assert session_row(drill_home)["status"] == "in_progress"

    child = spawn(drill_exe, ["resume", session_id, "--banks", str(tiny_bank)], drill_env)
    child.expect_exact("question 2 of 2")
    child.expect_exact(READY)
    child.send(ESC_ENTER)
    finish(child)
    rows = answers(drill_home, session_id)
    assert [(r["position"], r["answer"]) for r in rows] == [(0, "first answer"), (1, "draft of two")]
    assert session_row(drill_home)["status"] == "scored"


def test_no_credential_from_api_base_is_stored_or_exported(drill_exe, drill_env, drill_home, tiny_bank):
    secret = "sk-proj-SECRETabc123xyz"
    env = dict(drill_env, DRILL_LLM_RETRY_SECONDS="1")
    with socket.create_server(("127.0.0.1", 0)) as listener:  # the preflight finds a server listening
        port = listener.getsockname()[1]
        child = spawn(drill_exe, round_args(tiny_bank, "--count", "1", "--no-follow-ups", "--minutes", "1",
                                            "--model", "openai/x", "--api-base",
                                            f"http://bob:{secret}@127.0.0.1:{port}/v1"),
                      env)
        child.expect_exact("Question 1 of 1")
        child.expect_exact(READY)
        child.send("a draft\r/quit\r")
        child.expect_exact("Pick up where you left off with: drill resume")
        finish(child, 130)
    session = session_row(drill_home)
    assert session["status"] == "unfinished"
    saved = json.loads(session["options"])
    assert (saved["model"], saved["api_base"]) == ("openai/x", f"http://127.0.0.1:{port}/v1")
    leaked = [path for path in drill_home.rglob("*") if path.is_file() and secret.encode() in path.read_bytes()]
    assert not leaked
    exported = subprocess.run([drill_exe, "export"], env=drill_env, stdin=subprocess.DEVNULL, capture_output=True,
                              text=True, timeout=60)
    assert exported.returncode == 0, exported.stderr
    assert session["id"] in exported.stdout and secret not in exported.stdout


# ---- without a terminal ------------------------------------------------------------------


def test_no_tty_is_one_line_usage_error_and_never_hangs(drill_exe, drill_env, tiny_bank):
    result = subprocess.run([drill_exe, *round_args(tiny_bank)], env=drill_env, stdin=subprocess.DEVNULL,
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("error: no terminal to ask questions in — pass --answers FILE")


def test_no_tty_with_answers_file_runs(drill_exe, drill_env, drill_home, tiny_bank, tmp_path):
    answers_file = tmp_path / "answers.yaml"
    answers_file.write_text("cache-basics: Invalidation on writes and a TTL\n")
    result = subprocess.run([drill_exe, *round_args(tiny_bank, "--answers", str(answers_file))], env=drill_env,
                            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    session = session_row(drill_home)
    assert session["status"] == "scored"
    assert [r["answer"] for r in answers(drill_home, session["id"])] == ["Invalidation on writes and a TTL"]


def test_resume_without_tty_or_with_nothing_to_resume(drill_exe, drill_env, drill_home, tiny_bank):
    run = lambda *args: subprocess.run([drill_exe, "resume", *args, "--banks", str(tiny_bank)], env=drill_env,  # noqa: E731
                                       stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30)
    nothing = run()
    assert (nothing.returncode, nothing.stderr) == (
        2, "error: no sessions yet, so nothing to resume — start one with: drill netflix backend "
           "(see: drill banks list)\n")
    from interview_cli.history.db import Store

    with Store(drill_home / "drill.db") as store:
        done = store.create_session(company="Acme", role="Backend Engineer", company_slug="acme",
                                    role_slug="backend-engineer", round_id="design", round_title="System design",
                                    bank_path=None, plan=["cache-basics"], options={"follow_ups": False})
        store.set_status(done, "scored", finished=True)
    finished = run()
    assert (finished.returncode, finished.stderr) == (
        2, "error: nothing to resume — every session is finished; start a round with: drill COMPANY ROLE\n")

    with Store(drill_home / "drill.db") as store:
        sid = store.create_session(company="Acme", role="Backend Engineer", company_slug="acme",
                                   role_slug="backend-engineer", round_id="design", round_title="System design",
                                   bank_path=None, plan=["cache-basics"], options={"follow_ups": False})
    no_tty = run()
    assert no_tty.returncode == 2
    assert no_tty.stderr.startswith("error: drill resume needs a terminal")
    assert sid in no_tty.stderr and no_tty.stderr.count("\n") == 1
    missing = run("ffffffff")
    assert (missing.returncode, missing.stderr) == (
        2, "error: no session 'ffffffff' — list sessions with: drill history\n")


# ---- narrow terminals and the drawn toolbar ----------------------------------------------------


def test_sixty_columns_wraps_everything(drill_exe, drill_env, drill_home, tiny_bank):
    child = spawn(drill_exe, round_args(tiny_bank, "--count", "3", "--seed", "4", "--no-follow-ups", "--minutes", "1"),
                  drill_env, rows=30, cols=60)
    child.expect_exact(READY)
    shown = ANSI.sub("", child.before).replace("\r", "")
    lines = shown.split("\n")
    too_wide = [line for line in lines if len(line) > 60]
    assert not too_wide, too_wide
    first = bank_question(tiny_bank, plan(drill_home)[0])
    # The question's words all appear, in order, inside the panel.
    panel = " ".join(line.strip("│ ") for line in lines if line.startswith("│"))
    assert " ".join(first.prompt.split()) in " ".join(panel.split())
    assert any(line.startswith("╭─ Question 1 of 3") for line in lines)
    child.kill(signal.SIGKILL)
    child.close()


def test_toolbar_counts_down_and_warns_at_sixty_columns(tmux, drill_exe, drill_home, tiny_bank):
    pane = tmux(60, 24, [drill_exe, *round_args(tiny_bank, "--count", "1", "--no-follow-ups", "--minutes", "0.1")])
    screen = pane.wait_for(" left · Esc Enter: submit")
    assert re.search(r"^ 0:0[456] left · Esc Enter: submit", screen, re.MULTILINE), screen
    assert "/hint /skip /repeat /quit" in screen
    assert "…" not in screen  # nothing cut off at 60 columns
    pane.keys("-l", "tmux typed this")
    screen = pane.wait_for("a quarter of your time is left", timeout=8)
    assert re.search(r"^ 0:0[12] left — a quarter of your time is left", screen, re.MULTILINE), screen
    screen = pane.wait_for("Time's up — I've taken what you wrote.", timeout=8)
    session = session_row(drill_home)
    (row,) = answers(drill_home, session["id"])
    assert (row["answer"], row["auto_submitted"]) == ("tmux typed this", 1)


def test_round_picker_takes_number_id_or_prefix_and_starts_each_try_empty(tmux, drill_exe, drill_home, tiny_bank):
    pane = tmux(80, 24, [drill_exe, "acme", "backend", "--banks", str(tiny_bank), "--count", "1", "--no-follow-ups"])

    def shown() -> list[str]:
        return [line.rstrip() for line in pane.screen().splitlines() if line.strip()]

    def answer(text: str, tries: int) -> list[str]:
        """Type once the prompt is live and empty (the tries-th time it is asked)."""
        wait_for(lambda: shown()[-1:] == ["Round [1-2]:"] and sum(x.startswith("Round [") for x in shown()) == tries)
        pane.keys("-l", text)
        pane.keys("Enter")
        return shown()

    answer("system", 1)
    answer("9", 2)
    wait_for(lambda: shown()[-1:] == ["Round [1-2]:"] and "no round '9'" in " ".join(shown()))
    assert shown()[-5:] == [
        "Round [1-2]: system",
        "  no round 'system' — type 1 to 2, a round id or its start",
        "Round [1-2]: 9",
        "  no round '9' — type 1 to 2, a round id or its start",
        "Round [1-2]:",
    ]
    answer("beh", 3)
    pane.wait_for("Question 1 of 1")
    assert session_row(drill_home)["round"] == "behavioral"


def test_round_picker_choices():
    from interview_cli.ui.round_picker import pick_round

    ids = ["recruiter-screen", "system-design", "coding", "security"]
    assert [pick_round(text, ids) for text in ("2", " Coding ", "sys", "SYSTEM-DESIGN", "0", "5", "s", "", "x")] == [
        "system-design", "coding", "system-design", "system-design", None, None, None, None, None]


def test_external_editor_pauses_the_clock(tmux, drill_exe, drill_env, drill_home, tiny_bank, tmp_path):
    script = tmp_path / "slow-editor"
    script.write_text('#!/bin/sh\nsleep 4\nprintf "%s\\n" "written in the editor" >> "$1"\n')
    script.chmod(0o755)
    env = dict(drill_env, EDITOR=str(script))
    pane = tmux(100, 30, [drill_exe, *round_args(tiny_bank, "--count", "1", "--no-follow-ups", "--minutes", "0.05")],
                env)
    pane.wait_for(" left · Esc Enter: submit")
    pane.keys("-l", "typed first ")
    pane.keys("C-x", "C-e")
    time.sleep(4.5)  # longer than the 3-second limit: only a paused clock survives this
    pane.wait_for("written in the editor")
    pane.keys("Escape", "Enter")
    pane.wait_for("That's all the questions I have.")
    session = session_row(drill_home)
    (row,) = answers(drill_home, session["id"])
    assert row["answer"] == "typed first written in the editor"  # the file had no newline
    assert row["auto_submitted"] == 0


def test_follow_up_written_by_a_model_and_its_fallback(drill_exe, drill_env, drill_home, tiny_bank):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from fake_llm_server import FakeLLMServer

    with FakeLLMServer(mode="ok", follow_up_text="What would you do if the cache cluster lost a node?") as server:
        env = dict(drill_env, DRILL_MODEL="openai/test-model", DRILL_API_BASE=server.base_url,
                   OPENAI_API_KEY="sk-test-not-a-key")
        child = spawn(drill_exe, round_args(tiny_bank, "--count", "1", "--seed", "2", "--minutes", "0.5"), env,
                      timeout=60)
        child.expect_exact("Question 1 of 1")
        child.expect_exact(READY)
        child.send("Invalidation on writes" + ESC_ENTER)
        child.expect_exact("Follow-up to question 1")
        child.expect_exact("What would you do if the cache cluster lost a node?")
        child.expect_exact(READY)
        child.send("Rehash to the remaining nodes" + ESC_ENTER)
        finish(child)
        assert any("Rehash to the remaining nodes" in r.text for r in server.requests)  # scored by the model
    session = session_row(drill_home)
    main, follow = answers(drill_home, session["id"])
    assert (follow["prompt"], follow["answer"]) == ("What would you do if the cache cluster lost a node?",
                                                    "Rehash to the remaining nodes")
    assert session["scorer"] == "openai/test-model"
