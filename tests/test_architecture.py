"""The package layout's one dependency rule, checked by import-linter, and no import cycles."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "src" / "interview_cli"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(root / "src")}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=root, env=env, capture_output=True, text=True)


def test_every_import_contract_is_kept():
    done = lint_imports(REPO)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Contracts: 8 kept, 0 broken." in done.stdout


def lint_with_an_import_added(tmp_path: Path, module: str, line: str) -> subprocess.CompletedProcess:
    """lint-imports on a copy of the package where `module` (a path under the package) gained `line`."""
    shutil.copytree(PACKAGE, tmp_path / "src" / "interview_cli")
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    source = tmp_path / "src" / "interview_cli" / module
    source.write_text(source.read_text() + f"\n{line}\n")
    return lint_imports(tmp_path)


def test_drawing_in_rounds_breaks_a_contract(tmp_path: Path):
    done = lint_with_an_import_added(tmp_path, "rounds/options.py", "import rich  # a round drawing for itself")
    assert done.returncode == 1
    assert "Domain code never draws and never parses the command line BROKEN" in done.stdout
    assert "interview_cli.rounds.options -> rich" in done.stdout


def test_voice_reaching_into_history_breaks_a_contract(tmp_path: Path):
    done = lint_with_an_import_added(tmp_path, "voice/delivery.py",
                                     "import interview_cli.history.db  # delivery storing itself")
    assert done.returncode == 1
    assert "voice knows audio and transcripts only: no drill package but the root modules BROKEN" in done.stdout


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def top_level_imports(path: Path) -> set[str]:
    """interview_cli modules imported when `path` is imported: module level, not under TYPE_CHECKING."""
    found: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("interview_cli")}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("interview_cli"):
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def test_no_module_level_import_cycles():
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = {name: {m for m in top_level_imports(path) if m in modules and m != name} for name, path in modules.items()}
    cycles, state = [], {}

    def visit(name: str, trail: list[str]) -> None:
        state[name] = "open"
        for target in sorted(graph[name]):
            if state.get(target) == "open":
                cycles.append(trail[trail.index(target):] + [target] if target in trail else [name, target])
            elif target not in state:
                visit(target, [*trail, target])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []
