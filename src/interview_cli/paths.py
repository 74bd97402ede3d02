"""Where drill keeps user data: DRILL_HOME, else the platform's user data dir."""

from __future__ import annotations

import os
from pathlib import Path


def drill_home() -> Path:
    override = os.environ.get("DRILL_HOME")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("drill", appauthor=False))


def ensure_dir(folder: Path) -> Path:
    """Create a folder drill writes to, or fail with one line that names the fix."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        from interview_cli.errors import DrillError

        raise DrillError(f"cannot create {folder}: {exc.strerror or exc} — set DRILL_HOME to a writable folder") from None
    return folder


def database_path() -> Path:
    return ensure_dir(drill_home()) / "drill.db"


def user_banks_dir() -> Path:
    return drill_home() / "banks"


def config_path() -> Path:
    return drill_home() / "config.toml"


def builtin_banks_dir() -> Path:
    """Banks ship inside the wheel; an editable checkout reads them from the repo root."""
    packaged = Path(__file__).resolve().parent / "question_banks"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "question_banks"
