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


def wav_bytes(frames: bytes) -> bytes:
    import io
    import wave

    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(frames)
    return buffer.getvalue()


def test_a_kept_recording_is_written_through_files_and_a_full_disk_keeps_nothing(tmp_path, monkeypatch, drill_home):
    from interview_cli.voice import keep

    source = tmp_path / "drill-recording-x.wav"
    source.write_bytes(wav_bytes(bytes(1600)))
    assert keep.keep_recording(source, "s1", 0).read_bytes() == source.read_bytes()
    monkeypatch.setattr(files.os, "fsync", enospc)
    folder = drill_home / "audio" / "s1"
    with pytest.raises(files.WriteError) as caught:
        keep.keep_recording(source, "s1", 1)
    assert str(caught.value) == (f"cannot keep the recording {source}: cannot write {folder / '02-main.wav'}: "
                                 "No space left on device — the file was left as it was; free some space or choose "
                                 "another path, or run without --keep-audio")
    assert sorted(p.name for p in folder.iterdir()) == ["01-main.wav"]  # no empty file under its final name


def test_speech_written_to_audio_out_goes_through_files(tmp_path, monkeypatch):
    import wave

    from interview_cli.voice.speak import append_wav

    target = tmp_path / "out" / "spoken.wav"
    target.parent.mkdir()
    append_wav(target, wav_bytes(b"\x01\x00" * 800))
    append_wav(target, wav_bytes(b"\x02\x00" * 400))
    with wave.open(str(target), "rb") as spoken:
        assert spoken.readframes(spoken.getnframes()) == b"\x01\x00" * 800 + b"\x02\x00" * 400
    before = target.read_bytes()
    monkeypatch.setattr(files.os, "fsync", enospc)
    with pytest.raises(files.WriteError):
        append_wav(target, wav_bytes(b"\x03\x00" * 400))
    assert target.read_bytes() == before
    assert sorted(p.name for p in target.parent.iterdir()) == ["spoken.wav"]
