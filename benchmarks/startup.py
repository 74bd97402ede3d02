"""Start-up time: median wall time of `drill --help` beside `python -c pass`.

Run: .venv/bin/python benchmarks/startup.py [RUNS]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def median_seconds(command: list[str], runs: int, env: dict) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    drill = str(Path(sys.executable).with_name("drill"))
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "DRILL_HOME": home}
        baseline = median_seconds([sys.executable, "-c", "pass"], runs, env)
        help_time = median_seconds([drill, "--help"], runs, env)
        banks_time = median_seconds([drill, "banks", "list"], runs, env)
    print(f"python -c pass     {baseline * 1000:7.1f} ms (median of {runs})")
    print(f"drill --help       {help_time * 1000:7.1f} ms (goal < 200 ms)")
    print(f"drill banks list   {banks_time * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
