"""What a newcomer meets in the first week: coloured errors, shell completion, installing as a tool."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

ROOT = Path(__file__).resolve().parents[2]


def in_terminal(drill_exe: str, args: list[str], env: dict[str, str]) -> str:
    child = pexpect.spawn(drill_exe, args, env=env, dimensions=(24, 100), encoding="utf-8", timeout=30)
    child.expect(pexpect.EOF)
    child.close()
    return child.before


@pytest.mark.parametrize(("no_color", "expected"), [
    (False, "\x1b[1;31merror:\x1b[0m unknown company 'netflx' — did you mean 'netflix'? (see: drill banks list)\r\n"),
    (True, "error: unknown company 'netflx' — did you mean 'netflix'? (see: drill banks list)\r\n"),
])
def test_errors_are_red_on_a_terminal_unless_no_color(drill_exe, drill_env, no_color, expected):
    env = {k: v for k, v in drill_env.items() if k != "NO_COLOR"}
    if no_color:
        env["NO_COLOR"] = "1"
    assert in_terminal(drill_exe, ["netflx", "backend"], env) == expected


def test_errors_are_plain_when_piped_and_never_carry_escape_sequences(drill_exe, drill_env):
    import subprocess

    env = {k: v for k, v in drill_env.items() if k != "NO_COLOR"}
    done = subprocess.run([drill_exe, "netflix", "back\x1b[2Jend"], env=env, capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr.startswith("error: unknown role for Netflix 'back\\x1b[2Jend' — ")
    assert "\x1b" not in done.stderr


# ---- shell completion ---------------------------------------------------------------------------


def run_drill(drill_exe: str, args: list[str], env: dict[str, str]):
    import subprocess

    return subprocess.run([drill_exe, *args], env=env, capture_output=True, text=True, timeout=60)


SCRIPT_MARKS = {  # what only that shell's script has
    "bash": ("complete -o default -F _drill_completion drill", "COMPREPLY"),
    "zsh": ("#compdef drill", "_TYPER_COMPLETE_ARGS"),
    "fish": ("complete --command drill", "_DRILL_COMPLETE=complete_fish"),
    "powershell": ("Register-ArgumentCompleter", "_DRILL_COMPLETE"),
}


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish", "powershell"])
def test_show_completion_prints_the_named_shells_script(drill_exe, drill_env, shell):
    done = run_drill(drill_exe, ["--show-completion", shell], {**drill_env, "SHELL": "/bin/bash"})
    assert done.returncode == 0, done.stderr
    for mark in SCRIPT_MARKS[shell]:
        assert mark in done.stdout
    for other, marks in SCRIPT_MARKS.items():
        if other != shell:
            assert marks[0] not in done.stdout


@pytest.mark.parametrize(("shell", "path"), [
    ("bash", ".bash_completions/drill.sh"), ("zsh", ".zfunc/_drill"), ("fish", ".config/fish/completions/drill.fish"),
])
def test_install_completion_installs_the_named_shell_even_from_another(drill_exe, drill_env, tmp_path, shell, path):
    home = tmp_path / "user"
    home.mkdir()
    done = run_drill(drill_exe, ["--install-completion", shell], {**drill_env, "HOME": str(home), "SHELL": "/bin/bash"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"{shell} completion installed in {home / path}\n")
    installed = [p.relative_to(home).as_posix() for p in home.rglob("*") if p.is_file()]
    script = (home / path).read_text()
    assert SCRIPT_MARKS[shell][0] in script
    if shell != "bash":
        assert ".bash_completions/drill.sh" not in installed and not (home / ".bashrc").exists()


def test_install_completion_rejects_an_unknown_shell(drill_exe, drill_env):
    done = run_drill(drill_exe, ["--install-completion", "tcsh"], drill_env)
    assert (done.returncode, done.stderr) == (
        2, "error: --install-completion takes one shell, one of: bash, zsh, fish, powershell, pwsh — "
           "e.g. drill --install-completion zsh\n")


def complete(drill_exe: str, env: dict[str, str], line: str) -> list[str]:
    """What Tab offers at the end of `line`, through the zsh protocol the installed script uses."""
    done = run_drill(drill_exe, [], {**env, "_DRILL_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": line})
    assert done.returncode == 0, done.stderr
    import re

    return re.findall(r'"((?:[^"\\]|\\.)*)":"', done.stdout)


def test_completion_offers_banks_rounds_models_and_sessions(drill_exe, drill_env, drill_home, tiny_bank):
    env = {**drill_env, "DRILL_BANKS": str(tiny_bank)}
    assert complete(drill_exe, env, "drill ac") == ["acme"]
    assert {"history", "report", "acme", "netflix", "general"} <= set(complete(drill_exe, env, "drill "))
    assert complete(drill_exe, env, "drill acme ") == ["backend-engineer", "backend"]
    assert complete(drill_exe, env, "drill netflix backend --round s") == ["system-design"]
    assert complete(drill_exe, env, "drill acme backend -r ") == ["design", "behavioral"]
    assert complete(drill_exe, env, "drill stats --company ne") == ["netflix"]
    assert complete(drill_exe, env, "drill history --company acme --role b") == ["backend-engineer", "backend"]
    assert complete(drill_exe, env, "drill banks show acme ") == ["backend-engineer", "backend"]

    (drill_home / "config.toml").write_text('model = "ollama_chat/llama3.1"\n')
    from interview_cli.history.db import Store

    with Store(drill_home / "drill.db") as store:
        ids = []
        for n, (status, model) in enumerate([("scored", "openai/gpt-4o-mini"), ("unfinished", None)]):
            sid = store.create_session(company="Acme", role="Backend Engineer", company_slug="acme",
                                       role_slug="backend-engineer", round_id="design", round_title="System design",
                                       bank_path=None, plan=["cache-basics"], options={"model": model},
                                       started_at=f"2025-03-0{n + 1}T20:00:00+00:00")
            store.set_status(sid, status)
            ids.append(sid)
    models = complete(drill_exe, {**env, "DRILL_MODEL": "anthropic/claude-3-5-haiku-latest"}, "drill acme backend --model ")
    assert models == ["anthropic/claude-3-5-haiku-latest", "ollama_chat/llama3.1", "openai/gpt-4o-mini", "offline"]
    assert complete(drill_exe, env, "drill score --model o") == ["ollama_chat/llama3.1", "openai/gpt-4o-mini", "offline"]
    scored, unfinished = ids
    assert complete(drill_exe, env, "drill report ") == [unfinished, scored]  # newest first
    assert complete(drill_exe, env, f"drill report {scored[:3]}") == [s for s in (unfinished, scored) if s.startswith(scored[:3])]
    assert complete(drill_exe, env, "drill resume ") == [unfinished]
    assert scored in complete(drill_exe, env, "drill score ")


# ---- installing as a tool ---------------------------------------------------------------------


def _tool_venv(tmp_path: Path, tool: str) -> Path:
    """A throwaway venv holding pipx or uv; the test is skipped when the package index cannot provide it."""
    import subprocess

    venv = tmp_path / "tools"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
    done = subprocess.run([str(venv / "bin" / "pip"), "install", "-q", tool], capture_output=True, text=True,
                          timeout=300)
    if done.returncode != 0:
        pytest.skip(f"cannot install {tool} from the package index here: {done.stderr.strip().splitlines()[-1:]}")
    return venv / "bin" / tool


@pytest.mark.slow
@pytest.mark.parametrize("tool", ["pipx", "uv"])
def test_pipx_and_uv_install_drill_from_a_checkout(tmp_path, drill_home, tool):
    import subprocess

    exe = _tool_venv(tmp_path, tool)
    bin_dir = tmp_path / "bin"
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH") and not k.startswith("DRILL_")}
    env.update(PATH=f"{bin_dir}:/usr/bin:/bin", DRILL_HOME=str(drill_home), NO_COLOR="1",
               PIPX_HOME=str(tmp_path / "pipx"), PIPX_BIN_DIR=str(bin_dir), PIPX_MAN_DIR=str(tmp_path / "man"),
               UV_TOOL_DIR=str(tmp_path / "uv-tools"), UV_TOOL_BIN_DIR=str(bin_dir))
    command = [str(exe), "install", str(ROOT)] if tool == "pipx" else [str(exe), "tool", "install", str(ROOT)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    version = subprocess.run(["drill", "-V"], env=env, capture_output=True, text=True, timeout=60, cwd=tmp_path)
    from interview_cli import __version__

    assert (version.returncode, version.stdout) == (0, f"drill {__version__}\n")
    listed = subprocess.run(["drill", "banks", "list", "--json"], env=env, capture_output=True, text=True, timeout=60,
                            cwd=tmp_path)
    import json

    built_in = [b for b in json.loads(listed.stdout) if b["origin"] == "built-in"]
    assert {b["company_slug"] for b in built_in} == {"general", "netflix"}
    assert all(not b["path"].startswith(str(ROOT)) for b in built_in)  # the installed copy, not the checkout


def test_help_lists_every_command_with_its_whole_first_line(drill_exe, drill_env):
    done = subprocess.run([drill_exe, "--help"], env={**drill_env, "COLUMNS": "80"}, capture_output=True, text=True)
    commands = done.stdout.split("Commands:\n")[1].splitlines()
    assert len(commands) >= 12 and not [line for line in commands if line.endswith("...")]
