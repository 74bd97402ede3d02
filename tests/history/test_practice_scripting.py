"""Nightly scripting: --quiet, no waiting without a TTY, fast `drill --help`, the documented script."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from practice_helpers import NOW, STRONG, Env, lines

ROOT = Path(__file__).resolve().parents[2]


def test_cli_import_stays_light():
    """`drill --help` must not pay for fsrs, plotext, sqlite work or the practice modules."""
    code = ("import sys, interview_cli.cli.app\n"
            "heavy = ['fsrs', 'plotext', 'interview_cli.history.scheduling', 'interview_cli.history.stats', 'interview_cli.history.transfer',"
            " 'interview_cli.ui.views.practice', 'interview_cli.ui.views.html', 'interview_cli.history.index']\n"
            "print([m for m in heavy if m in sys.modules])\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout == "[]\n"


def test_warm_commands_do_not_parse_banks_or_load_pydantic(env):
    """stats, plan, history and banks list/show read the bank index; only a changed bank is parsed again."""
    code = ("import sys\nsys.argv = ['drill', *{args!r}]\nfrom interview_cli.__main__ import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('LOADED', [m for m in ('interview_cli.banks.loader', 'interview_cli.banks.model', 'yaml', 'pydantic')"
            " if m in sys.modules], file=sys.stderr)\n")

    def loaded(*args: str) -> str:
        done = subprocess.run([sys.executable, "-c", code.format(args=list(args))], env={**env.vars, "DRILL_NOW": NOW},
                              capture_output=True, text=True)
        return done.stderr.splitlines()[-1]

    env.run("banks", "list")  # the first use fills the bank index (that one parses the YAML)
    for args in (("stats", "--company", "acme", "--role", "be"), ("plan",), ("history", "--role", "be"),
                 ("banks", "list"), ("banks", "show", "acme", "be")):
        assert loaded(*args) == "LOADED []", args
    bank = env.banks / "acme" / "backend.yaml"
    bank.write_text(bank.read_text().replace("Design an LRU cache", "Design an LRU cache, again"))
    assert loaded("banks", "show", "acme", "be") == "LOADED ['interview_cli.banks.loader', 'interview_cli.banks.model', 'yaml', 'pydantic']"
    assert "Design an LRU cache, again" in env.run("banks", "show", "acme", "be").stdout
    assert loaded("banks", "show", "acme", "be") == "LOADED []"
    bank.write_text("company: Acme\nrole: Backend\nrounds: {}\n")
    listed = env.run("banks", "list")
    assert f"warning: skipped invalid bank {bank}:3: bank has no rounds; add at least one — see: drill banks validate {bank}\n" in listed.stderr


def test_a_command_reads_only_its_own_signature(env):
    """Typer turns a command's signature into click options only for the command that runs (the banks group
    here), not for all thirteen, which cost more than the rest of a warm `banks list`."""
    code = ("import sys, typer.main\nconverted = []\nconvert = typer.main.get_command_from_info\n"
            "def recorded(command_info, **kwargs):\n    converted.append(command_info.name)\n    return convert(command_info, **kwargs)\n"
            "typer.main.get_command_from_info = recorded\n"
            "sys.argv = ['drill', 'banks', 'list']\nfrom interview_cli.__main__ import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\nprint('CONVERTED', sorted(converted), file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", code], env=env.vars, capture_output=True, text=True)
    assert "acme" in done.stdout
    assert done.stderr.splitlines()[-1] == "CONVERTED ['list', 'new', 'show', 'validate']"


@pytest.mark.parametrize(
    "args",
    [("history",), ("stats",), ("plan",), ("report", "aaaa0001"), ("export",), ("history", "--json")],
)
def test_commands_never_wait_for_stdin(env, args):
    """stdin is a pipe that stays open: a command that read it would hang until the timeout."""
    process = subprocess.Popen([sys.executable, "-c", "import sys; from interview_cli.__main__ import main; "
                                "sys.argv[0] = 'drill'; main()", *args],
                               env={**env.vars, "DRILL_NOW": NOW}, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=env.root)
    try:
        out, err = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert out


def test_quiet_leaves_only_the_requested_output(env, tmp_path):
    plan = env.run("plan", "--quiet", extra={"DRILL_NOW": NOW})
    assert "Run it" not in plan.stdout and "About" not in plan.stdout and "rate-limiter" in plan.stdout
    target = tmp_path / "h.jsonl"
    export = env.run("export", "--quiet", "--output", str(target))
    assert (export.stdout, export.stderr) == (f"{target}\n", "")
    report = env.run("report", "aaaa0001", "--quiet", "-o", str(tmp_path / "r.md"))
    assert report.stdout == f"{tmp_path / 'r.md'}\n"
    imported = Env(tmp_path / "other").run("import", str(target), "--quiet")
    assert (imported.returncode, imported.stdout, imported.stderr) == (0, "", "")
    for args in (("history", "--json"), ("stats", "--json"), ("plan", "--json")):
        done = env.run(*args, "--quiet")
        json.loads(done.stdout)
        assert done.stderr == ""


def test_documented_nightly_script_works(env, tmp_path):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    script = re.search(r"<!-- nightly-script -->\n```sh\n(.*?)```", text, re.S).group(1)
    path = tmp_path / "drill-nightly"
    path.write_text(script, encoding="utf-8")
    path.chmod(0o755)
    notes = tmp_path / "notes"
    notes.mkdir()
    today = subprocess.run(["date", "+%F"], capture_output=True, text=True, check=True).stdout.strip()
    (notes / f"answers-{today}.yaml").write_text("rate-limiter: " + json.dumps(STRONG["rate-limiter"]) + "\n")
    bin_dir = str(Path(sys.executable).parent)
    done = subprocess.run([str(path), "ACME", "be"],  # a name and an alias, as `drill ACME be` takes them
                          env={**env.vars, "DRILL_NOTES": str(notes), "DRILL_NOW": NOW,
                               "PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(tmp_path)},
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and done.stderr == ""
    tonight = json.loads((notes / "tonight.json").read_text())
    assert tonight[0]["id"] == "rate-limiter"
    sheet = (notes / "tonight.md").read_text().splitlines()
    assert sheet[0] == "# Tonight's practice"
    assert sheet[2] == f"## 1. {tonight[0]['prompt'].strip()}"
    assert sheet[4].startswith(f"{tonight[0]['minutes']:g} minutes · coding · ")
    scored = json.loads((notes / f"answers-{today}.yaml").with_name(f"scored-{today}.json").read_text())
    assert [q["id"] for q in scored["questions"]] == ["rate-limiter"] and scored["overall"] is not None
    assert env.rows("SELECT status FROM sessions WHERE id = ?", (scored["session_id"],)) == [("scored",)]
    progress = list(notes.glob("progress-*-W*.txt"))
    assert len(progress) == 1
    report = lines(progress[0].read_text())
    scored_sessions = env.rows("SELECT COUNT(*) FROM sessions WHERE status = 'scored'")[0][0]
    assert scored_sessions == 4 and report[0] == "4 scored sessions"  # the three seeded, and tonight's
    assert report[2] == "By round (acme/backend)"
    coding = next(line for line in report if line.startswith("coding "))
    assert f"{scored['overall']:.1f}" in coding.split()[3]  # Latest: tonight's session


def test_run_without_tty_or_answers_is_a_usage_error(env):
    done = env.run("acme", "backend", "--due")
    assert done.returncode == 2
    assert done.stderr.startswith("error: no terminal to ask questions in")
    assert env.rows("SELECT COUNT(*) FROM sessions") == [(4,)]
