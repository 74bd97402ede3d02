"""files.atomic_writer: the target is the old file or the whole new one, never a torn mix."""

from __future__ import annotations

import errno
import os

import pytest

from interview_cli import files


def enospc(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_full_disk_at_fsync_keeps_the_old_file_and_leaves_no_temp(tmp_path, monkeypatch):
    target = tmp_path / "out" / "backup.jsonl"
    target.parent.mkdir()
    target.write_text("old backup\n", encoding="utf-8")
    monkeypatch.setattr(files.os, "fsync", enospc)
    with pytest.raises(files.WriteError) as caught:
        files.write_text(target, "new backup\n" * 1000)
    assert str(caught.value) == (f"cannot write {target}: No space left on device — "
                                 "the file was left as it was; free some space or choose another path")
    assert target.read_text(encoding="utf-8") == "old backup\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["backup.jsonl"]


def test_a_full_disk_mid_write_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "out" / "report.md"
    target.parent.mkdir()
    target.write_text("old report\n", encoding="utf-8")
    with pytest.raises(files.WriteError):
        with files.atomic_writer(target) as out:
            out.write("half of the new report")
            enospc()
    assert target.read_text(encoding="utf-8") == "old report\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["report.md"]


def test_a_new_file_is_complete_and_not_overwritten_when_asked_not_to(tmp_path):
    target = tmp_path / "sub" / "bank.yaml"
    files.write_text(target, "one\n")
    assert target.read_text(encoding="utf-8") == "one\n"
    with pytest.raises(FileExistsError):
        files.write_text(target, "two\n", overwrite=False)
    assert target.read_text(encoding="utf-8") == "one\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["bank.yaml"]
