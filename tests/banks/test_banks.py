"""Bank format v1.1: loading, validation messages, discovery and the `drill banks` commands."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interview_cli.banks.loader import (
    BankError,
    discover,
    load_bank,
    load_bank_data,
    validate_file,
)
from interview_cli.banks.model import Bank
from interview_cli.banks.skeleton import write_skeleton

ROOT = Path(__file__).resolve().parents[2]
BROKEN = Path(__file__).parent / "data" / "broken_banks"
DRILL = str(Path(sys.executable).with_name("drill"))

FULL_BANK = """\
company: Acme Corp
role: Backend Engineer
aliases: [backend, be]
about: |
  Three rounds.
source: "notes"
rounds:
  system-design:
    title: System design
    minutes: 45
    about: One problem.
    questions:
      - id: url-shortener
        prompt: Design a URL shortener.
        minutes: 40
        topics: [api-design, caching]
        level: senior
        rubric:
          - Estimates read and write rates
          - point: Generates collision-free short codes
            weight: 2
        follow_ups: ["How do you expire links?"]
        hints: [Think about the read-to-write ratio.]
        reference: |
          A counter with base62 encoding.
        red_flags:
          - Hashes the URL and truncates it without handling collisions
  behavioral:
    title: Behavioral
    questions:
      - id: conflict
        prompt: Tell me about a disagreement.
        rubric: [Names the specific disagreement]
"""


def drill(*args: str, home: Path, stdin: str | None = None, extra_env: dict | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "DRILL_HOME": str(home), "NO_COLOR": "1", "COLUMNS": "200"}
    env.pop("DRILL_BANKS", None)
    env.update(extra_env or {})
    return subprocess.run([DRILL, *args], capture_output=True, text=True, env=env, input=stdin, timeout=60)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "home"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture
def acme_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "banks" / "acme"
    folder.mkdir(parents=True)
    (folder / "backend.yaml").write_text(FULL_BANK)
    return tmp_path / "banks"


# ---- loading ----------------------------------------------------------------


def test_full_format_round_trips(acme_dir: Path):
    dumped = load_bank_data(acme_dir / "acme" / "backend.yaml")
    again = Bank.model_validate(yaml.safe_load(yaml.safe_dump(dumped, sort_keys=False)))
    assert again.model_dump(mode="json") == dumped
    bank = load_bank(acme_dir / "acme" / "backend.yaml")
    question = bank.rounds["system-design"].questions[0]
    assert [p.point for p in question.rubric] == ["Estimates read and write rates", "Generates collision-free short codes"]
    assert [p.weight for p in question.rubric] == [1.0, 2.0]
    assert question.minutes == 40 and question.topics == ["api-design", "caching"] and question.level == "senior"
    assert bank.company_slug == "acme-corp" and bank.role_names == {"backend-engineer", "backend", "be"}
    assert bank.rounds["behavioral"].minutes is None
    assert question.red_flags == ["Hashes the URL and truncates it without handling collisions"]
    assert bank.rounds["behavioral"].questions[0].red_flags == []  # optional: a v1 bank is a valid v1.1 bank


def test_red_flags_are_validated_like_rubric_points(home: Path, tmp_path: Path):
    path = tmp_path / "flags.yaml"
    path.write_text(FULL_BANK.replace(
        "          - Hashes the URL and truncates it without handling collisions\n",
        "          - '  '\n          - 3\n          - [a, list]\n",
    ))
    result = drill("banks", "validate", str(path), home=home)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{path}:27: rounds.system-design.questions[0].red_flags[0]: must not be empty",
        f"{path}:28: rounds.system-design.questions[0].red_flags[1]: expected text, got int '3'",
        f"{path}:29: rounds.system-design.questions[0].red_flags[2]: expected text, got a list",
    ]
    misspelt = tmp_path / "misspelt.yaml"
    misspelt.write_text(FULL_BANK.replace("red_flags:", "red_flag:"))
    result = drill("banks", "validate", str(misspelt), home=home)
    assert result.stdout.splitlines() == [
        f"{misspelt}:26: unknown key 'red_flag' in question at rounds.system-design.questions[0] — did you mean 'red_flags'?"
    ]


def test_validator_reports_every_problem_with_file_and_line(home: Path):
    result = drill("banks", "validate", str(BROKEN), home=home)
    assert result.returncode == 1
    expected = [
        f"{BROKEN}/empty.yaml:1: file is empty; a bank needs company, role and rounds",
        f"{BROKEN}/list.yaml:1: top level: expected a mapping, got a list",
        f"{BROKEN}/missing.yaml:1: missing required key 'role' in bank at top level",
        f"{BROKEN}/missing.yaml:6: missing required key 'id' in question at rounds.design.questions[0]",
        f"{BROKEN}/missing.yaml:6: missing required key 'rubric' in question at rounds.design.questions[0]",
        f"{BROKEN}/mixed.yaml:7: missing required key 'prompt' in question at rounds.design.questions[0]",
        f"{BROKEN}/mixed.yaml:8: unknown key 'promt' in question at rounds.design.questions[0] — did you mean 'prompt'?",
        f"{BROKEN}/mixed.yaml:10: duplicate question id 'q-one' (first at line 7)",
        f"{BROKEN}/mixed.yaml:14: rounds.design.questions[1].rubric[0].weight: expected a number, got str 'heavy'",
        f"{BROKEN}/mixed.yaml:17: round 'empty' has no questions; add at least one",
        f"{BROKEN}/mixed.yaml:18: rounds.Bad_Round: 'Bad_Round' must be kebab-case (lowercase letters, digits and '-')",
        f"{BROKEN}/mixed.yaml:19: missing required key 'title' in round at rounds.Bad_Round",
        f"{BROKEN}/mixed.yaml:19: rounds.Bad_Round.minutes: expected a number, got str 'lots'",
        f"{BROKEN}/mixed.yaml:24: unknown key 'colour' in bank at top level — did you mean 'source'?",
        f"{BROKEN}/syntax.yaml:3: YAML syntax error: did not find expected ',' or ']'"
        " (while parsing a flow sequence that starts at line 2)",
    ]
    assert result.stdout.splitlines() == expected
    assert result.stderr.strip() == "5 bank file(s) checked, 5 invalid, 15 problem(s)"
    assert "Traceback" not in result.stderr


def test_duplicate_yaml_keys_are_reported(tmp_path: Path):
    path = tmp_path / "dup.yaml"
    path.write_text(FULL_BANK.replace("role: Backend Engineer\n", "role: Backend Engineer\nrole: Other\n"))
    assert [str(p) for p in validate_file(path)] == [f"{path}:3: duplicate key 'role' (first at line 2)"]


def test_load_bank_raises_bank_error_naming_first_problem(tmp_path: Path):
    path = tmp_path / "b.yaml"
    path.write_text("company: X\nrole: Y\nrounds:\n  a:\n    title: A\n    questions: []\n")
    with pytest.raises(BankError) as caught:
        load_bank(path)
    assert str(caught.value) == f"{path}:6: round 'a' has no questions; add at least one"
    assert caught.value.exit_code == 2


yaml_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20))
yaml_values = st.recursive(
    yaml_scalars,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(st.text(max_size=10), children, max_size=4)),
    max_leaves=20,
)
bank_keys = st.sampled_from(["company", "role", "rounds", "title", "questions", "id", "prompt", "rubric", "point", "weight", "minutes", "aliases", "x"])
bankish = st.recursive(
    yaml_scalars,
    lambda children: st.one_of(st.lists(children, max_size=3), st.dictionaries(bank_keys, children, max_size=5)),
    max_leaves=25,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(yaml_values, bankish), garbage=st.text(max_size=40), mode=st.sampled_from(["dump", "text", "mixed"]))
def test_any_yaml_raises_only_bank_error(tmp_path: Path, data, garbage: str, mode: str):
    text = {"dump": yaml.safe_dump(data), "text": garbage, "mixed": yaml.safe_dump(data) + garbage}[mode]
    path = tmp_path / "fuzz.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        load_bank(path)
    except BankError as exc:
        assert exc.problems and all(p.path == str(path) and p.line >= 1 for p in exc.problems)


# ---- discovery ---------------------------------------------------------------


def test_later_sources_win_and_origin_is_shown(home: Path, acme_dir: Path, tmp_path: Path, monkeypatch):
    override = tmp_path / "override" / "acme"
    override.mkdir(parents=True)
    (override / "backend.yaml").write_text(FULL_BANK.replace("Three rounds.", "Overridden."))
    monkeypatch.setenv("DRILL_HOME", str(home))
    monkeypatch.setenv("DRILL_BANKS", str(acme_dir))
    catalog = discover([tmp_path / "override"])
    bank = catalog.find("ACME corp", "BE")
    assert bank.about.strip() == "Overridden." and bank.origin == "--banks"
    assert [b.origin for b in catalog.overridden if b.company_slug == "acme-corp"] == ["DRILL_BANKS"]


def test_unknown_company_role_round_suggest_closest(home: Path):
    result = drill("netflx", "backend", "--round", "system-design", "--answers", "x.yaml", home=home)
    assert result.returncode == 2
    assert result.stderr.startswith("error: unknown company 'netflx' — did you mean 'netflix'? (see: drill banks list)")
    result = drill("netflix", "backedn", "--round", "coding", "--answers", "x.yaml", home=home)
    assert result.returncode == 2
    assert "unknown role for Netflix 'backedn' — did you mean 'backend'?" in result.stderr
    result = drill("netflix", "backend", "--round", "sytem-design", "--answers", "x.yaml", home=home)
    assert result.returncode == 2
    assert result.stderr.strip() == ("error: unknown round 'sytem-design' — did you mean 'system-design'? "
                                     "(see: drill banks show netflix backend-engineer)")


def test_mistyped_subcommand_is_suggested(home: Path):
    result = drill("bankz", home=home)
    assert result.returncode == 2
    assert result.stderr.strip() == "error: unknown command 'bankz' — did you mean 'drill banks'? (see: drill --help)"
    result = drill("banks", "shwo", "netflix", home=home)
    assert (result.returncode, result.stderr) == (
        2, "error: No such command 'shwo'. Did you mean 'show'? (see: drill banks --help)\n")


# ---- commands -------------------------------------------------------------------


def test_banks_list_json_shows_builtin_and_extra(home: Path, acme_dir: Path):
    result = drill("banks", "list", "--json", "--banks", str(acme_dir), home=home)
    assert result.returncode == 0, result.stderr
    rows = {(r["company_slug"], r["role_slug"]): r for r in json.loads(result.stdout)}
    assert ("netflix", "backend-engineer") in rows and ("general", "backend-engineer") in rows
    acme = rows[("acme-corp", "backend-engineer")]
    assert acme["rounds"] == {"system-design": 1, "behavioral": 1}
    assert acme["origin"] == "--banks" and acme["path"] == str(acme_dir / "acme" / "backend.yaml")
    assert rows[("netflix", "backend-engineer")]["origin"] == "built-in"


def test_banks_list_table(home: Path, acme_dir: Path):
    result = drill("banks", "list", "--banks", str(acme_dir), home=home)
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    first = next(i for i, line in enumerate(lines) if "acme-corp" in line)
    assert [cell.strip() for cell in lines[first].split("│")[1:-1]] == ["acme-corp", "system-design (1)", "--banks"]
    assert [cell.strip() for cell in lines[first + 1].split("│")[1:-1]][:2] == ["backend-engineer", "behavioral (1)"]


def test_banks_show(home: Path, acme_dir: Path):
    result = drill("banks", "show", "acme-corp", "be", "--banks", str(acme_dir), home=home)
    assert result.returncode == 0
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    assert lines[:2] == ["Acme Corp — Backend Engineer", "Three rounds."]
    assert "System design [system-design, 45 min, 1 question]" in lines
    at = lines.index("  url-shortener  Design a URL shortener.")
    assert lines[at + 1] == "                 API design, Caching"  # topic titles, under the prompt
    narrow = drill("banks", "show", "acme-corp", "be", "--banks", str(acme_dir), home=home, extra_env={"COLUMNS": "32"})
    lines = [line.rstrip() for line in narrow.stdout.splitlines()]
    at = lines.index("  url-shortener  Design a URL")
    assert lines[at + 1:at + 3] == ["                 shortener.", "                 API design,"]  # wrapped, indented
    detail = json.loads(drill("banks", "show", "acme-corp", "be", "--json", "--banks", str(acme_dir), home=home).stdout)
    assert detail["rounds"]["system-design"]["questions"][0]["id"] == "url-shortener"
    assert detail["about"] == "Three rounds."


def test_banks_validate_all_discovered_is_clean(home: Path):
    result = drill("banks", "validate", home=home)
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""
    assert result.stderr.strip().endswith("0 invalid, 0 problem(s)")


def test_banks_validate_missing_path_is_usage_error(home: Path):
    result = drill("banks", "validate", "/no/such/bank.yaml", home=home)
    assert result.returncode == 2
    assert result.stderr.strip() == "error: no such file or folder: /no/such/bank.yaml — pass a bank .yaml file or a folder of them"


def test_banks_new_writes_a_valid_skeleton(home: Path):
    result = drill("banks", "new", "Acme Corp", "Platform Engineer", home=home)
    assert result.returncode == 0, result.stderr
    path = home / "banks" / "acme-corp" / "platform-engineer.yaml"
    assert result.stdout.strip() == f"wrote {path}"
    assert validate_file(path) == []
    assert len(load_bank(path).rounds["system-design"].questions[0].red_flags) == 2
    listed = json.loads(drill("banks", "list", "--json", home=home).stdout)
    assert any(r["company_slug"] == "acme-corp" and r["origin"] == "user" for r in listed)
    again = drill("banks", "new", "Acme Corp", "Platform Engineer", home=home)
    assert again.returncode == 2 and "already exists" in again.stderr


def test_skeleton_with_awkward_names_validates(tmp_path: Path):
    path = write_skeleton('Q: "Co" #1', "Back-end: API", folder=tmp_path)
    bank = load_bank(path)
    assert bank.company == 'Q: "Co" #1' and bank.role == "Back-end: API"


def test_invalid_user_bank_is_skipped_with_a_warning(home: Path):
    broken = home / "banks" / "bad"
    broken.mkdir(parents=True)
    (broken / "x.yaml").write_text("company: [\n")
    result = drill("banks", "list", "--json", home=home, extra_env={"COLUMNS": "60"})
    assert result.returncode == 0
    assert json.loads(result.stdout)
    path = broken / "x.yaml"  # longer than 60 columns: the line is long, never broken inside the command
    assert (f"warning: skipped invalid bank {path}:2: YAML syntax error: did not find expected node content"
            f" — see: drill banks validate {path}\n") in result.stderr


def test_help_documents_exit_codes_and_example(home: Path):
    result = drill("--help", home=home)
    assert result.returncode == 0
    lines = [line.strip() for line in result.stdout.splitlines()]
    assert lines[lines.index("Exit codes:") + 1:lines.index("Exit codes:") + 5] == [
        "0  success", "1  a run, scoring or check failed (answers are kept)", "2  usage or input error",
        "130  interrupted (Ctrl-C, or a round quit to resume later)"]
    assert "Example:        drill netflix backend --round system-design" in lines


def test_help_imports_nothing_heavy(home: Path):
    heavy = ["litellm", "wordllama", "numpy", "fsrs", "pydantic", "prompt_toolkit", "yaml", "rich.console", "sqlite3"]
    code = ("import sys; from interview_cli.__main__ import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            f"print([m for m in {heavy!r} if m in sys.modules], file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, "DRILL_HOME": str(home)})
    assert result.stderr.strip() == "[]"


def test_python_dash_m_works(home: Path):
    env = {**os.environ, "DRILL_HOME": str(home)}
    result = subprocess.run([sys.executable, "-m", "interview_cli", "banks", "list", "--json"], capture_output=True, text=True, env=env)
    assert result.returncode == 0 and json.loads(result.stdout)


@pytest.mark.slow
def test_built_wheel_ships_the_banks(tmp_path: Path, home: Path):
    dist = tmp_path / "dist"
    build = subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(ROOT)],
                           capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stderr[-2000:]
    wheel = next(dist.glob("*.whl"))
    target = tmp_path / "site"
    install = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--target", str(target), str(wheel)],
                             capture_output=True, text=True, timeout=300)
    assert install.returncode == 0, install.stderr[-2000:]
    assert (target / "interview_cli" / "question_banks" / "netflix" / "backend.yaml").is_file()
    assert (target / "interview_cli" / "scoring" / "offline" / "coefficients.json").is_file()
    assert (target / "interview_cli" / "scoring" / "offline" / "background.txt").is_file()
    env = {**os.environ, "DRILL_HOME": str(home), "PYTHONPATH": str(target)}
    code = "import interview_cli, json, sys; from interview_cli.__main__ import main; print(interview_cli.__file__, file=sys.stderr); main(['banks', 'list', '--json'])"
    listed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert listed.stderr.startswith(str(target))
    rows = json.loads(listed.stdout)
    assert {r["company_slug"] for r in rows} >= {"netflix", "general"}
    assert all(r["path"].startswith(str(target)) for r in rows if r["origin"] == "built-in")


def test_version(home: Path):
    from interview_cli import __version__

    for flag in ("--version", "-V"):
        result = drill(flag, home=home)
        assert (result.returncode, result.stdout) == (0, f"drill {__version__}\n")


def test_traceback_only_with_drill_debug(home: Path):
    quiet = drill("netflx", "backend", "--round", "coding", home=home)
    assert quiet.returncode == 2 and "Traceback" not in quiet.stderr and quiet.stderr.count("\n") == 1
    loud = drill("netflx", "backend", "--round", "coding", home=home, extra_env={"DRILL_DEBUG": "1"})
    assert loud.returncode == 1 and "Traceback (most recent call last)" in loud.stderr
    assert loud.stderr.rstrip().endswith("UsageError: unknown company 'netflx' — did you mean 'netflix'? (see: drill banks list)")


def test_option_errors_are_one_line_naming_the_help(home: Path):
    result = drill("netflix", "backend", "--count", "0", home=home)
    assert result.returncode == 2
    assert result.stderr == "error: Invalid value for '--count' / '-n': 0 is not in the range x>=1. (see: drill --help)\n"
    result = drill("banks", "show", "netflix", home=home)
    assert result.returncode == 2
    assert result.stderr == "error: Missing argument 'ROLE'. (see: drill banks show --help)\n"


def test_banks_list_shortens_long_paths_from_the_left_and_never_wraps(home: Path, tmp_path: Path):
    deep = tmp_path / "a-rather-long-folder-name" / "with-more-levels-below-it" / "banks"
    (deep / "acme").mkdir(parents=True)
    (deep / "acme" / "backend.yaml").write_text("company: Acme\nrole: Backend\nrounds:\n  coding:\n    title: Coding\n"
                                                "    questions:\n      - id: q\n        prompt: P?\n        rubric: [r]\n")
    result = drill("banks", "list", "--banks", str(deep), home=home, extra_env={"COLUMNS": "80"})
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert any("│ …/banks/acme/backend.yaml" in line or "│ …/acme/backend.yaml" in line for line in lines), lines
    assert not any("site-" in line and "packages" not in line for line in lines)


def test_banks_show_wraps_by_terminal_cells():
    from interview_cli.ui.views.banks import wrap_cells

    assert wrap_cells("缓存 失效 策略 设计", 9) == ["缓存 失效", "策略 设计"]  # each character two cells wide
    assert wrap_cells("a supercalifragilistic word", 8) == ["a", "supercal", "ifragili", "stic", "word"]
    assert wrap_cells("", 8) == []


@pytest.mark.parametrize("folder", sorted((ROOT / "benchmarks" / "holdout").iterdir()), ids=lambda p: p.name)
def test_each_hold_out_set_is_a_valid_bank_with_every_answer_and_grade(folder: Path, home: Path):
    (bank_file,) = sorted((folder / "bank").rglob("*.yaml"))
    result = drill("banks", "validate", str(bank_file), home=home)
    assert (result.returncode, result.stdout, result.stderr.strip()) == (
        0, "", "1 bank file(s) checked, 0 invalid, 0 problem(s)")
    questions = {q.id for _, q in load_bank(bank_file).questions()}
    grades = yaml.safe_load((folder / "grades.yaml").read_text(encoding="utf-8"))
    answer_sets = {p.stem for p in (folder / "answers").glob("*.yaml")}
    assert answer_sets == set(grades) and len(answer_sets) == 10
    for answer_set in answer_sets:
        answers = yaml.safe_load((folder / "answers" / f"{answer_set}.yaml").read_text(encoding="utf-8"))
        assert set(answers) == set(grades[answer_set]) == questions, answer_set
        assert all(0 <= grades[answer_set][q] <= 10 for q in questions)
