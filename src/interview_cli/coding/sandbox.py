"""Where candidate code runs: a fresh process with rlimits, inside bubblewrap when it works.

This guards against accidents and careless code (infinite loops, fork bombs, memory
blow-ups, stray writes, network calls), not against a determined attacker.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass

MIB = 1024 * 1024
OUTPUT_CAP_BYTES = 64 * 1024
SANDBOX_ENV = "DRILL_SANDBOX"  # "rlimits" turns bubblewrap off


@dataclass(frozen=True)
class Limits:
    """rlimits the harness sets on itself before the candidate's code loads."""

    cpu_seconds: int = 30
    address_space_bytes: int = 512 * MIB
    extra_processes: int = 32  # on top of the tasks the user already runs (root is exempt)
    file_size_bytes: int = 8 * MIB
    open_files: int = 64

    def for_harness(self) -> dict:
        return asdict(self) | {"processes": _task_count() + self.extra_processes}


@functools.cache
def _task_count() -> int:
    """Threads and processes this user ran when first asked: RLIMIT_NPROC counts all of them.

    Counted once per drill process; root is exempt from RLIMIT_NPROC, so nothing is counted for it."""
    uid = os.getuid()
    if uid == 0:
        return 0
    count = 0
    try:
        pids = [p for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        return 1024
    for pid in pids:
        try:
            if os.stat(f"/proc/{pid}").st_uid == uid:
                count += len(os.listdir(f"/proc/{pid}/task"))
        except OSError:
            continue
    return count


@dataclass(frozen=True)
class Isolation:
    """Whether bubblewrap (no network, read-only filesystem) is used, and why not if not."""

    available: bool
    reason: str = ""

    def notice(self) -> str | None:
        """The one line a round shows when code runs without isolation."""
        if self.available:
            return None
        return (
            "Code runs with CPU, memory and process limits, but network and file isolation "
            f"are unavailable: {self.reason}."
        )


def bwrap_prefix(workdir: str) -> list[str]:
    """bubblewrap: no namespaces shared, a read-only view of / and only `workdir` writable.

    / is bound as is, so an interpreter anywhere (a venv under /tmp included) stays visible.
    """
    return [
        "bwrap",
        "--unshare-all",
        "--die-with-parent",
        "--cap-drop", "ALL",
        "--ro-bind", "/", "/",
        "--dev", "/dev",
        "--proc", "/proc",
        "--bind", workdir, workdir,
        "--chdir", workdir,
        "--",
    ]


@functools.cache
def isolation() -> Isolation:
    """Checked once per process: can bubblewrap start this interpreter here?"""
    if os.environ.get(SANDBOX_ENV, "").lower() == "rlimits":
        return Isolation(False, f"turned off by {SANDBOX_ENV}=rlimits")
    if shutil.which("bwrap") is None:
        return Isolation(False, "bubblewrap (bwrap) is not installed")
    workdir = make_workdir()
    try:
        probe = subprocess.run(
            [*bwrap_prefix(workdir), sys.executable, "-I", "-S", "-c", "pass"],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=10,
            env=scrubbed_env(workdir),
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return Isolation(False, f"bwrap could not start ({error})")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if probe.returncode != 0:
        lines = probe.stderr.decode(errors="replace").strip().splitlines()
        return Isolation(False, f"bwrap cannot run here ({lines[-1] if lines else probe.returncode})")
    return Isolation(True)


def make_workdir() -> str:
    import tempfile

    return tempfile.mkdtemp(prefix="drill-run-")


def scrubbed_env(workdir: str) -> dict[str, str]:
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": workdir,
        "TMPDIR": workdir,
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
    }


def start(argv: list[str], workdir: str, *, isolated: bool, pass_fds: tuple[int, ...]) -> subprocess.Popen:
    """Starts `argv` in its own session (so its whole process group can be killed)."""
    command = [*bwrap_prefix(workdir), *argv] if isolated else argv
    return subprocess.Popen(
        command,
        cwd=workdir,
        env=scrubbed_env(workdir),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        pass_fds=pass_fds,
        start_new_session=True,
    )


def kill_group(process: subprocess.Popen) -> None:
    import signal

    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.wait()
