"""Speed as felt, in one run: `drill --help`, `drill banks list`/`show` (warm bank index) and Enter to the
first question, each beside `python -c pass`; medians, with the CPU time that machine load does not inflate.

    .venv/bin/python benchmarks/startup.py [RUNS]

Goals: --help well under 0.2 s; banks list and show <= 0.15 s; the first question <= 0.25 s.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from first_question import drill_env, one_run  # noqa: E402

GOALS = {"drill --help": 0.2, "drill banks list": 0.15, "drill banks show netflix backend": 0.15,
         "first question (Enter to panel)": 0.25}


def timed(command: list[str], runs: int, env: dict) -> tuple[float, float]:
    """(median wall seconds, median CPU seconds of the child) over `runs` runs."""
    walls, cpus = [], []
    subprocess.run(command, capture_output=True, env=env, check=True)  # warm-up: file and bytecode caches
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 11
    drill = str(Path(sys.executable).with_name("drill"))
    rows = []
    with tempfile.TemporaryDirectory(prefix="drill-bench-") as home:
        env = drill_env(home)
        subprocess.run([drill, "banks", "list"], env=env, capture_output=True, check=True)  # fills the bank index
        rows.append(("python -c pass", *timed([sys.executable, "-c", "pass"], runs, env)))
        rows.append(("drill --help", *timed([drill, "--help"], runs, env)))
        rows.append(("drill banks list", *timed([drill, "banks", "list"], runs, env)))
        rows.append(("drill banks show netflix backend", *timed([drill, "banks", "show", "netflix", "backend"], runs, env)))
        args = ["netflix", "backend", "--round", "system-design"]
        one_run(args, home)  # warm-up
        firsts = [one_run(args, home) for _ in range(runs)]
        rows.append(("first question (Enter to panel)", statistics.median(f[0] for f in firsts),
                     statistics.median(f[2] for f in firsts)))
    baseline = rows[0][1]
    print(f"{'':34} {'wall':>8} {'CPU':>8} {'vs python -c pass':>18}   goal   ({runs} runs, median;"
          f" load average {os.getloadavg()[0]:.1f})")
    for name, wall, cpu in rows:
        goal = f"<= {GOALS[name]:.2f} s" if name in GOALS else ""
        print(f"{name:34} {wall:7.3f}s {cpu:7.3f}s {wall / baseline:17.1f}x   {goal}")


if __name__ == "__main__":
    main()
