"""Spoken answers: how long drill takes to turn a stopped recording into text, and the memory a long
recording needs.

    stop-to-text  a 60-second answer (espeak-ng speech padded with silence, 16 kHz mono) recorded
                  from a file as --listen records it, then stopped: the time from stopping to the
                  transcript being ready for the answer box (the same Listening.finish the box
                  calls), with the fake OpenAI-compatible server on 127.0.0.1 answering at once, so
                  all of it is drill's overhead plus one local HTTP round trip (litellm imported
                  beforehand, as --listen does in the background when the round starts). With
                  DRILL_BENCH_WHISPERCPP_MODEL=/path/ggml-*.bin, the same through whisper.cpp.
    recording     peak memory while recording a 40-minute file (DRILL_AUDIO_IN, read as fast as
                  it goes): the process's peak RSS growth and Python's peak allocation.

Goal: stop-to-text at most 0.2 s of drill overhead; memory flat in the recording's length.

    .venv/bin/python benchmarks/voice.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
GOAL_SECONDS = 0.2
RATE = 16000


def sixty_seconds(folder: Path) -> Path:
    """About 60 s of 16 kHz mono speech: espeak-ng sentences, else a tone, padded with silence."""
    speech = folder / "speech.wav"
    frames = b""
    if shutil.which("espeak-ng"):
        text = "I would put a cache in front of the product database and invalidate entries on writes. " * 6
        subprocess.run(["espeak-ng", "-w", str(speech), text], check=True, capture_output=True)
        with wave.open(str(speech), "rb") as wav:
            frames = wav.readframes(wav.getnframes())
            rate = wav.getframerate()
    else:
        rate = RATE
    target = folder / "answer.wav"
    with wave.open(str(target), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(frames[: rate * 2 * 60])
        out.writeframes(bytes(max(0, rate * 2 * 60 - len(frames))))
    return target


def record_whole(path: Path):
    from interview_cli.voice.record import AUDIO_IN, start_recording

    os.environ[AUDIO_IN] = str(path)
    recording = start_recording(paced=False)
    while recording._thread.is_alive():
        time.sleep(0.01)
    return recording


def stop_to_text(path: Path, stt_model: str, api_base: str | None, runs: int, server=None) -> list[float]:
    """Seconds from stopping the recording to its text, less the fake server's own time when given."""
    from interview_cli.rounds.options import RoundOptions
    from interview_cli.rounds.voice import Listening
    from interview_cli.voice.llm import warm_up

    warm_up()
    listening = Listening(RoundOptions(stt_model=stt_model, stt_api_base=api_base))
    times = []
    for _ in range(runs + 1):  # the first run pays one-off costs (litellm's HTTP client); not counted
        recording = record_whole(path)
        started = time.perf_counter()
        text = listening.finish(recording)
        spent = time.perf_counter() - started
        times.append(spent - (server.requests[-1].handled_seconds if server is not None else 0.0))
        assert text.strip()
        listening.reset()
    return times[1:]


def forty_minutes(folder: Path) -> Path:
    path = folder / "forty.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        for _ in range(40):
            out.writeframes(bytes(RATE * 2 * 60))
    return path


def recording_memory(path: Path) -> tuple[float, float, float]:
    """(seconds recorded, peak RSS growth in MiB, Python's peak allocation in MiB) while recording `path`."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    recording = record_whole(path)
    recording.stop()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    recording.path.unlink(missing_ok=True)
    return recording.seconds, (after - before) / 1024, peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from fake_stt_server import FakeSttServer

    with tempfile.TemporaryDirectory(prefix="drill-bench-voice-") as tmp:
        folder = Path(tmp)
        os.environ.setdefault("DRILL_HOME", str(folder / "home"))
        answer = sixty_seconds(folder)
        seconds, rss, python_peak = recording_memory(forty_minutes(folder))
        print(f"recording {seconds / 60:.0f} minutes from a file: peak RSS +{rss:.1f} MiB, "
              f"Python peak allocation {python_peak:.2f} MiB")
        with FakeSttServer() as server:
            total = stop_to_text(answer, "whisper-1", server.base_url, args.runs)
            times = stop_to_text(answer, "whisper-1", server.base_url, args.runs, server)
        print(f"stop to text, 60-s answer, fake server, in all: median {statistics.median(total) * 1000:.0f} ms")
        print(f"stop to text, 60-s answer, fake server, without the server's own time: median {statistics.median(times) * 1000:.0f} ms, "
              f"max {max(times) * 1000:.0f} ms over {len(times)} runs (goal ≤ {GOAL_SECONDS * 1000:.0f} ms)")
        model = os.environ.get("DRILL_BENCH_WHISPERCPP_MODEL")
        if model:
            times = stop_to_text(answer, f"whispercpp:{model}", None, args.runs)
            print(f"stop to text, 60-s answer, whisper.cpp {Path(model).name}: median "
                  f"{statistics.median(times):.1f} s over {len(times)} runs")
        else:
            print("whisper.cpp: skipped (set DRILL_BENCH_WHISPERCPP_MODEL=/path/to/ggml-base.en.bin)")


if __name__ == "__main__":
    main()
