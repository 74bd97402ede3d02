"""`drill COMPANY ROLE --answers-audio DIR`: recorded answers (spoken by espeak-ng) transcribed by a real
OpenAI-compatible server on 127.0.0.1, stored with their delivery, reported and trended."""

from __future__ import annotations

import json
import shutil
import socket
import sqlite3
import subprocess
import sys
import wave
from pathlib import Path

import pytest

from fake_stt_server import FakeSttServer, frames_sha256

DRILL = str(Path(sys.executable).with_name("drill"))

CACHE_SAID = "I would invalidate the cache on writes and set a TTL, um, like, five minutes."
CACHE_WORDS = [("Um,", 0.0, 0.4), ("I", 0.6, 0.7), ("would", 0.7, 0.9), ("invalidate", 0.9, 1.5),
               ("the", 1.5, 1.6), ("cache", 1.6, 2.0), ("on", 2.0, 2.1), ("writes,", 2.1, 2.6),
               ("like,", 3.0, 3.3), ("and", 9.3, 9.5), ("set", 9.5, 9.7), ("a", 9.7, 9.8), ("TTL.", 9.8, 10.4)]
CACHE_TEXT = "Um, I would invalidate the cache on writes, like, and set a TTL."
QUEUE_SAID = "A queue decouples the producer from the consumer."
QUEUE_WORDS = [("Decoupling", 0.2, 0.9), ("producer", 1.0, 1.6), ("from", 1.6, 1.8), ("consumer,", 1.8, 2.4),
               ("and", 2.5, 2.6), ("backpressure.", 2.6, 3.6)]
QUEUE_TEXT = "Decoupling producer from consumer, and backpressure."


def espeak(path: Path, sentence: str) -> Path:
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (.ci/run installs it with apt-get)")
    subprocess.run(["espeak-ng", "-w", str(path), sentence], check=True, capture_output=True)
    return path


@pytest.fixture
def voice(tmp_path: Path, tiny_bank: Path, drill_env: dict, drill_home: Path):
    answers = tmp_path / "answers"
    answers.mkdir()
    with FakeSttServer() as server:
        def drill(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
            return subprocess.run([DRILL, *args], capture_output=True, text=True, env={**drill_env, **(env or {})},
                                  timeout=300)

        def round_(*extra: str, env: dict | None = None, model: str = "whisper-1") -> subprocess.CompletedProcess:
            return drill("acme", "backend", "--banks", str(tiny_bank), "-r", "design", "--answers-audio",
                         str(answers), "--stt-model", model, "--stt-api-base", server.base_url, *extra, env=env)

        drill.round = round_
        drill.server = server
        drill.answers = answers
        drill.home = drill_home
        yield drill


def record(voice, question_id: str, said: str, heard: list[tuple[str, float, float]]) -> Path:
    path = espeak(voice.answers / f"{question_id}.wav", said)
    voice.server.scripts[frames_sha256(path)] = heard
    return path


def rows(home: Path, sql: str) -> list[tuple]:
    if not (home / "drill.db").exists():
        return []
    with sqlite3.connect(home / "drill.db") as db:
        return [tuple(r) for r in db.execute(sql)]


CACHE_DELIVERY = {
    "stt_model": "whisper-1", "timing": "words", "words": 13, "speaking_seconds": 10.4, "limit_seconds": 120.0,
    "words_per_minute": 75.0, "fillers": {"like": 1, "um": 1}, "filler_count": 2, "fillers_per_minute": 11.5,
    "longest_pause_seconds": 6.0, "longest_pause_at": 3.3, "last_minute_share": None,
    "notes": ["too many fillers: 11.5/min (above 4; like ×1, um ×1)", "long pause: 6 s at 0:03"],
}


def test_recorded_answers_are_transcribed_stored_and_measured(voice):
    cache = record(voice, "cache-basics", CACHE_SAID, CACHE_WORDS)
    queue = record(voice, "queue-basics", QUEUE_SAID, QUEUE_WORDS)
    done = voice.round("--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert [(q["id"], q["answer"]) for q in result["questions"]] == [("cache-basics", CACHE_TEXT),
                                                                      ("queue-basics", QUEUE_TEXT)]
    assert result["questions"][0]["delivery"] == CACHE_DELIVERY
    assert result["questions"][1]["delivery"] == {
        "stt_model": "whisper-1", "timing": "words", "words": 6, "speaking_seconds": 3.4, "limit_seconds": 120.0,
        "words_per_minute": 105.9, "fillers": {}, "filler_count": 0, "fillers_per_minute": 0.0,
        "longest_pause_seconds": 0.1, "longest_pause_at": 0.9, "last_minute_share": None, "notes": [],
    }
    # what the server received: each recording's own samples, asking for word timestamps
    uploads = voice.server.requests
    assert [frames_sha256(u.audio) for u in uploads] == [frames_sha256(cache), frames_sha256(queue)]
    assert uploads[0].fields == {"model": ["whisper-1"], "response_format": ["verbose_json"],
                                 "timestamp_granularities[]": ["word", "segment"]}
    assert rows(voice.home, "SELECT a.question_id, a.answer, d.words, d.fillers, d.fillers_per_minute,"
                            " d.audio_path FROM answer_delivery d JOIN answers a ON a.id = d.answer_id"
                            " ORDER BY d.position") == [
        ("cache-basics", CACHE_TEXT, 13, '{"like": 1, "um": 1}', 11.5, None),
        ("queue-basics", QUEUE_TEXT, 6, "{}", 0.0, None),
    ]
    assert not (voice.home / "audio").exists()  # not kept without --keep-audio
    assert cache.exists() and queue.exists()  # the candidate's own files are left alone
    assert done.stderr == ""  # --json: nothing but the JSON


def test_progress_is_one_line_per_recording(voice):
    record(voice, "cache-basics", CACHE_SAID, CACHE_WORDS)
    record(voice, "queue-basics", QUEUE_SAID, QUEUE_WORDS)
    done = voice.round()
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == [
        "Transcribing cache-basics.wav (1 of 2) with whisper-1…",
        "Transcribing queue-basics.wav (2 of 2) with whisper-1…",
    ]


def test_the_result_and_the_reports_show_delivery_apart_from_the_score(voice):
    record(voice, "cache-basics", CACHE_SAID, CACHE_WORDS)
    done = voice.round(env={"COLUMNS": "140"})
    assert done.returncode == 0, done.stderr
    screen = [line.strip("│ ") for line in done.stdout.splitlines()]
    at = screen.index("Delivery (spoken; not part of the score)")
    assert screen[at + 1:at + 4] == [
        "0:10 of 2:00 · 75 words/min · fillers 11.5/min (like ×1, um ×1) · longest pause 6 s",
        "! too many fillers: 11.5/min (above 4; like ×1, um ×1)",
        "! long pause: 6 s at 0:03",
    ]
    session_id = rows(voice.home, "SELECT id FROM sessions")[0][0]
    markdown = voice("report", session_id).stdout
    assert ("**Delivery** (spoken; not part of the score). 0:10 of 2:00 · 75 words/min · fillers 11.5/min "
            "(like ×1, um ×1) · longest pause 6 s\n\n- too many fillers: 11.5/min (above 4; like ×1, um ×1)\n"
            "- long pause: 6 s at 0:03\n") in markdown
    html = voice("report", session_id, "--format", "html").stdout
    assert ('<p class="breakdown">0:10 of 2:00 · 75 words/min · fillers 11.5/min (like ×1, um ×1) · '
            'longest pause 6 s</p>') in html
    assert '<li><span class="mark mid">!</span>long pause: 6 s at 0:03</li>' in html


def test_kept_recordings_live_under_drill_home_until_the_session_is_discarded(voice):
    cache = record(voice, "cache-basics", CACHE_SAID, CACHE_WORDS)
    done = voice.round("--keep-audio", "--json")
    assert done.returncode == 0, done.stderr
    session_id = json.loads(done.stdout)["session_id"]
    kept = voice.home / "audio" / session_id / "01-main.wav"
    assert kept.read_bytes() == cache.read_bytes()
    assert rows(voice.home, "SELECT audio_path FROM answer_delivery") == [(str(kept),)]
    gone = voice("discard", session_id, "--yes")
    assert (gone.returncode, gone.stdout) == (0, f"Discarded session {session_id} and its 1 kept recording(s).\n")
    assert not (voice.home / "audio" / session_id).exists()
    assert rows(voice.home, "SELECT COUNT(*) FROM answer_delivery") == [(0,)]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("case", ["no_stt_model", "missing_model_file", "not_a_model", "no_pywhispercpp",
                                  "nothing_listening", "missing_key", "bare_openai_name_without_key",
                                  "no_provider"])
def test_preflight_fails_in_one_line_before_the_round(voice, tmp_path: Path, case: str):
    record(voice, "cache-basics", CACHE_SAID, CACHE_WORDS)
    base = ["acme", "backend", "--banks", str(voice.answers.parent / "banks"), "-r", "design",
            "--answers-audio", str(voice.answers)]
    model_file = tmp_path / "ggml-base.en.bin"
    args, env = [], {"OPENAI_API_KEY": ""}
    if case == "no_stt_model":
        expected = ("error: --answers-audio needs --stt-model: whispercpp:/path/to/ggml-base.en.bin (offline) or a "
                    "transcription model such as openai/whisper-1 — see: drill voice setup")
    elif case == "missing_model_file":
        args = ["--stt-model", f"whispercpp:{model_file}"]
        expected = f"error: no whisper.cpp model file at {model_file} — see: drill voice setup"
    elif case == "not_a_model":
        model_file.write_bytes(b"<html>not found</html>")
        args = ["--stt-model", f"whispercpp:{model_file}"]
        expected = f"error: {model_file} is not a whisper.cpp (ggml) model file — see: drill voice setup"
    elif case == "no_pywhispercpp":
        model_file.write_bytes(b"lmgg" + bytes(64))
        args = ["--stt-model", f"whispercpp:{model_file}"]
        expected = ("error: --stt-model whispercpp: needs pywhispercpp, which is not installed — "
                    "pip install pywhispercpp==1.5.1 (the whispercpp extra)")
    elif case == "nothing_listening":
        port = _closed_port()
        args = ["--stt-model", "whisper-1", "--stt-api-base", f"http://127.0.0.1:{port}/v1"]
        expected = (f"error: nothing is listening at http://127.0.0.1:{port}/v1 — start the transcription server "
                    "or fix --stt-api-base")
    elif case == "bare_openai_name_without_key":  # litellm sends a bare whisper-1 to OpenAI
        args = ["--stt-model", "whisper-1"]
        expected = ("error: --stt-model whisper-1 needs an API key: set OPENAI_API_KEY, or transcribe "
                    "offline with --stt-model whispercpp:/path/to/model.bin")
    elif case == "no_provider":
        args = ["--stt-model", "whisperx"]
        expected = ("error: --stt-model whisperx names no provider — write it as provider/model (e.g. "
                    "openai/whisper-1), or pass --stt-api-base URL for a server of your own")
    else:
        args = ["--stt-model", "openai/whisper-1"]
        expected = ("error: --stt-model openai/whisper-1 needs an API key: set OPENAI_API_KEY, or transcribe "
                    "offline with --stt-model whispercpp:/path/to/model.bin")
    done = voice(*base, *args, env=env)
    assert (done.returncode, done.stderr.splitlines(), done.stdout) == (2, [expected], "")
    assert rows(voice.home, "SELECT COUNT(*) FROM sessions") in ([], [(0,)])
    assert voice.server.requests == []


def test_corrupt_audio_is_one_line_and_stores_nothing(voice):
    record(voice, "cache-basics", CACHE_SAID, CACHE_WORDS)
    broken = voice.answers / "queue-basics.wav"
    broken.write_bytes(b"RIFF\x10\x00\x00\x00WAVEjunkjunkjunk")
    done = voice.round()
    assert done.returncode == 2
    assert done.stderr.splitlines() == [  # before anything is sent
        f"error: cannot read {broken}: not a PCM WAV file drill can read (the file is cut short) — "
        "record it again, or convert it: ffmpeg -i IN -ac 1 -ar 16000 OUT.wav"
    ]
    assert voice.server.requests == []
    assert rows(voice.home, "SELECT COUNT(*) FROM sessions") in ([], [(0,)])
    assert broken.read_bytes() == b"RIFF\x10\x00\x00\x00WAVEjunkjunkjunk"


@pytest.mark.parametrize("mode, status, expected", [
    ("empty", 1, "error: whisper-1 heard no words in cache-basics.wav — is the recording silent? "
                 "Nothing was stored for it"),
    ("bad_request", 1, "error: transcribing with whisper-1 at {base} failed (the server answered 400): "),
    ("auth", 1, "error: transcribing with whisper-1 at {base} failed (check the API key): "),
])
def test_a_failing_or_empty_transcription_is_one_line_and_stores_nothing(voice, mode: str, status: int, expected: str):
    cache = record(voice, "cache-basics", CACHE_SAID, CACHE_WORDS)
    voice.server.mode = mode
    done = voice.round()
    assert done.returncode == status
    last = done.stderr.splitlines()[-1]
    assert last.startswith(expected.format(base=voice.server.base_url)), last
    assert len(done.stderr.splitlines()) == 2 and "Traceback" not in done.stderr
    assert rows(voice.home, "SELECT COUNT(*) FROM sessions") in ([], [(0,)])
    assert cache.exists()


def test_a_forty_minute_recording_is_sent_in_ten_minute_chunks(voice):
    long = voice.answers / "cache-basics.wav"
    with wave.open(str(long), "wb") as wav:  # 40 minutes of 8 kHz silence, written a minute at a time
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(8000)
        for _ in range(40):
            wav.writeframes(bytes(2 * 8000 * 60))
    done = voice.round("--json")
    assert done.returncode == 0, done.stderr
    assert [round(u.seconds) for u in voice.server.requests] == [600, 600, 600, 600]
    assert [u.filename for u in voice.server.requests] == ["cache-basics.wav", "cache-basics-2.wav",
                                                           "cache-basics-3.wav", "cache-basics-4.wav"]
    question = json.loads(done.stdout)["questions"][0]
    # the fake hears "audio 600s" in the middle of each chunk; times land where each chunk starts
    assert question["answer"] == "audio 600s audio 600s audio 600s audio 600s"
    delivery = question["delivery"]
    assert (delivery["speaking_seconds"], delivery["longest_pause_seconds"], delivery["longest_pause_at"]) == \
        (1801.0, 599.0, 301.0)
    assert delivery["notes"][0] == "over time: spoke 30:01 of 2:00"


def test_stats_trend_delivery_week_by_week(voice):
    record(voice, "cache-basics", CACHE_SAID, CACHE_WORDS)
    assert voice.round(env={"DRILL_NOW": "2026-11-02T20:00:00+00:00"}).returncode == 0
    voice.server.scripts.clear()
    record(voice, "cache-basics", CACHE_SAID, [(w.strip(","), s, e) for w, s, e in CACHE_WORDS
                                               if w not in ("Um,", "like,")])
    assert voice.round(env={"DRILL_NOW": "2026-11-23T20:00:00+00:00"}).returncode == 0
    data = json.loads(voice("stats", "--json").stdout)["delivery"]
    assert data["first"] == {"words_per_minute": 75.0, "fillers_per_minute": 11.5, "longest_pause_seconds": 6.0}
    assert data["latest"]["fillers_per_minute"] == 0.0
    assert (data["answers"], data["span_weeks"], [w["week"] for w in data["weeks"]]) == (2, 3, ["2026-44", "2026-47"])
    out = voice("stats").stdout.splitlines()
    at = out.index("Delivery of spoken answers (2 answers)")
    assert out[at + 1] == "  filler words: 11.5/min → 0/min over 3 weeks"


def tone_and_silence(path: Path, pattern: list[tuple[str, float]]) -> Path:
    """A 16 kHz WAV of 440 Hz tone ("tone") and silence ("silence") stretches, in order."""
    import math

    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(16000)
        for kind, seconds in pattern:
            count = int(16000 * seconds)
            samples = [int(9000 * math.sin(2 * math.pi * 440 * i / 16000)) if kind == "tone" else 0
                       for i in range(count)]
            wav.writeframes(b"".join(s.to_bytes(2, "little", signed=True) for s in samples))
    return path


def test_without_timestamps_pauses_come_from_the_loudness_of_the_audio(voice):
    path = tone_and_silence(voice.answers / "cache-basics.wav", [("tone", 1.0), ("silence", 3.0), ("tone", 2.0)])
    voice.server.scripts[frames_sha256(path)] = [(w, 0.0, 0.0) for w in "Shard the table by user id.".split()]
    voice.server.mode = "text_only"  # what OpenAI answers verbose_json with for gpt-4o-transcribe
    done = voice.round("--json", model="gpt-4o-transcribe")
    assert done.returncode == 0, done.stderr
    assert [u.fields["response_format"] for u in voice.server.requests] == [["verbose_json"], ["json"]]
    question = json.loads(done.stdout)["questions"][0]
    assert question["answer"] == "Shard the table by user id."
    # the words spread over the loud stretches 0-1 s and 4-6 s in proportion to their length: 2 and 4
    assert {k: question["delivery"][k] for k in ("timing", "words", "speaking_seconds", "words_per_minute",
                                                  "longest_pause_seconds", "longest_pause_at")} == {
        "timing": "energy", "words": 6, "speaking_seconds": 6.0, "words_per_minute": 60.0,
        "longest_pause_seconds": 3.0, "longest_pause_at": 1.0}


def test_segment_times_spread_over_their_words(voice):
    record(voice, "cache-basics", CACHE_SAID, CACHE_WORDS)
    voice.server.mode = "segments"
    done = voice.round("--json")
    assert done.returncode == 0, done.stderr
    delivery = json.loads(done.stdout)["questions"][0]["delivery"]
    # one segment, 0.0-10.4 s, 13 words: 0.8 s each, no gaps between them
    assert (delivery["timing"], delivery["speaking_seconds"], delivery["words_per_minute"],
            delivery["longest_pause_seconds"]) == ("segments", 10.4, 75.0, 0.0)


def test_escape_sequences_in_a_transcript_never_reach_the_terminal(voice):
    record(voice, "cache-basics", CACHE_SAID, [("Invalidate\x1b[2J\x1b]0;pwned\x07", 0.0, 0.5), ("writes.", 0.6, 1.0)])
    done = voice.round()
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout and "\x07" not in done.stdout
    session_id = rows(voice.home, "SELECT id FROM sessions")[0][0]
    report = voice("report", session_id).stdout
    assert "> Invalidate writes.\n" in report and "\x1b" not in report


@pytest.mark.parametrize("mode, reason", [
    ("html", "Expected Content-Type response header to be `application/json` but received `text/html` instead."),
    ("text_list", "its text is a list, not a string"),
])
def test_an_answer_that_is_not_a_transcription_is_one_line_and_stores_nothing(voice, mode: str, reason: str):
    record(voice, "cache-basics", CACHE_SAID, CACHE_WORDS)
    voice.server.mode = mode
    done = voice.round()
    assert (done.returncode, done.stderr.splitlines()) == (1, [
        "Transcribing cache-basics.wav (1 of 1) with whisper-1…",
        f"error: transcribing with whisper-1 at {voice.server.base_url} failed (the server's answer is not a "
        f"transcription): {reason}"])
    assert rows(voice.home, "SELECT COUNT(*) FROM sessions") in ([], [(0,)])


def test_words_without_valid_times_are_left_out_of_the_delivery(voice):
    record(voice, "cache-basics", CACHE_SAID, CACHE_WORDS)
    voice.server.mode = "bad_times"  # the first word starts at "abc", the second ends at null
    done = voice.round("--json")
    assert (done.returncode, done.stderr) == (0, "")
    question = json.loads(done.stdout)["questions"][0]
    assert question["answer"] == CACHE_TEXT
    assert (question["delivery"]["timing"], question["delivery"]["words"]) == ("words", 11)
