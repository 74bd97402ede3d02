"""Non-interactive rounds through the CLI: answers files, piped stdin, bad input, saved rows."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from html import escape as html_escape
from pathlib import Path

import pytest
from bank_helpers import acme_bank, write_acme_bank

DRILL = str(Path(sys.executable).with_name("drill"))

BANK = acme_bank("""\
      - id: cache-basics
        prompt: How would you add a cache in front of a slow product database?
        minutes: 10
        rubric:
          - point: Invalidates or updates cached entries when the product row is written
            weight: 2
          - Sets a time-to-live so stale entries expire even if an invalidation is lost
        red_flags:
          - Caches product entries forever, with no expiry and no invalidation
      - id: queue-basics
        prompt: When would you put a queue between two services?
        minutes: 10
        rubric:
          - Decouples the producer from the consumer so either can fail or deploy alone
          - Absorbs load spikes and applies backpressure when consumers fall behind
""", """\
  behavioral:
    title: Behavioral
    questions:
      - id: conflict
        prompt: Tell me about a disagreement with a colleague.
        rubric: [Names the specific disagreement and what was at stake]
""")

CACHE_ANSWER = ("I would invalidate the cached product entry whenever the product row is written, "
                "and set a TTL of five minutes so stale entries expire even if an invalidation is lost.")


@pytest.fixture
def run(tmp_path: Path):
    write_acme_bank(tmp_path, BANK)
    home = tmp_path / "home"

    def drill(*args: str, stdin: str | bytes | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
        full_env = {k: v for k, v in os.environ.items() if k not in ("DRILL_MODEL", "DRILL_API_BASE")}
        full_env.update({"DRILL_HOME": str(home), "DRILL_BANKS": str(tmp_path / "banks"), "NO_COLOR": "1", **(env or {})})
        data = stdin.encode() if isinstance(stdin, str) else stdin
        done = subprocess.run([DRILL, *args], capture_output=True,
                              input=data if data is not None else b"", env=full_env, timeout=120)
        return subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode(), done.stderr.decode())

    drill.home = home
    drill.tmp = tmp_path
    return drill


def rows(home: Path, sql: str, args: tuple = ()) -> list[tuple]:
    with sqlite3.connect(home / "drill.db") as db:
        return [tuple(r) for r in db.execute(sql, args)]


def write(path: Path, text: str | bytes) -> Path:
    (path.write_bytes if isinstance(text, bytes) else path.write_text)(text)
    return path


def test_answers_file_run_prints_one_json_object_and_saves_every_row(run):
    answers = write(run.tmp / "a.yaml", f"cache-basics: {json.dumps(CACHE_ANSWER)}\nqueue-basics: I am not sure.\n")
    done = run("acme", "backend", "--round", "design", "--answers", str(answers), "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert (result["company"], result["role"], result["round"], result["scorer"]) == ("Acme", "Backend Engineer", "design", "offline")
    first, second = result["questions"]
    assert (first["id"], second["id"]) == ("cache-basics", "queue-basics")
    assert first["answer"] == CACHE_ANSWER and first["max_score"] == 10
    assert first["score"] > second["score"] and first["covered"]
    assert set(first["covered"]) | set(first["missed"]) == {p["point"] for p in first["points"]}
    assert 2 <= first["feedback"].count(". ") + 1 <= 5
    assert result["overall"] == round((first["score"] + second["score"]) / 2, 1)
    sid = result["session_id"]
    assert rows(run.home, "SELECT status, scorer, overall FROM sessions WHERE id = ?", (sid,)) == [("scored", "offline", result["overall"])]
    assert rows(run.home, "SELECT position, question_id, kind, answer FROM answers WHERE session_id = ? ORDER BY position", (sid,)) == [
        (0, "cache-basics", "main", CACHE_ANSWER), (1, "queue-basics", "main", "I am not sure.")]
    assert rows(run.home, "SELECT position, score FROM scores WHERE session_id = ? ORDER BY position", (sid,)) == [
        (0, first["score"]), (1, second["score"])]


# Every term of the fitted model, then the clip to 10 (scoring/offline/coefficients.json).
BREAKDOWN = "base 1.6 · +5.3 for coverage (2 of 2 points) · +4.9 for the points' own words · kept within 0-10 (from 11.9) → 10.0"
FOREVER = ("I would put the products in a cache and keep them there forever, with no expiry and no invalidation, "
           "because products rarely change.")


def test_offline_scores_explain_themselves_in_the_panel_and_both_reports(run):
    answers = write(run.tmp / "a.yaml", f"cache-basics: {json.dumps(CACHE_ANSWER)}\nqueue-basics: {json.dumps(FOREVER)}\n")
    done = run("acme", "backend", "--round", "design", "--answers", str(answers), env={"COLUMNS": "200"})
    assert done.returncode == 0, done.stderr
    lines = [line.strip("│ ") for line in done.stdout.splitlines()]
    assert f"“{CACHE_ANSWER}”" in lines  # the evidence, quoted under the covered point
    assert f"Score: {BREAKDOWN}" in lines
    sid = rows(run.home, "SELECT id FROM sessions")[0][0]
    details = [json.loads(d) for (d,) in rows(run.home, "SELECT details FROM scores ORDER BY position")]
    assert details[0] == {"breakdown": BREAKDOWN, "red_flags": [], "unsure": False}
    assert details[1]["red_flags"] == []  # queue-basics has no red flags of its own

    markdown = run("report", sid).stdout
    assert f"- ✓ Invalidates or updates cached entries when the product row is written — “{CACHE_ANSWER}”" in markdown
    assert f"**Score.** {BREAKDOWN}" in markdown
    html = run("report", sid, "--format", "html").stdout
    assert f'<span class="evidence">— “{CACHE_ANSWER}”</span>' in html
    assert f'<p class="label">Score</p><p class="breakdown">{html_escape(BREAKDOWN)}</p>' in html


def test_a_red_flag_is_shown_with_what_said_it(run):
    answers = write(run.tmp / "a.yaml", f"cache-basics: {json.dumps(FOREVER)}\n")
    done = run("acme", "backend", "--round", "design", "--answers", str(answers), "--json")
    assert done.returncode == 0, done.stderr
    question = json.loads(done.stdout)["questions"][0]
    flag = {"point": "Caches product entries forever, with no expiry and no invalidation", "evidence": FOREVER}
    assert question["red_flags"] == [flag]
    assert "capped at 2.0: a red flag: Caches product entries forever" in question["breakdown"]
    sid = json.loads(done.stdout)["session_id"]
    markdown = run("report", sid).stdout
    assert f"- ✗ red flag: {flag['point']} — “{FOREVER}”" in markdown
    panel = run("report", sid, "--format", "json").stdout
    assert json.loads(panel)["questions"][0]["red_flags"] == [flag]


OWN_WORDS = ("When the sender and the receiver live on different release trains and keep different hours, a buffer in "
             "the middle lets each one restart or ship on its own schedule. It also soaks up bursts: on a busy morning "
             "the backlog grows for a while and the workers chew through it at their own steady pace, and if the "
             "backlog gets too long the sender is told to slow down.")


def test_an_unsure_offline_score_says_how_to_get_a_models_opinion(run):
    answers = write(run.tmp / "a.yaml", f"queue-basics: {json.dumps(OWN_WORDS)}\n")
    done = run("acme", "backend", "--round", "design", "--answers", str(answers), env={"COLUMNS": "300"})
    assert done.returncode == 0, done.stderr
    sid = rows(run.home, "SELECT id FROM sessions")[0][0]
    command = f"For a model's opinion: drill score {sid} --model MODEL"
    assert any(line.strip("│ ").endswith(command) for line in done.stdout.splitlines())
    assert "**Unsure.** The offline scorer is unsure about this answer" in run("report", sid).stdout
    assert command.replace("'", "&#x27;") in run("report", sid, "--format", "html").stdout


def test_answers_file_without_json_draws_panels(run):
    answers = write(run.tmp / "a.yaml", f"cache-basics: {json.dumps(CACHE_ANSWER)}\n")
    done = run("acme", "backend", "--answers", str(answers), env={"COLUMNS": "100"})
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("╭─ Q1 · cache-basics · ") and "/10 " in lines[0]
    assert any(line.startswith("│  ✓ Invalidates or updates cached entries") for line in lines)
    assert any(line.startswith("Overall: ") and "scorer: offline" in line for line in lines)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("cache-basics: a\ncache-basics: b\n", "a.yaml:2: 'cache-basics' is answered twice (first at line 1) — keep one answer per id"),
        ("- a list\n", "a.yaml: expected a mapping of question id to answer text"),
        ("", "a.yaml: expected a mapping of question id to answer text"),
        ("cache-basics: [1, 2]\n", "a.yaml: the answer to 'cache-basics' must be text"),
        ("cache-basics: 'unclosed\n", "a.yaml:2: not valid YAML"),
        (b"\xff\xfe\x00binary", "a.yaml is not UTF-8 text"),
        ("cache-basic: x\n", "unknown question id 'cache-basic' — did you mean 'cache-basics'?"),
        ("conflict: x\n", "question 'conflict' belongs to round 'behavioral', not 'design'"),
    ],
)
def test_bad_answers_files_are_usage_errors(run, content, message):
    answers = write(run.tmp / "a.yaml", content)
    done = run("acme", "backend", "--round", "design", "--answers", str(answers))
    assert done.returncode == 2
    assert message in done.stderr and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert not (run.home / "drill.db").exists() or rows(run.home, "SELECT COUNT(*) FROM sessions") == [(0,)]


def test_unknown_id_suggestions_come_from_the_round(run):
    answers = write(run.tmp / "a.yaml", "zzz: x\n")
    done = run("acme", "backend", "--round", "behavioral", "--answers", str(answers))
    assert done.returncode == 2
    assert "choose one of: conflict (" in done.stderr


def test_piped_answers_are_split_on_separator_lines(run):
    done = run("acme", "backend", "--round", "design", "--seed", "1", "--json",
               stdin=f"{CACHE_ANSWER}\n---\nQueues decouple producers from consumers.\n")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert len(result["questions"]) == 2
    assert {q["answer"] for q in result["questions"]} == {CACHE_ANSWER, "Queues decouple producers from consumers."}


@pytest.mark.parametrize("stdin", ["", "---\n---\n", "\n\n"])
def test_no_tty_and_nothing_piped_is_a_usage_error(run, stdin):
    done = run("acme", "backend", "--round", "design", stdin=stdin)
    assert done.returncode == 2
    assert done.stderr.startswith("error: no terminal to ask questions in — pass --answers FILE")
    assert not (run.home / "drill.db").exists() or rows(run.home, "SELECT COUNT(*) FROM sessions") == [(0,)]


def test_binary_stdin_is_a_usage_error_and_saves_nothing(run):
    done = run("acme", "backend", "--round", "design", stdin=bytes(range(128, 256)) * 3)
    assert done.returncode == 2
    assert done.stderr.strip() == "error: stdin is not UTF-8 text — pipe answers as text separated by lines of '---'"
    assert not (run.home / "drill.db").exists() or rows(run.home, "SELECT COUNT(*) FROM sessions") == [(0,)]


def test_more_piped_answers_than_questions_is_a_usage_error(run):
    done = run("acme", "backend", "--round", "behavioral", stdin="a\n---\nb\n")
    assert done.returncode == 2
    assert "got 2 answers on stdin but the round asks 1 question(s)" in done.stderr


def test_score_of_an_unfinished_session_scores_what_it_has_and_keeps_it_resumable(run):
    answers = write(run.tmp / "a.yaml", f"cache-basics: {json.dumps(CACHE_ANSWER)}\n")
    sid = json.loads(run("acme", "backend", "--answers", str(answers), "--json").stdout)["session_id"]
    with sqlite3.connect(run.home / "drill.db") as db:
        db.execute("UPDATE sessions SET status = 'unfinished', plan = ? WHERE id = ?",
                   (json.dumps(["cache-basics", "queue-basics"]), sid))
    done = run("score", sid)
    assert done.returncode == 0, done.stderr
    assert done.stderr == (f"scored 1 of 2 questions; the session stays resumable (finish it with: "
                           f"drill resume {sid})\n")
    assert rows(run.home, "SELECT status FROM sessions WHERE id = ?", (sid,)) == [("unfinished",)]
    assert rows(run.home, "SELECT COUNT(*) FROM scores WHERE session_id = ?", (sid,)) == [(2,)]  # 1 + this one
    assert rows(run.home, "SELECT position FROM reviews WHERE session_id = ?", (sid,)) == [(0,)]


def test_rescore_adds_a_score_row_and_keeps_the_answers(run):
    answers = write(run.tmp / "a.yaml", f"cache-basics: {json.dumps(CACHE_ANSWER)}\n")
    first = json.loads(run("acme", "backend", "--answers", str(answers), "--json").stdout)
    again = run("score", first["session_id"][:5], "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["questions"][0]["score"] == first["questions"][0]["score"]
    assert rows(run.home, "SELECT COUNT(*) FROM scores WHERE session_id = ?", (first["session_id"],)) == [(2,)]
    assert rows(run.home, "SELECT COUNT(*) FROM answers WHERE session_id = ?", (first["session_id"],)) == [(1,)]


def test_session_prefixes_must_be_unique_and_are_not_patterns(run):
    answers = write(run.tmp / "a.yaml", f"cache-basics: {json.dumps(CACHE_ANSWER)}\n")
    for _ in range(2):
        assert run("acme", "backend", "--answers", str(answers), "--json").returncode == 0
    for pattern in ("%", "_"):
        done = run("report", pattern)
        assert done.returncode == 2 and done.stderr.strip() == f"error: no session '{pattern}' — list sessions with: drill history"


def test_unwritable_drill_home_is_one_line(run, tmp_path):
    blocker = write(tmp_path / "not-a-folder", "x")
    done = run("history", env={"DRILL_HOME": str(blocker)})
    assert done.returncode == 1
    assert done.stderr.strip() == f"error: cannot create {blocker}: File exists — set DRILL_HOME to a writable folder"
    listed = run("banks", "list", "--json", env={"DRILL_HOME": str(blocker)})
    assert listed.returncode == 0 and json.loads(listed.stdout)


def test_corrupt_database_is_one_line(run):
    run.home.mkdir(exist_ok=True)
    write(run.home / "drill.db", "this is not sqlite" * 100)
    done = run("history")
    assert done.returncode == 1
    assert done.stderr.startswith(f"error: cannot open the history database {run.home / 'drill.db'}: file is not a database")
    assert "Traceback" not in done.stderr


def test_a_model_server_that_is_down_stops_the_round_before_it_starts(run):
    answers = write(run.tmp / "a.yaml", f"cache-basics: {json.dumps(CACHE_ANSWER)}\n")
    done = run("acme", "backend", "--answers", str(answers), "--model", "openai/x", "--api-base", "http://127.0.0.1:9/v1",
               env={"DRILL_LLM_RETRY_SECONDS": "0"})
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "error: nothing is listening at http://127.0.0.1:9/v1 — start the server or fix --api-base\n"
    assert rows(run.home, "SELECT COUNT(*) FROM sessions") == [(0,)]
