"""The interviewer of a system-design round in a real terminal: the phase clock in the toolbar,
the nudge at a phase's end, /next, /ask answered from the facts, a follow-up that stays inside the
round's budget, and resume continuing the time that was left. tmux where the toolbar matters,
pexpect elsewhere; every test checks the screen and the rows in SQLite."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from terminal_helpers import (
    ESC_ENTER,
    READY,
    answers,
    db,
    finish,
    session_row,
    spawn,
)

pytestmark = pytest.mark.slow

PHASED_BANK = """\
company: Streamly
role: Backend Engineer
aliases: [backend]
about: Streamly streams video. The design round runs in phases with a clock per phase.
rounds:
  design:
    title: System design
    minutes: {round_minutes}
    phases:
      - id: requirements
        title: Requirements
        minutes: {first}
        prompt: What do you need to know first?
        probes:
          - Which requirement would you drop first?
      - id: api-and-data
        title: API and data
        minutes: {second}
      - id: high-level-design
        title: High-level design
        minutes: {third}
        prompt: Sketch the components and how a request flows.
    questions:
      - id: video-delivery
        prompt: Design the system that delivers video to members at the evening peak.
        minutes: {question_minutes}
        rubric:
          - Estimates peak traffic from concurrent streams and bitrate
          - Caches content close to members
        follow_ups:
          - How would you fill the caches before a launch?
        facts:
          - topic:
              - How many members are there?
              - How many stream at peak?
            answer: About 250 million members; 15% are streaming at the evening peak.
          - topic: What is the budget?
            answer: Transit bandwidth is the big cost; keep most bytes inside ISP networks.
"""


def phased_bank(tmp_path: Path, *, round_minutes: float = 1, question_minutes: float = 0.2,
                phases: tuple[float, float, float] = (0.05, 0.05, 0.1)) -> Path:
    folder = tmp_path / "phased"
    folder.mkdir(exist_ok=True)
    first, second, third = phases
    (folder / "streamly.yaml").write_text(PHASED_BANK.format(
        round_minutes=round_minutes, question_minutes=question_minutes, first=first, second=second, third=third))
    return folder


def design(bank: Path, *extra: str) -> list[str]:
    return ["streamly", "backend", "--banks", str(bank), "--round", "design", *extra]


def phase_rows(home: Path, session_id: str) -> list[dict]:
    return [dict(r) for r in db(home).execute(
        "SELECT phase, budget_seconds, started_seconds, used_seconds, text FROM answer_phases"
        " WHERE session_id = ? ORDER BY ordinal", (session_id,))]


def test_phase_indicator_changes_nudges_once_and_next_advances(tmux, drill_exe, drill_home, tmp_path):
    # 3 s of requirements, 3 s of API and data, 12 s of high-level design
    bank = phased_bank(tmp_path, question_minutes=0.3, phases=(0.05, 0.05, 0.2))
    pane = tmux(120, 40, [drill_exe, *design(bank, "--no-follow-ups")])
    screen = pane.wait_for("Requirements · ")
    assert re.search(r"^ Requirements · 0:0[23] left in phase · 0:1[78] in total · Esc Enter: submit", screen,
                     re.MULTILINE), screen
    assert "/ask QUESTION /next" in screen
    pane.keys("-l", "Peak: 37M streams at 5 Mbps")
    screen = pane.wait_for("API and data · ", timeout=8)
    assert re.search(r"^ API and data · 0:0[0-3] left in phase · 0:\d\d in total", screen, re.MULTILINE), screen
    assert screen.count("let's move on to the API and data.") == 1
    pane.keys("Enter")
    pane.keys("-l", "GET /play/{title}")
    pane.keys("Enter")
    pane.keys("-l", "/next")
    pane.keys("Enter")
    pane.wait_for("High-level design. Sketch the components and how a request flows.")
    screen = pane.wait_for("High-level design · ")
    assert re.search(r"^ High-level design · 0:\d\d left in phase · 0:\d\d in total", screen, re.MULTILINE), screen
    pane.keys("-l", "Caches inside ISPs")
    time.sleep(1.5)
    screen = pane.screen()
    assert screen.count("let's move on to the API and data.") == 1  # said once, never again
    assert "let's move on to the high-level design" not in screen  # /next came first: no nudge for it
    pane.keys("Escape", "Enter")
    pane.wait_for("Time use")
    session = session_row(drill_home)
    (main,) = answers(drill_home, session["id"])
    assert main["answer"] == "Peak: 37M streams at 5 Mbps\nGET /play/{title}\nCaches inside ISPs"
    rows = phase_rows(drill_home, session["id"])
    assert [(r["phase"], r["budget_seconds"], r["text"]) for r in rows] == [
        ("requirements", 3.0, "Peak: 37M streams at 5 Mbps"),
        ("api-and-data", 3.0, "GET /play/{title}"),
        ("high-level-design", 12.0, "Caches inside ISPs")]
    assert rows[0]["started_seconds"] == 0.0
    assert 2.9 <= rows[1]["started_seconds"] <= 3.5  # the phase clock moved on at the end of its budget
    assert rows[1]["started_seconds"] < rows[2]["started_seconds"] < 6.0  # /next before API and data ran out


def test_ask_answers_from_the_facts_and_falls_back_for_an_unknown_question(drill_exe, drill_env, drill_home,
                                                                            tmp_path):
    bank = phased_bank(tmp_path, round_minutes=5, question_minutes=2, phases=(1, 0.5, 0.5))
    child = spawn(drill_exe, design(bank, "--no-follow-ups"), drill_env, timeout=30)
    child.expect_exact("Requirements. What do you need to know first?")
    child.expect_exact(READY)
    child.send("/ask How many subscribers stream at once?\r")
    child.expect_exact("You asked: How many subscribers stream at once?")
    child.expect_exact("Interviewer: About 250 million members; 15% are streaming at the evening peak.")
    child.expect_exact(READY)
    child.send("/ask Which font does the player use?\r")
    child.expect_exact("Interviewer: Good question; make an assumption and state it.")
    child.expect_exact(READY)
    child.send("Cache close to members" + ESC_ENTER)
    out = finish(child)
    assert "Clarifying questions (2)" in out
    session = session_row(drill_home)
    rows = [dict(r) for r in db(drill_home).execute(
        "SELECT phase, question, reply, source FROM asks WHERE session_id = ? ORDER BY id", (session["id"],))]
    assert rows == [
        {"phase": "requirements", "question": "How many subscribers stream at once?",
         "reply": "About 250 million members; 15% are streaming at the evening peak.", "source": "fact"},
        {"phase": "requirements", "question": "Which font does the player use?",
         "reply": "Good question; make an assumption and state it.", "source": "fallback"},
    ]
    (main,) = answers(drill_home, session["id"])
    assert main["answer"] == "Cache close to members"  # the /ask lines are not part of the answer


def test_a_follow_up_takes_its_time_from_what_is_left_of_the_round(drill_exe, drill_env, drill_home, tmp_path):
    # 6 s for the question inside a 63-second round: after a timed-out answer 57 s are left, less
    # than the minute a follow-up needs, so none is asked and the round stays inside its budget.
    bank = phased_bank(tmp_path, round_minutes=1.05, question_minutes=0.1, phases=(0.05, 0.025, 0.025))
    child = spawn(drill_exe, design(bank), drill_env, timeout=30)
    child.expect_exact("We have 1 min 3 s in all: a follow-up after each answer takes its time from what is left")
    child.expect_exact(READY)
    child.send("Cache close to members")
    child.expect_exact("Time's up — I've taken what you wrote.", timeout=15)
    child.expect_exact("(no time left in the round for a follow-up)")
    finish(child)
    session = session_row(drill_home)
    rows = answers(drill_home, session["id"])
    assert [(r["kind"], r["auto_submitted"], r["seconds"]) for r in rows] == [("main", 1, 6.0)]

    # With 90 s for the round, a quick answer leaves time: the follow-up gets its minute, no more.
    bank = phased_bank(tmp_path, round_minutes=1.5, question_minutes=0.1, phases=(0.05, 0.025, 0.025))
    child = spawn(drill_exe, design(bank), drill_env, timeout=30)
    child.expect_exact(READY)
    child.send("Cache close to members" + ESC_ENTER)
    child.expect_exact("Follow-up to question 1")
    child.expect_exact("Time: 1 minute")
    child.expect_exact(READY)
    child.send("Pre-fill overnight" + ESC_ENTER)
    finish(child)
    session = session_row(drill_home)
    rows = answers(drill_home, session["id"])
    assert [r["kind"] for r in rows] == ["main", "follow_up"]
    assert sum(r["seconds"] for r in rows) <= 90


def test_resume_continues_with_the_time_that_was_left(tmux, drill_exe, drill_env, drill_home, tmp_path):
    bank = phased_bank(tmp_path, round_minutes=3, question_minutes=1, phases=(0.5, 0.25, 0.25))
    pane = tmux(120, 40, [drill_exe, *design(bank, "--no-follow-ups")])
    pane.wait_for("Requirements · ")
    pane.keys("-l", "first thoughts")
    time.sleep(6)
    pane.keys("C-c")
    pane.wait_for("Quit now?")
    pane.keys("y")
    screen = pane.wait_for("Pick up where you left off with: drill resume")
    session_id = re.search(r"drill resume ([0-9a-f]+)", screen).group(1)
    saved = json.loads(db(drill_home).execute(
        "SELECT text FROM drafts WHERE session_id = ? AND kind = 'clock:main'", (session_id,)).fetchone()[0])
    assert 5.5 <= saved["elapsed"] <= 8
    pane = tmux(120, 40, [drill_exe, "resume", session_id, "--banks", str(bank)])
    screen = pane.wait_for("Requirements · ")
    left = 60 - saved["elapsed"]
    said = re.search(r"You have (\d+) seconds left on it\.", " ".join(screen.split()))
    assert said and abs(int(said.group(1)) - left) <= 1, screen
    match = re.search(r"^ Requirements · 0:(\d\d) left in phase · 0:(\d\d) in total", screen, re.MULTILINE)
    assert match, screen
    assert int(match.group(2)) <= round(left) + 1 and int(match.group(2)) >= round(left) - 2  # not a fresh 1:00
    assert int(match.group(1)) <= 30 - 5  # the phase clock continued too
    assert "first thoughts" in screen
    pane.keys("Escape", "Enter")
    pane.wait_for("Time use")
    (main,) = answers(drill_home, session_id)
    assert main["answer"] == "first thoughts"
    assert main["seconds"] >= saved["elapsed"]


def test_company_about_in_full_the_first_time_then_one_line_and_again_with_about(drill_exe, drill_env, drill_home,
                                                                                   tmp_path):
    bank = phased_bank(tmp_path, round_minutes=5, question_minutes=2, phases=(1, 0.5, 0.5))
    full = "Streamly streams video. The design round runs in phases with a clock per phase."
    shown = []
    for extra in ((), (), ("--about",)):
        child = spawn(drill_exe, design(bank, "--no-follow-ups", *extra), drill_env, timeout=30)
        child.expect_exact("Question 1 of 1")
        opening = child.before
        child.expect_exact(READY)
        child.send("/skip\r")
        finish(child)
        shown.append(" ".join(opening.replace("│", " ").split()))
    assert full in shown[0]
    assert "Streamly streams video. (--about shows all of it)" in shown[1] and full not in shown[1]
    assert full in shown[2]
    assert len(db(drill_home).execute("SELECT id FROM sessions").fetchall()) == 3


def test_with_a_model_the_interviewer_answers_from_the_facts_without_designing(drill_exe, drill_env, drill_home,
                                                                                tmp_path):
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from fake_llm_server import FakeLLMServer

    bank = phased_bank(tmp_path, round_minutes=5, question_minutes=2, phases=(1, 0.5, 0.5))
    reply = "Roughly 37 million streams at the evening peak; size for that."
    with FakeLLMServer(mode="ok", follow_up_text=reply) as server:
        env = dict(drill_env, DRILL_MODEL="openai/test-model", DRILL_API_BASE=server.base_url,
                   OPENAI_API_KEY="sk-test-not-a-key")
        child = spawn(drill_exe, design(bank, "--no-follow-ups", "--persona", "tough"), env, timeout=60)
        child.expect_exact(READY)
        child.send("/ask How many streams at peak?\r")
        child.expect_exact(f"Interviewer: {reply}")
        child.expect_exact(READY)
        child.send("Cache close to members" + ESC_ENTER)
        finish(child)
        (asked,) = [r for r in server.requests if "interviewer_notes" in r.text]
    assert "About 250 million members; 15% are streaming at the evening peak." in asked.text
    assert "Never design the system for the candidate" in asked.text
    assert "Be demanding and terse" in asked.text  # --persona tough reaches the system prompt
    row = db(drill_home).execute("SELECT question, reply, source FROM asks").fetchone()
    assert tuple(row) == ("How many streams at peak?", reply, "openai/test-model")
