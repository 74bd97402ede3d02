"""Time from Enter to the first question on screen, in a real pseudo-terminal, without an LLM.

Spawns the installed `drill netflix backend --round system-design` in a pty (pexpect) with a
fresh DRILL_HOME and no model configured, and measures two moments after the spawn:

    question  the first question panel's title ("Question 1 of N") has been printed
    editor    prompt-toolkit is live and accepting keys (it turned on bracketed paste)

and the CPU time the process had used when the question appeared (from /proc), which a
busy machine does not inflate the way it inflates wall time.

Each figure is the median of --runs runs, after one warm-up run (which fills the OS file
cache and Python's bytecode cache, as any second use of drill would). Goal: question <= 0.3 s.

    .venv/bin/python benchmarks/first_question.py            # print the figures
    .venv/bin/python benchmarks/first_question.py --check    # exit 1 when the goal is missed
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

GOAL_SECONDS = 0.3
DRILL = str(Path(sys.executable).with_name("drill"))
READY = "\x1b[?2004h"


def cpu_seconds(pid: int) -> float:
    """User + system CPU the process has used so far (Linux /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def drill_env(home: str) -> dict[str, str]:
    """The environment of a drill run with its home in `home`, keeping the bytecode cache: without it an
    editable checkout compiles every module on every run, which no user's second run does."""
    dropped = ("COLUMNS", "LINES", "PYTHONDONTWRITEBYTECODE")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DRILL_") and k not in dropped}
    return {**env, "DRILL_HOME": home, "TERM": "xterm-256color", "PROMPT_TOOLKIT_NO_CPR": "1"}


def one_run(args: list[str], home: str) -> tuple[float, float, float]:
    import pexpect

    env = drill_env(home)
    started = time.perf_counter()
    child = pexpect.spawn(DRILL, args, env=env, dimensions=(40, 120), encoding="utf-8", timeout=30)
    try:
        child.expect_exact("Question 1 of")
        question = time.perf_counter() - started
        cpu = cpu_seconds(child.pid)
        child.expect_exact(READY)
        editor = time.perf_counter() - started
    finally:
        child.kill(9)
        child.close()
    return question, editor, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--check", action="store_true", help="exit 1 when the median misses the goal")
    parser.add_argument("args", nargs="*", default=["netflix", "backend", "--round", "system-design"])
    options = parser.parse_args()
    questions, editors, cpus = [], [], []
    with tempfile.TemporaryDirectory(prefix="drill-bench-") as home:
        one_run(options.args, home)  # warm-up
        for _ in range(options.runs):
            q, e, c = one_run(options.args, home)
            questions.append(q)
            editors.append(e)
            cpus.append(c)
    q_median, e_median = statistics.median(questions), statistics.median(editors)
    print(f"drill {' '.join(options.args)}  ({options.runs} runs, median)")
    print(f"  first question on screen: {q_median:.3f} s   (min {min(questions):.3f}, max {max(questions):.3f};"
          f" goal <= {GOAL_SECONDS} s)")
    print(f"  editor ready for keys:    {e_median:.3f} s   (min {min(editors):.3f}, max {max(editors):.3f})")
    print(f"  CPU used by the question: {statistics.median(cpus):.3f} s   (user + system; steady under load,"
          f" unlike wall time; load average now {os.getloadavg()[0]:.1f})")
    if options.check and q_median > GOAL_SECONDS:
        print(f"FAIL: {q_median:.3f} s > {GOAL_SECONDS} s")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
