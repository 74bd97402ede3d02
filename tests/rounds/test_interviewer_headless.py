"""Scripted runs of a design round: --answers with clarifying questions and text per phase, through the
installed `drill`, asserting the JSON contract, the stored rows and `drill stats`; and bank v1.1
validation of phases and facts with file:line."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
from pathlib import Path

from test_interviewer import phased_bank

ANSWERS = """\
video-delivery:
  asks:
    - question: How many members stream at peak?
      at: 0.5
    - Which logo colour should I use?
  phases:
    requirements:
      text: 37 million concurrent streams at 5 Mbps is about 185 Tbps at peak.
      minutes: 2.5
    api-and-data: GET /play returns a ranked list of cache URLs.
"""


def drill(drill_exe: str, env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([drill_exe, *args], env=env, capture_output=True, text=True, timeout=120)


def test_answers_file_with_asks_and_phases_reports_time_use(drill_exe, drill_env, drill_home, tmp_path):
    bank = phased_bank(tmp_path, round_minutes=5, question_minutes=4, phases=(1, 1, 2))
    answers = tmp_path / "answers.yaml"
    answers.write_text(ANSWERS)
    run = drill(drill_exe, drill_env, "streamly", "backend", "--banks", str(bank), "--answers", str(answers), "--json")
    assert run.returncode == 0, run.stderr
    (question,) = json.loads(run.stdout)["questions"]
    assert question["answer"] == ("37 million concurrent streams at 5 Mbps is about 185 Tbps at peak.\n\n"
                                  "GET /play returns a ranked list of cache URLs.")
    assert question["asks"] == [
        {"question": "How many members stream at peak?",
         "reply": "About 250 million members; 15% are streaming at the evening peak.", "source": "fact",
         "phase": "requirements", "at_seconds": 30.0},
        {"question": "Which logo colour should I use?", "reply": "Good question; make an assumption and state it.",
         "source": "fallback", "phase": "requirements", "at_seconds": None},
    ]
    assert [(p["id"], p["budget_seconds"], p["used_seconds"], p["reached"], p["overran"]) for p in question["phases"]] == [
        ("requirements", 60.0, 150.0, True, True),
        ("api-and-data", 60.0, 60.0, True, False),
        ("high-level-design", 120.0, None, False, False),
    ]
    assert question["time_use"] == "requirements took 2.5 min of a 1-min budget"
    assert question["time_notes"] == []  # this bank has no deep dive or wrap-up to miss
    db = sqlite3.connect(drill_home / "drill.db")
    assert db.execute("SELECT phase, text FROM answer_phases ORDER BY ordinal").fetchall() == [
        ("requirements", "37 million concurrent streams at 5 Mbps is about 185 Tbps at peak."),
        ("api-and-data", "GET /play returns a ranked list of cache URLs."),
        ("high-level-design", ""),
    ]
    session_id = json.loads(run.stdout)["session_id"]
    notes = drill(drill_exe, drill_env, "report", session_id, "--format", "md").stdout
    assert "**You asked.** How many members stream at peak?" in notes
    assert "**Interviewer.** About 250 million members; 15% are streaming at the evening peak." in notes
    assert "- Requirements: 2.5 min of 1.0 min (over budget)" in notes
    assert "- High-level design: not reached (2.0 min)" in notes
    stats = json.loads(drill(drill_exe, drill_env, "stats", "--json").stdout)
    assert stats["phase_time_use"] == [
        {"phase": "Requirements", "answers": 1, "used_minutes": 2.5, "budget_minutes": 1.0, "not_reached": 0},
        {"phase": "API and data", "answers": 1, "used_minutes": 1.0, "budget_minutes": 1.0, "not_reached": 0},
        {"phase": "High-level design", "answers": 1, "used_minutes": 0.0, "budget_minutes": 2.0, "not_reached": 1},
    ]
    shown = drill(drill_exe, drill_env, "stats")
    assert re.search(r"^  Requirements +2\.5 of 1\.0 min  over budget$", shown.stdout, re.MULTILINE), shown.stdout


def test_asking_about_scale_counts_towards_the_requirements_point(drill_exe, drill_env, tmp_path):
    bank = phased_bank(tmp_path, round_minutes=5, question_minutes=4, phases=(1, 1, 2))
    plain, asked = tmp_path / "plain.yaml", tmp_path / "asked.yaml"
    plain.write_text("video-delivery: Put caches inside ISP networks close to members.\n")
    asked.write_text("video-delivery:\n  asks:\n    - What peak traffic should I estimate from concurrent streams"
                     " and bitrate?\n  answer: Put caches inside ISP networks close to members.\n")
    scores = []
    for answers in (plain, asked):
        run = drill(drill_exe, drill_env, "streamly", "backend", "--banks", str(bank), "--answers", str(answers),
                    "--json")
        assert run.returncode == 0, run.stderr
        (question,) = json.loads(run.stdout)["questions"]
        scores.append(question["covered"])
    assert "Estimates peak traffic from concurrent streams and bitrate" not in scores[0]
    assert "Estimates peak traffic from concurrent streams and bitrate" in scores[1]


def test_an_unknown_phase_in_the_answers_file_is_a_usage_error(drill_exe, drill_env, tmp_path):
    bank = phased_bank(tmp_path)
    answers = tmp_path / "answers.yaml"
    answers.write_text("video-delivery:\n  phases:\n    deep-dive: text\n")
    run = drill(drill_exe, drill_env, "streamly", "backend", "--banks", str(bank), "--answers", str(answers))
    assert run.returncode == 2
    assert run.stderr == (f"error: {answers}: 'video-delivery' has no phase 'deep-dive' — its phases are: "
                          "requirements, api-and-data, high-level-design\n")


def test_phases_and_facts_are_validated_with_file_and_line(drill_exe, drill_env, tmp_path):
    bank = tmp_path / "bad.yaml"
    bank.write_text("""\
company: Bad
role: Backend Engineer
rounds:
  design:
    title: Design
    phases:
      - id: requirements
        title: Requirements
        minuts: 5
    questions:
      - id: q1
        prompt: Design it.
        rubric: [Scale]
        facts:
          - topic: How many users?
          - answr: lots
""")
    run = drill(drill_exe, drill_env, "banks", "validate", str(bank))
    assert run.returncode == 1
    lines = run.stdout.splitlines()
    assert f"{bank}:7: missing required key 'minutes' in phase at rounds.design.phases[0]" in lines
    assert f"{bank}:9: unknown key 'minuts' in phase at rounds.design.phases[0] — did you mean 'minutes'?" in lines
    assert f"{bank}:15: missing required key 'answer' in fact at rounds.design.questions[0].facts[0]" in lines
    assert (f"{bank}:16: unknown key 'answr' in fact at rounds.design.questions[0].facts[1] — "
            "did you mean 'answer'?") in lines


def test_bundled_banks_still_validate(drill_exe, drill_env):
    repo = Path(__file__).resolve().parents[2]
    run = drill(drill_exe, drill_env, "banks", "validate", str(repo / "question_banks"))
    assert run.returncode == 0, run.stdout
