"""Every file drill writes goes through here: a temporary file in the same folder, flushed and
fsynced, then renamed over the target (and the folder fsynced), so the target is always
either the old file or the complete new one — never truncated, never half written, even
when the disk fills or the process is killed mid-write.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from interview_cli.errors import UsageError


class WriteError(UsageError):
    """A file could not be written (exit 2, as for any path the user named); the old file, if any, is untouched."""


@contextlib.contextmanager
def atomic_writer(path: Path, *, overwrite: bool = True, binary: bool = False) -> Iterator[IO[Any]]:
    """A text (or, with `binary`, bytes) stream whose content replaces `path` only once the block ends
    without an error."""
    path = Path(path)
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise _error(path, exc) from None
    try:
        os.chmod(temp, _mode_for(path))
        with (os.fdopen(handle, "wb") if binary else os.fdopen(handle, "w", encoding="utf-8", newline="")) as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        if not overwrite and path.exists():
            raise FileExistsError(f"{path} already exists")
        os.replace(temp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(exc, OSError) and not isinstance(exc, FileExistsError):
            raise _error(path, exc) from None
        raise
    _sync_folder(folder)


def write_text(path: Path, text: str, *, overwrite: bool = True) -> Path:
    with atomic_writer(path, overwrite=overwrite) as out:
        out.write(text)
    return Path(path)


def copy_file(source: Path, target: Path) -> Path:
    """A copy of `source` as `target`, written atomically a megabyte at a time. OSError when `source`
    cannot be read; WriteError when `target` cannot be written."""
    with open(source, "rb") as original, atomic_writer(target, binary=True) as out:
        shutil.copyfileobj(original, out, 1 << 20)
    return Path(target)


def _mode_for(path: Path) -> int:
    """The target's permissions when it exists, else what a plain open() would give (mkstemp makes 0600)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (best effort: some file systems refuse to open folders)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _error(path: Path, exc: OSError) -> WriteError:
    reason = exc.strerror or str(exc)
    return WriteError(f"cannot write {path}: {reason} — the file was left as it was; "
                      "free some space or choose another path")
