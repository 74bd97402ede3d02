"""Recordings kept with --keep-audio: DRILL_HOME/audio/SESSION_ID/, one file per answer.
`drill discard SESSION_ID` removes the folder with the session."""

from __future__ import annotations

import shutil
from pathlib import Path

from interview_cli import paths


def audio_root() -> Path:
    return paths.drill_home() / "audio"


def models_dir() -> Path:
    """Where `drill voice setup` suggests keeping whisper.cpp model files."""
    return paths.drill_home() / "models"


def session_audio(session_id: str) -> Path:
    return audio_root() / session_id


def keep_recording(source: Path, session_id: str, position: int, kind: str = "main") -> Path:
    """A copy of `source` kept for the answer at `position` (written atomically through files.py)."""
    from interview_cli.files import WriteError, copy_file

    folder = paths.ensure_dir(session_audio(session_id))
    target = folder / f"{position + 1:02d}-{kind}{source.suffix.lower()}"
    try:
        return copy_file(source, target)
    except WriteError as exc:
        raise WriteError(f"cannot keep the recording {source}: {exc}, or run without --keep-audio") from None
    except OSError as exc:
        raise WriteError(f"cannot keep the recording {source}: {exc.strerror or exc} — record it again, or run "
                         "without --keep-audio") from None


def remove_session_audio(session_id: str) -> int:
    """Delete a session's kept recordings; how many files went."""
    folder = session_audio(session_id)
    if not folder.is_dir():
        return 0
    count = sum(1 for p in folder.iterdir() if p.is_file())
    shutil.rmtree(folder, ignore_errors=True)
    return count
