"""`--speak`: the interviewer's lines read aloud by espeak-ng; DRILL_AUDIO_OUT keeps what would be played."""

from __future__ import annotations

import shutil
import sys
import wave
from pathlib import Path

import pytest

from terminal_helpers import ESC_ENTER, READY, bank_question, finish, plan, quit_at_second_question, round_args, spawn

pytestmark = pytest.mark.slow


def seconds_of(path: Path) -> float:
    with wave.open(str(path), "rb") as wav:
        return wav.getnframes() / wav.getframerate()


def test_the_question_is_spoken_into_the_audio_out_file(drill_exe, drill_env, drill_home, tiny_bank, tmp_path):
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (.ci/run installs it with apt-get)")
    out = tmp_path / "spoken.wav"
    child = spawn(drill_exe, round_args(tiny_bank, "--count", "1", "--seed", "1", "--no-follow-ups", "--speak"),
                  {**drill_env, "DRILL_AUDIO_OUT": str(out)})
    child.expect_exact(READY)
    child.send("Invalidation on writes" + ESC_ENTER)
    child.expect_exact("That's all the questions I have.")
    finish(child)
    question = bank_question(tiny_bank, plan(drill_home)[0])
    words = len(f"Question 1 of 1. {question.prompt}".split())
    # espeak-ng speaks about 175 words a minute: the file holds the line at a speaking pace (90 to 240 words/min)
    assert words / 4.0 < seconds_of(out) < words / 1.5


def test_without_a_speech_engine_the_round_goes_on_in_text(drill_exe, drill_env, drill_home, tiny_bank, tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    out = tmp_path / "spoken.wav"
    child = spawn(drill_exe, round_args(tiny_bank, "--count", "1", "--seed", "1", "--no-follow-ups", "--speak"),
                  {**drill_env, "PATH": str(empty), "DRILL_AUDIO_OUT": str(out)})
    child.expect_exact("--speak needs a speech engine: install espeak-ng (apt-get install espeak-ng), or pass "
                       "--tts-model MODEL — carrying on in text")
    child.expect_exact("Question 1 of 1")
    child.expect_exact(READY)
    child.send("Invalidation on writes" + ESC_ENTER)
    child.expect_exact("That's all the questions I have.")
    finish(child)
    assert not out.exists()


def test_a_hosted_speech_model_without_its_key_stops_before_the_round(drill_exe, drill_env, tiny_bank):
    import subprocess

    done = subprocess.run([drill_exe, *round_args(tiny_bank, "--tts-model", "openai/tts-1")], capture_output=True,
                          text=True, env={**drill_env, "OPENAI_API_KEY": ""}, timeout=60)
    assert (done.returncode, done.stderr) == (2, "error: --tts-model openai/tts-1 needs an API key: set "
                                                 "OPENAI_API_KEY, or leave out --tts-model to speak offline with "
                                                 "espeak-ng\n")


def test_a_resumed_round_speaks_again(drill_exe, drill_env, drill_home, tiny_bank, tmp_path):
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (.ci/run installs it with apt-get)")
    import json

    from terminal_helpers import session_row

    first, second = tmp_path / "first.wav", tmp_path / "second.wav"
    quit_at_second_question(drill_exe, round_args(tiny_bank, "--count", "2", "--seed", "1", "--no-follow-ups", "--speak"),
                            {**drill_env, "DRILL_AUDIO_OUT": str(first)}, "Invalidation on writes")
    assert json.loads(session_row(drill_home)["options"])["speak"] is True

    child = spawn(drill_exe, ["resume", "--banks", str(tiny_bank)], {**drill_env, "DRILL_AUDIO_OUT": str(second)})
    child.expect_exact(READY)
    child.send("A queue absorbs spikes" + ESC_ENTER)
    child.expect_exact("That's all the questions I have.")
    finish(child)
    assert seconds_of(second) > 1.0  # the second question, read aloud again after the resume


def test_a_speech_failure_while_the_answer_box_is_open_shows_in_its_toolbar(tmux, drill_env, tiny_bank):
    from fake_stt_server import FakeSttServer

    with FakeSttServer(latency=2.0) as server:  # /v1/audio/speech: 404, two seconds after the box opened
        command = [str(Path(sys.executable).with_name("drill")), *round_args(tiny_bank, "--count", "1", "--seed", "1", "--no-follow-ups", "--speak",
                                      "--tts-model", "openai/tts-1", "--stt-api-base", server.base_url)]
        t = tmux(110, 30, command, {**drill_env, "OPENAI_API_KEY": "sk-test"})
        screen = t.wait_for("could not speak", timeout=30)
        flat = " ".join(screen.split())
        assert "error: could not speak" not in flat, screen  # not printed over the box
        prompt_line = next(line for line in screen.splitlines() if line.startswith(">"))
        assert prompt_line.strip() == ">", screen
        assert (f"could not speak (speaking with openai/tts-1 at {server.base_url} failed (the server answered "
                "404)") in flat, screen
