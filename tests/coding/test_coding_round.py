"""Coding questions through the CLI: bank v1.1 validation, --run-tests, --answers with code, run-tests,
stored per-test results, the blended score, history, and the code editor with /run in tmux."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from practice_helpers import FAKE_DRILL
from terminal_helpers import answers, session_row

from interview_cli.scoring.base import AnswerScore, with_tests
from interview_cli.ui.editor import next_line_indent, without_command

BANK = """\
company: Acme
role: Backend Engineer
aliases: [backend]
rounds:
  coding:
    title: Coding
    minutes: 10
    questions:
      - id: clamp-total
        prompt: Write clamp_total(values, cap) returning the sum of values, at most cap.
        minutes: 5
        rubric:
          - point: Handles an empty list
            weight: 2
          - Linear time stated
        code:
          language: python
          signature: "def clamp_total(values: list[int], cap: int) -> int:"
          starter: |
            def clamp_total(values, cap):
                ...
          tests:
            - {args: [[1, 2], 10], expected: 3}
            - {args: [[5, 9], 10], expected: 10}
          hidden_tests:
            - {args: [[], 10], expected: 0}
            - {args: [[-5, 1], 10], expected: -4}
          compare: exact
          time_limit_s: 1
          complexity: "O(n) time, O(1) space"
        reference_solution: |
          def clamp_total(values, cap):
              return min(sum(values), cap)
"""

SOLUTION = "def clamp_total(values, cap):\n    # Handles empty input; linear time\n    return min(sum(values), cap)\n"
NAIVE = "def clamp_total(values, cap):\n    return min(max(values) + min(values), cap)\n"

@pytest.fixture
def env(tmp_path: Path, drill_env: dict[str, str]):
    banks = tmp_path / "banks"
    (banks / "acme").mkdir(parents=True)
    (banks / "acme" / "backend.yaml").write_text(BANK, encoding="utf-8")
    return dict(drill_env, DRILL_BANKS=str(banks))


def drill(env: dict, *args: str, fake: bool = False) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", FAKE_DRILL, *args] if fake else [str(Path(sys.executable).with_name("drill")), *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)


def db_rows(home: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(home / "drill.db") as db:
        return [tuple(r) for r in db.execute(sql)]


# ---- bank format v1.1 --------------------------------------------------------------------


def bad_bank(tmp_path: Path, code_lines: str) -> Path:
    head = BANK.split("        code:\n")[0]
    path = tmp_path / "bad.yaml"
    path.write_text(head + "        code:\n" + code_lines, encoding="utf-8")
    return path


@pytest.mark.parametrize(("code_lines", "message"), [
    ('          signature: "def f(x):"\n          tests:\n            - {args: [1], expected: 1}\n          timeout: 2\n',
     "bad.yaml:20: unknown key 'timeout' in code block at rounds.coding.questions[0].code — did you mean "
     "'time_limit_s'?"),
    ('          signature: "def f(x):"\n          tests:\n            - {args: 1, expected: 1}\n',
     "bad.yaml:19: rounds.coding.questions[0].code.tests[0].args: expected a list, got int '1'"),
    ('          signature: "def f(x):"\n          tests:\n            - {args: [1], expected: 2024-01-02}\n',
     "bad.yaml:19: rounds.coding.questions[0].code.tests[0].expected: must be JSON data, not a date "
     "(quote dates and times)"),
    ('          signature: "f(x)"\n          tests:\n            - {args: [1], expected: 1}\n',
     "bad.yaml:17: rounds.coding.questions[0].code.signature: must start with 'def NAME(' or 'class NAME', "
     "e.g. 'def merge(intervals: list) -> list:'"),
    ('          signature: "def f(x):"\n          compare: sorted\n          tests:\n            - {args: [1], expected: 1}\n',
     "bad.yaml:18: rounds.coding.questions[0].code.compare: input should be 'exact', 'unordered', 'float' or 'set'"),
    ('          signature: "def f(x):"\n          tests:\n            - {argz: [1], expected: 1}\n',
     "bad.yaml:19: unknown key 'argz' in code test at rounds.coding.questions[0].code.tests[0] — did you mean "
     "'args'?"),
])
def test_code_block_problems_are_reported_with_file_and_line(env, tmp_path, code_lines, message):
    done = drill(env, "banks", "validate", str(bad_bank(tmp_path, code_lines)))
    assert done.returncode == 1
    assert message in done.stdout.replace(str(tmp_path) + "/", ""), done.stdout


def test_reference_solution_without_code_is_a_problem(env, tmp_path):
    text = BANK.split("        code:\n")[0] + "        reference_solution: |\n          def f(): pass\n"
    path = tmp_path / "ref.yaml"
    path.write_text(text, encoding="utf-8")
    done = drill(env, "banks", "validate", str(path))
    assert done.returncode == 1
    assert f"{path}:9: rounds.coding.questions[0]: reference_solution needs a code: block with the tests it must " \
           "pass" in done.stdout


def test_a_v1_bank_without_code_still_validates(env, tmp_path):
    path = tmp_path / "v1.yaml"
    path.write_text(BANK.split("        code:\n")[0], encoding="utf-8")
    done = drill(env, "banks", "validate", str(path))
    assert (done.returncode, done.stdout) == (0, "")


def test_validate_run_tests_names_the_failing_test_of_a_wrong_reference(env, tmp_path):
    path = tmp_path / "wrong.yaml"
    path.write_text(BANK.replace("{args: [[-5, 1], 10], expected: -4}", "{args: [[-5, 1], 10], expected: -3}"),
                    encoding="utf-8")
    done = drill(env, "banks", "validate", "--run-tests", str(path))
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        f"{path}:31: reference_solution of 'clamp-total' passed 3/4 (1 hidden failed)",
        "  test 4 (hidden): args [[-5, 1], 10] → expected -3, got -4",
    ]
    assert "1 reference solution(s) run against 4 test(s), 1 failing" in " ".join(done.stderr.split())


@pytest.mark.slow
def test_validate_run_tests_passes_on_the_built_in_banks(drill_env):
    done = drill(drill_env, "banks", "validate", "--run-tests")
    assert done.returncode == 0, done.stdout
    assert "23 reference solution(s) run against 262 test(s), 0 failing" in " ".join(done.stderr.split())


# ---- answering with code ---------------------------------------------------------------------


def test_answers_file_with_code_runs_every_test_stores_them_and_blends_the_score(env, drill_home, tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text("clamp-total: |\n" + "".join(f"  {line}\n" for line in NAIVE.splitlines()), encoding="utf-8")
    done = drill(env, "acme", "backend", "--answers", str(answers), "--json", fake=True)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    tests = result["questions"][0]["tests"]
    assert (tests["passed"], tests["total"], tests["hidden_failed"]) == (3, 4, 1)
    assert tests["results"][1] == {"index": 1, "hidden": False, "status": "passed", "seconds": tests["results"][1]["seconds"],
                                   "args": "[[5, 9], 10]", "expected": "10", "got": "10", "error": None}
    assert tests["results"][2]["status"] == "error"
    assert tests["results"][2]["error"].startswith("ValueError: max() arg is an empty sequence")
    # FakeScorer covers no rubric point here: 70% of 3/4 passed, 30% of 0
    assert result["questions"][0]["score"] == 5.2
    assert result["questions"][0]["feedback"].startswith("Tests: passed 3/4.")
    stored = db_rows(drill_home, "SELECT test_index, hidden, status, args FROM test_results ORDER BY test_index")
    assert stored == [(0, 0, "passed", "[[1, 2], 10]"), (1, 0, "passed", "[[5, 9], 10]"),
                      (2, 1, "error", "[[], 10]"), (3, 1, "passed", "[[-5, 1], 10]")]


def test_report_and_history_show_the_tests_and_the_failing_input(env, drill_home, tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text("clamp-total: |\n" + "".join(f"  {line}\n" for line in NAIVE.splitlines()), encoding="utf-8")
    drill(env, "acme", "backend", "--answers", str(answers), "--json", fake=True)
    (session_id,) = db_rows(drill_home, "SELECT id FROM sessions")[0]
    report = drill(env, "report", session_id, "--format", "md")
    assert "**Tests.** passed 3/4 (1 hidden failed)" in report.stdout
    assert "- ✗ test 3 (hidden): args [[], 10] → expected 0, ValueError: max() arg is an empty sequence" in report.stdout
    history = drill(env, "history", "--json")
    assert (json.loads(history.stdout)[0]["tests_passed"], json.loads(history.stdout)[0]["tests_total"]) == (3, 4)
    assert "  3/4  " in drill(env, "history").stdout


def test_run_tests_command_shows_each_visible_test_and_exits_by_result(env, tmp_path):
    good, bad = tmp_path / "good.py", tmp_path / "bad.py"
    good.write_text(SOLUTION, encoding="utf-8")
    bad.write_text("def clamp_total(values, cap):\n    return sum(values)\n", encoding="utf-8")
    done = drill(env, "run-tests", str(good), "--question", "clamp-total")
    assert (done.returncode, done.stdout.splitlines()) == (0, [
        " Tests: passed 2/2", " ✓ 1  args [[1, 2], 10] → 3", " ✓ 2  args [[5, 9], 10] → 10"])
    done = drill(env, "run-tests", str(bad), "--question", "clamp-total", "--hidden")
    assert done.returncode == 1
    assert done.stdout.splitlines()[:3] == [" Tests: passed 3/4", " ✓ 1  args [[1, 2], 10] → 3",
                                            " ✗ 2  args [[5, 9], 10]: expected 10, got 14"]
    missing = drill(env, "run-tests", str(good), "--question", "clamp-totl")
    assert (missing.returncode, missing.stderr.strip()) == (2, "error: unknown coding question 'clamp-totl' — did "
                                                                "you mean 'clamp-total'? (see: drill banks show COMPANY ROLE)")


# ---- scoring and editor helpers ------------------------------------------------------------


def test_correctness_is_seventy_percent_of_a_coding_score():
    rubric = AnswerScore("q", 5.0, (), "Covered half.", "fake", "v1", samples=(4.0, 6.0))
    blended = with_tests(rubric, 9, 9)
    assert (blended.score, blended.feedback, blended.samples) == (8.5, "Tests: passed 9/9. Covered half.", (8.2, 8.8))
    assert with_tests(rubric, 0, 9).score == 1.5


@pytest.mark.parametrize(("line", "indent"), [
    ("def f(x):", "    "), ("    for i in x:  ", "        "), ("    return x", "    "), ("", ""),
    ("        y = {", "        "),
])
def test_enter_keeps_the_indent_and_adds_a_level_after_a_colon(line, indent):
    assert next_line_indent(line) == indent


def test_run_command_is_taken_off_its_line_and_nothing_else_changes():
    assert without_command("def f():\n    /run\n    return 1\n\n", 1) == "def f():\n    \n    return 1\n\n"


# ---- the editor in a real terminal -------------------------------------------------------------


@pytest.mark.slow
def test_code_editor_runs_the_visible_tests_with_run_and_keeps_the_code(tmux, drill_exe, env, drill_home):
    pane = tmux(100, 40, [drill_exe, "acme", "backend", "--round", "coding", "--no-follow-ups"], env)
    pane.wait_for("/run or Ctrl-R: run tests")
    screen = pane.screen()
    assert "  1 │ def clamp_total(values, cap):" in screen and "  2 │     ..." in screen
    pane.keys("BSpace", "BSpace", "BSpace")
    pane.keys("-l", "if not values:")
    pane.keys("Enter")
    pane.keys("-l", "return 0")
    pane.keys("Enter", "BSpace", "BSpace", "BSpace", "BSpace")
    pane.keys("-l", "return sum(values)")
    pane.keys("Enter")
    pane.keys("-l", "/run")
    pane.keys("Enter")
    screen = pane.wait_for(" Tests: passed 1/2")
    assert " ✓ 1  args [[1, 2], 10] → 3" in screen
    assert " ✗ 2  args [[5, 9], 10]: expected 10, got 14" in screen
    assert "/run" not in screen.split("Tests: passed")[0].split("  1 │")[1]  # the command is gone
    pane.keys("Tab")
    pane.keys("-l", "# checked")
    pane.keys("Escape", "Enter")
    pane.wait_for("Tests: passed 3/4")
    pane.wait_for("Overall:", timeout=60)
    (row,) = answers(drill_home, session_row(drill_home)["id"])
    assert row["answer"] == ("def clamp_total(values, cap):\n    if not values:\n        return 0\n"
                             "    return sum(values)\n        # checked")


@pytest.mark.slow
def test_round_opening_says_once_when_isolation_is_unavailable(tmux, drill_exe, env):
    pane = tmux(100, 40, [drill_exe, "acme", "backend", "--round", "coding", "--no-follow-ups"],
                dict(env, DRILL_SANDBOX="rlimits"))
    screen = pane.wait_for("/run or Ctrl-R: run tests")
    notice = "network and file isolation are unavailable: turned off by DRILL_SANDBOX=rlimits."
    assert " ".join(screen.split()).count(notice) == 1, screen


def test_the_starter_text_does_not_count_towards_the_rubric():
    from interview_cli.rounds.coding import own_text

    starter = 'def f(xs):\n    """Handle empty input; linear time."""\n    ...\n'
    answer = 'def f(xs):\n    """Handle empty input; linear time."""\n    return sum(xs)  # linear\n'
    assert own_text(answer, starter) == "def f(xs):\n    return sum(xs)  # linear"


def run_code_editor(keys: str, box, text: str = ""):
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    from interview_cli.clock import Clock
    from interview_cli.ui.editor import AnswerEditor

    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        return AnswerEditor(input=pipe, output=DummyOutput()).ask(Clock(30), text, code=box)


def test_code_editor_keys_tab_indent_ctrl_r_and_run_line_leave_the_code_as_typed():
    import threading

    from interview_cli.rounds.ui import CodeBox

    ran: list[str] = []
    done = threading.Event()

    def run_visible(source: str):
        ran.append(source)
        done.set()
        from interview_cli.coding import RunReport

        return RunReport((), isolated=True)

    box = CodeBox(run_visible, [("[1]", "1")], 2.0)
    keys = "def f(x):\r" + "if x:\r" + "return 1\r" + "\x12" + "/run\r" + "\tpass" + "\x1b\r"
    result = run_code_editor(keys, box)
    assert done.wait(5)
    assert result.action == "submit"
    assert result.text == "def f(x):\n    if x:\n        return 1\n            pass"
    assert ran[0] == "def f(x):\n    if x:\n        return 1\n        "  # Ctrl-R: the text as it was


def answer_file(tmp_path, code: str):
    path = tmp_path / "answers.yaml"
    path.write_text("clamp-total: |\n" + "".join(f"  {line}\n" for line in code.splitlines()), encoding="utf-8")
    return path


def test_the_panel_says_once_that_code_which_does_not_load_failed_every_test(env, tmp_path):
    done = drill(env, "acme", "backend", "--answers", str(answer_file(tmp_path, "hi")), fake=True)
    assert done.returncode == 0, done.stderr
    panel = " ".join(done.stdout.replace("│", " ").split())
    assert "Tests: passed 0/4 (2 hidden failed) ✗ each of the 4 failing tests: NameError: name 'hi' is not " \
           "defined (solution.py line 1, in <module>)" in panel
    assert "test 1 (visible)" not in panel


def test_the_panel_lists_three_failing_tests_and_counts_the_rest(env, drill_home, tmp_path):
    done = drill(env, "acme", "backend", "--answers", str(answer_file(tmp_path, "def clamp_total(values, cap):\n"
                                                                                 "    return -1\n")), fake=True)
    assert done.returncode == 0, done.stderr
    panel = " ".join(done.stdout.replace("│", " ").split())
    assert "✗ test 3 (hidden): args [[], 10] → expected 0, got -1 ✗ … and 1 more failing tests (all of them: " \
           "drill report)" in panel
    (session_id,) = db_rows(drill_home, "SELECT id FROM sessions")[0]
    report = drill(env, "report", session_id, "--format", "md").stdout
    assert "- ✗ test 4 (hidden): args [[-5, 1], 10] → expected -4, got -1" in report
