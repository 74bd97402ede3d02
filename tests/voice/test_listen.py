"""`--listen` in a real terminal (tmux): Ctrl-T records from DRILL_AUDIO_IN (a WAV file standing in for the
microphone), the toolbar shows the recording, the transcript lands in the box, and the candidate's
correction is what is stored and scored; the delivery comes from the recording."""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
import sys
import wave
from pathlib import Path

import pytest

from fake_stt_server import FakeSttServer, frames_sha256
from terminal_helpers import round_args, wait_for

pytestmark = pytest.mark.slow
DRILL = str(Path(sys.executable).with_name("drill"))
SAID = "Um, I would invalidate the cache on writes and set a TTL."
HEARD = [(w, round(i * 0.4, 2), round(i * 0.4 + 0.3, 2))
         for i, w in enumerate("Um, I would invalidate the cash on writes and set a TTL.".split())]


@pytest.fixture
def spoken(tmp_path: Path) -> Path:
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (.ci/run installs it with apt-get)")
    path = tmp_path / "said.wav"
    subprocess.run(["espeak-ng", "-w", str(path), SAID], check=True, capture_output=True)
    return path


def test_a_spoken_answer_is_transcribed_into_the_box_and_the_correction_is_scored(tmux, drill_env, drill_home,
                                                                                   tiny_bank, spoken, tmp_path):
    with wave.open(str(spoken), "rb") as wav:
        length = wav.getnframes() / wav.getframerate()
    with FakeSttServer() as server:
        server.scripts[frames_sha256(spoken)] = HEARD
        command = [DRILL, *round_args(tiny_bank, "--count", "1", "--seed", "1", "--no-follow-ups", "--listen",
                                      "--stt-model", "whisper-1", "--stt-api-base", server.base_url)]
        temp = tmp_path / "temp"  # where the recording is written while it is transcribed
        temp.mkdir()
        t = tmux(110, 30, command, {**drill_env, "DRILL_AUDIO_IN": str(spoken), "TMPDIR": str(temp)})
        t.wait_for("Ctrl-T: record")
        t.keys("C-t")
        screen = t.wait_for("● recording")
        assert [p.suffix for p in temp.iterdir()] == [".wav"]
        assert re.search(r"● recording 0:0\d [▮▯]{8} · Ctrl-T: stop and transcribe", screen), screen
        t.keys("Escape", "Enter")  # submitting mid-recording is refused: the transcript is not checked yet
        t.wait_for("still recording — press Ctrl-T to stop, check the transcript, then submit")
        def played_in(screen: str) -> str | None:  # the whole file has played in, with time to spare
            shown = re.search(r"● recording (\d+):(\d\d)", screen)
            return screen if shown and int(shown[1]) * 60 + int(shown[2]) >= length + 2 else None

        wait_for(lambda: played_in(t.screen()), timeout=30)
        t.keys("C-t")
        screen = t.wait_for("transcript inserted — correct it, then submit with Esc Enter")
        assert "> Um, I would invalidate the cash on writes and set a TTL." in screen
        t.keys("C-u")
        t.keys("-l", "I would invalidate the cache on writes and set a TTL.")
        t.keys("Escape", "Enter")
        t.wait_for("Saved as session", timeout=60)
    assert len(server.requests) == 1 and frames_sha256(server.requests[0].audio) == frames_sha256(spoken)
    assert list(temp.iterdir()) == []  # transcribed, then deleted (not kept without --keep-audio)
    with sqlite3.connect(drill_home / "drill.db") as db:
        stored = db.execute("SELECT a.answer, d.words, d.speaking_seconds, d.words_per_minute, d.fillers,"
                            " d.fillers_per_minute, d.longest_pause_seconds, d.longest_pause_at, d.audio_path"
                            " FROM answers a JOIN answer_delivery d ON d.answer_id = a.id").fetchall()
    assert stored == [("I would invalidate the cache on writes and set a TTL.", 12, 4.7, 153.2, '{"um": 1}',
                       12.8, 0.1, 0.3, None)]


def test_listen_without_a_recorder_or_a_model_stops_before_the_round(drill_env, tiny_bank, tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()

    def run(*extra: str) -> subprocess.CompletedProcess:
        return subprocess.run([DRILL, *round_args(tiny_bank, "--listen", *extra)], capture_output=True, text=True,
                              env={**drill_env, "PATH": str(empty)}, timeout=60)

    done = run("--stt-model", "whisper-1", "--stt-api-base", "http://127.0.0.1:9/v1")
    assert (done.returncode, done.stderr) == (2, "error: --listen needs a way to record: install alsa-utils "
                                                 "(arecord) or sox, or set DRILL_AUDIO_IN=FILE.wav to answer "
                                                 "from a recording\n")
    done = subprocess.run([DRILL, *round_args(tiny_bank, "--listen")], capture_output=True, text=True,
                          env={**drill_env, "DRILL_AUDIO_IN": str(tmp_path / "none.wav")}, timeout=60)
    assert (done.returncode, done.stderr) == (2, f"error: DRILL_AUDIO_IN={tmp_path / 'none.wav'}: no such file — "
                                                 "name a WAV recording\n")


def listen_round(tmux, drill_env, tiny_bank, spoken: Path, server: FakeSttServer, temp: Path, *extra: str):
    """A one-question --listen round in tmux, recording from `spoken`, with TMPDIR=`temp`."""
    temp.mkdir(exist_ok=True)
    command = [DRILL, *round_args(tiny_bank, "--count", "1", "--seed", "1", "--no-follow-ups", "--listen",
                                  "--stt-model", "whisper-1", "--stt-api-base", server.base_url, *extra)]
    t = tmux(110, 30, command, {**drill_env, "DRILL_AUDIO_IN": str(spoken), "TMPDIR": str(temp)})
    t.wait_for("Ctrl-T: record")
    return t


def record_a_while(t, then: str) -> str:
    """Ctrl-T, a few seconds of recording, Ctrl-T: the screen once `then` shows."""
    t.keys("C-t")
    wait_for(lambda: re.search(r"● recording 0:0[2-9]", t.screen()), timeout=30)
    t.keys("C-t")
    return t.wait_for(then, timeout=60)


def test_bad_word_times_from_the_server_still_put_the_transcript_in_the_box(tmux, drill_env, drill_home, tiny_bank,
                                                                            spoken, tmp_path):
    with FakeSttServer(mode="bad_times") as server:
        t = listen_round(tmux, drill_env, tiny_bank, spoken, server, tmp_path / "temp")
        screen = record_a_while(t, "transcript inserted — correct it, then submit with Esc Enter")
        assert "Traceback" not in screen and "Unhandled exception" not in screen
        assert re.search(r"> audio \d+(\.\d+)?s", screen), screen


def test_with_keep_audio_a_recording_that_failed_to_transcribe_is_kept(tmux, drill_env, drill_home, tiny_bank,
                                                                       spoken, tmp_path):
    with FakeSttServer(mode="server_error") as server:
        t = listen_round(tmux, drill_env, tiny_bank, spoken, server, tmp_path / "temp", "--keep-audio")
        screen = record_a_while(t, "failed (the server answered 500)")
        t.keys("-l", "I typed my answer instead")
        t.keys("Escape", "Enter")
        t.wait_for("Saved as session", timeout=60)
    with sqlite3.connect(drill_home / "drill.db") as db:
        session_id, = db.execute("SELECT id FROM sessions").fetchone()
        assert db.execute("SELECT answer FROM answers").fetchall() == [("I typed my answer instead",)]
    kept = drill_home / "audio" / session_id / "01-main-untranscribed-1.wav"
    assert "this recording was not transcribed; kept at " in " ".join(screen.split()), screen
    with wave.open(str(kept), "rb") as wav:
        assert wav.getnframes() > 0
    assert list((tmp_path / "temp").iterdir()) == []  # the temporary recording went once it was kept


def test_without_keep_audio_the_candidate_is_told_the_recording_was_not_transcribed(tmux, drill_env, drill_home,
                                                                                    tiny_bank, spoken, tmp_path):
    with FakeSttServer(mode="server_error") as server:
        t = listen_round(tmux, drill_env, tiny_bank, spoken, server, tmp_path / "temp")
        screen = record_a_while(t, "failed (the server answered 500)")
        assert "this recording was not transcribed; it is at " in " ".join(screen.split()), screen
        t.keys("-l", "typed")
        t.keys("Escape", "Enter")
        t.wait_for("Saved as session", timeout=60)
    assert not (drill_home / "audio").exists()
    assert list((tmp_path / "temp").iterdir()) == []


def test_time_running_out_while_transcribing_waits_for_the_transcript_and_keeps_it(tmux, drill_env, drill_home,
                                                                                  tiny_bank, spoken, tmp_path):
    with FakeSttServer(latency=5.0) as server:  # the transcript comes 5 s after the recording stops
        t = listen_round(tmux, drill_env, tiny_bank, spoken, server, tmp_path / "temp", "--minutes", "0.25")
        t.keys("C-t")
        wait_for(lambda: re.search(r"0:0[1-4] left", t.screen()), timeout=30)
        t.keys("C-t")  # time runs out while the server is still transcribing
        t.wait_for("Saved as session", timeout=60)
    with sqlite3.connect(drill_home / "drill.db") as db:
        answer, auto_submitted, answer_id = db.execute("SELECT answer, auto_submitted, id FROM answers").fetchone()
        words = db.execute("SELECT words FROM answer_delivery WHERE answer_id = ?", (answer_id,)).fetchall()
    assert re.fullmatch(r"audio \d+(\.\d+)?s", answer) and auto_submitted == 1, answer
    assert len(words) == 1 and words[0][0] >= 2  # the delivery of the words that reached the box


def test_a_transcript_that_comes_too_late_is_dropped_with_its_delivery(tmux, drill_env, drill_home, tiny_bank,
                                                                       spoken, tmp_path):
    with FakeSttServer(latency=14.0) as server:  # later than the box waits for it once time is up (8 s)
        t = listen_round(tmux, drill_env, tiny_bank, spoken, server, tmp_path / "temp", "--minutes", "0.15")
        t.keys("C-t")
        wait_for(lambda: re.search(r"0:0[1-4] left", t.screen()), timeout=30)
        t.keys("C-t")
        t.wait_for("waiting a moment for the transcript", timeout=30)
        t.wait_for("Saved as session", timeout=60)
    with sqlite3.connect(drill_home / "drill.db") as db:
        assert db.execute("SELECT answer, auto_submitted FROM answers").fetchall() == [("", 1)]
        assert db.execute("SELECT COUNT(*) FROM answer_delivery").fetchone() == (0,)


def test_quitting_while_transcribing_keeps_the_transcript_in_the_draft(tmux, drill_env, drill_home, tiny_bank,
                                                                      spoken, tmp_path):
    with FakeSttServer(latency=4.0) as server:
        t = listen_round(tmux, drill_env, tiny_bank, spoken, server, tmp_path / "temp")
        t.keys("C-t")
        wait_for(lambda: re.search(r"● recording 0:0[2-9]", t.screen()), timeout=30)
        t.keys("C-t")
        t.wait_for("transcribing")
        t.keys("C-c")
        t.wait_for("Quit now?", timeout=30)
        t.keys("y")
        t.wait_for("Pick up where you left off with: drill resume", timeout=30)
    with sqlite3.connect(drill_home / "drill.db") as db:
        drafts = db.execute("SELECT text FROM drafts WHERE kind = 'main'").fetchall()
    assert len(drafts) == 1 and re.fullmatch(r"audio \d+(\.\d+)?s", drafts[0][0]), drafts


def test_a_listening_round_resumed_where_it_cannot_listen_goes_on_in_text(drill_exe, drill_env, drill_home,
                                                                          tiny_bank, spoken):
    from terminal_helpers import ESC_ENTER, READY, finish, quit_at_second_question, spawn

    with FakeSttServer() as server:
        quit_at_second_question(drill_exe, round_args(tiny_bank, "--count", "2", "--seed", "1", "--no-follow-ups",
                                                      "--listen", "--stt-model", "whisper-1",
                                                      "--stt-api-base", server.base_url),
                                {**drill_env, "DRILL_AUDIO_IN": str(spoken)}, "Invalidation on writes")
    # the transcription server is gone: the round is resumed in text instead of refused
    child = spawn(drill_exe, ["resume", "--banks", str(tiny_bank)], {**drill_env, "DRILL_AUDIO_IN": str(spoken)})
    child.expect_exact(f"this round was spoken; resuming it in text: nothing is listening at {server.base_url}")
    child.expect_exact(READY)
    child.send("A queue absorbs spikes" + ESC_ENTER)
    child.expect_exact("That's all the questions I have.")
    finish(child)
    with sqlite3.connect(drill_home / "drill.db") as db:
        answers = db.execute("SELECT answer FROM answers ORDER BY position").fetchall()
        status = db.execute("SELECT status FROM sessions").fetchone()
    assert answers == [("Invalidation on writes",), ("A queue absorbs spikes",)]
    assert status == ("scored",)
