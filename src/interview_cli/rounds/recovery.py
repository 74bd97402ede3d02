"""Answers the history could not take (a full disk): kept as files under the data dir until `drill resume`.

A file per answer, `$DRILL_HOME/recovered/<session>-<position>-<kind>.txt`, written atomically.
`drill resume` moves each back into the session as a draft, in the answer box, and deletes the file.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from pathlib import Path

from interview_cli import files, paths

_NAME = re.compile(r"^(?P<session>[a-z0-9]+)-(?P<position>\d+)-(?P<kind>main|follow_up)\.txt$")


@dataclass(frozen=True)
class Recovered:
    path: Path
    position: int
    kind: str
    text: str


def folder() -> Path:
    return paths.drill_home() / "recovered"


def keep(session_id: str, position: int, kind: str, text: str) -> Path:
    """Write the answer to its recovery file; files.WriteError when even that fails."""
    return files.write_text(folder() / f"{session_id}-{position}-{kind}.txt", text)


def pending(session_id: str) -> list[Recovered]:
    """The recovered answers of a session, in plan order."""
    found = []
    for path in sorted(folder().glob(f"{session_id}-*.txt")):
        match = _NAME.match(path.name)
        if match is None or match["session"] != session_id:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        found.append(Recovered(path, int(match["position"]), match["kind"], text))
    return sorted(found, key=lambda r: (r.position, r.kind != "main"))


def forget(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def forget_session(session_id: str) -> None:
    for item in pending(session_id):
        forget(item.path)
