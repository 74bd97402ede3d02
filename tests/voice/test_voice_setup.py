"""`drill voice setup`: the offline model guide, and the check of a model file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

DRILL = str(Path(sys.executable).with_name("drill"))


def run(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([DRILL, "voice", "setup", *args], capture_output=True, text=True, env=env, timeout=60)


def test_the_guide_names_the_model_files_their_sizes_and_where_they_go(drill_env, drill_home):
    done = run(env=drill_env)
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert lines[3:7] == [
        "  ggml-tiny.en.bin       75 MiB   fastest; rough on technical words",
        "  ggml-base.en.bin      142 MiB   a good start on a laptop CPU",
        "  ggml-small.en.bin     466 MiB   better with jargon; about 3x slower than base",
        "  ggml-medium.en.bin    1.5 GiB   the most accurate of these; slow without a GPU",
    ]
    assert f"3. Check it: drill voice setup {drill_home / 'models' / 'ggml-base.en.bin'}" in lines
    assert not (drill_home / "models").exists()  # nothing downloaded, nothing created


def test_a_model_file_is_checked(drill_env, tmp_path):
    missing = tmp_path / "ggml-base.en.bin"
    assert (run(str(missing), env=drill_env).returncode, run(str(missing), env=drill_env).stderr) == \
        (2, f"error: no whisper.cpp model file at {missing} — see: drill voice setup\n")
    missing.write_bytes(b"<!doctype html>")  # a download that went wrong
    done = run(str(missing), env=drill_env)
    assert (done.returncode, done.stderr) == (2, f"error: {missing} is not a whisper.cpp (ggml) model file — "
                                                 "see: drill voice setup\n")
    missing.write_bytes(b"lmgg" + bytes(1024))
    done = run(str(missing), env=drill_env)
    assert (done.returncode, done.stderr) == (2, "error: ggml-base.en.bin looks right, but pywhispercpp is not "
                                                 "installed — pip install pywhispercpp==1.5.1 (the whispercpp "
                                                 "extra)\n")
