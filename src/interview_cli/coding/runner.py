"""Runs a piece of code against a task's tests in the sandbox and collects per-test outcomes.

One process runs the tests in order. A test that exceeds its wall-clock limit gets its
whole process group killed; a fresh process then carries on with the next test, so one
infinite loop costs one test, not the run.
"""

from __future__ import annotations

import json
import math
import os
import selectors
import shutil
import signal
import time
from dataclasses import dataclass, field

from . import sandbox
from .languages import LanguageRunner, runner_for
from .model import CodeTask, RunReport, TestOutcome, TestStatus

STARTUP_GRACE_S = 5.0  # for the interpreter (and bwrap) to start and the code to load


class IsolationUnavailable(RuntimeError):
    """Isolation was demanded but bubblewrap does not work here."""


def run_code(
    task: CodeTask,
    source: str,
    *,
    isolate: bool | None = None,
    limits: sandbox.Limits | None = None,
    runner: LanguageRunner | None = None,
) -> RunReport:
    """Runs `source` against every test of `task`; never raises for anything the code does.

    `isolate`: None uses bubblewrap when it works; True demands it; False never uses it.
    `runner`: the language runner; by default the one registered for the task's language.
    """
    runner = runner or runner_for(task.language)
    available = sandbox.isolation().available
    if isolate and not available:
        raise IsolationUnavailable(sandbox.isolation().reason)
    isolated = available if isolate is None else isolate
    limits = limits or sandbox.Limits(cpu_seconds=_cpu_allowance(task))
    started = time.perf_counter()
    outcomes: dict[int, TestOutcome] = {}
    stderr = bytearray()
    next_test = 0
    while next_test < len(task.tests):
        workdir = sandbox.make_workdir()  # every process starts in an empty directory
        try:
            attempt = _Attempt(task, source, next_test, limits, isolated, workdir, runner)
            next_test = attempt.run(outcomes)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        stderr += attempt.stderr[: sandbox.OUTPUT_CAP_BYTES - len(stderr)]
    return RunReport(
        outcomes=tuple(outcomes[i] for i in range(len(task.tests))),
        isolated=isolated,
        seconds=time.perf_counter() - started,
        stderr=stderr.decode(errors="replace"),
    )


def _cpu_allowance(task: CodeTask) -> int:
    return math.ceil(task.time_limit_s * (len(task.tests) + 1)) + 2


@dataclass
class _Attempt:
    """One sandboxed process running tests from `first` on, until done, killed or crashed."""

    task: CodeTask
    source: str
    first: int
    limits: sandbox.Limits
    isolated: bool
    workdir: str
    runner: LanguageRunner
    stdout: bytearray = field(default_factory=bytearray)
    stderr: bytearray = field(default_factory=bytearray)
    current: int | None = None
    finished: bool = False
    spec_closed: bool = False

    def run(self, outcomes: dict[int, TestOutcome]) -> int:
        """Runs tests into `outcomes`; returns the index the next attempt should start at."""
        spec_read, spec_write = os.pipe()
        result_read, result_write = os.pipe()
        try:
            command = self.runner.command(spec_read, result_write)
            process = sandbox.start(
                command, self.workdir, isolated=self.isolated, pass_fds=(spec_read, result_write)
            )
        except OSError as error:
            os.close(spec_write)
            os.close(result_read)
            self._fill(outcomes, TestStatus.CRASHED, f"could not start the sandbox: {error}")
            return len(self.task.tests)
        finally:
            os.close(spec_read)
            os.close(result_write)
        try:
            return self._talk(process, spec_write, result_read, outcomes)
        finally:
            sandbox.kill_group(process)
            process.stdout.close()
            process.stderr.close()
            os.close(result_read)
            if not self.spec_closed:
                os.close(spec_write)

    def _spec(self) -> bytes:
        spec = {
            "source": self.source,
            "entry": {"kind": self.task.entry.kind.value, "name": self.task.entry.name},
            "tests": [
                {"args": json.dumps(t.args), "expected": json.dumps(t.expected)} for t in self.task.tests
            ],
            "start": self.first,
            "compare": self.task.compare.value,
            "limits": self.limits.for_harness(),
        }
        return json.dumps(spec).encode()

    def _talk(self, process, spec_write: int, result_read: int, outcomes) -> int:
        selector = selectors.DefaultSelector()
        try:
            return self._select_loop(selector, process, spec_write, result_read, outcomes)
        finally:
            selector.close()

    def _select_loop(self, selector, process, spec_write: int, result_read: int, outcomes) -> int:
        pending = memoryview(self._spec())
        os.set_blocking(spec_write, False)
        selector.register(spec_write, selectors.EVENT_WRITE, "spec")
        selector.register(result_read, selectors.EVENT_READ, "result")
        selector.register(process.stdout, selectors.EVENT_READ, "stdout")
        selector.register(process.stderr, selectors.EVENT_READ, "stderr")
        lines = bytearray()
        deadline = time.monotonic() + STARTUP_GRACE_S + self.task.time_limit_s
        result_open = True
        while result_open:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return self._timed_out(outcomes)
            for key, _ in selector.select(timeout=remaining):
                if key.data == "spec":
                    try:
                        pending = pending[os.write(spec_write, pending):]
                    except BrokenPipeError:
                        pending = pending[:0]
                    if not pending:
                        selector.unregister(spec_write)
                        os.close(spec_write)
                        self.spec_closed = True
                    continue
                chunk = os.read(key.fd, 65536)
                if key.data == "result":
                    if not chunk:
                        selector.unregister(result_read)
                        result_open = False
                        continue
                    lines += chunk
                    while b"\n" in lines:
                        line, _, rest = lines.partition(b"\n")
                        lines = bytearray(rest)
                        deadline = self._event(line, outcomes, deadline)
                        if self.finished:
                            return len(self.task.tests)
                elif not chunk:
                    selector.unregister(key.fileobj)
                else:
                    self._keep_output(key.data, chunk)
        return self._crashed(process, outcomes)

    def _keep_output(self, stream: str, chunk: bytes) -> None:
        buffer = self.stdout if stream == "stdout" else self.stderr
        room = sandbox.OUTPUT_CAP_BYTES - len(buffer)
        if room > 0:
            buffer += chunk[:room]

    def _event(self, line: bytes, outcomes, deadline: float) -> float:
        try:
            event = json.loads(line)
            kind = event["event"]
        except (ValueError, KeyError, TypeError):
            return deadline  # not the harness talking; ignore
        now = time.monotonic()
        if kind == "load_error":
            self._fill(outcomes, TestStatus.ERROR, event.get("error") or "the code did not load")
            self.finished = True
        elif kind == "done":
            self.finished = True
        elif kind == "start":
            self.current = int(event["index"])
            return now + self.task.time_limit_s
        elif kind == "result":
            index = int(event["index"])
            outcomes[index] = TestOutcome(
                index=index,
                hidden=self.task.tests[index].hidden,
                status=TestStatus(event["status"]),
                seconds=float(event.get("seconds") or 0.0),
                got=event.get("got"),
                error=event.get("error"),
                output=event.get("output") or "",
            )
            self.current = None
            return now + STARTUP_GRACE_S
        return deadline

    def _timed_out(self, outcomes) -> int:
        if self.current is None:
            limit = _seconds(self.task.time_limit_s)
            self._fill(outcomes, TestStatus.TIMED_OUT, f"the code did not finish loading within {limit}")
            return len(self.task.tests)
        outcomes[self.current] = self._outcome(
            self.current, TestStatus.TIMED_OUT, f"timed out after {_seconds(self.task.time_limit_s)}"
        )
        return self.current + 1

    def _crashed(self, process, outcomes) -> int:
        try:
            code = process.wait(timeout=2)
        except Exception:  # noqa: BLE001 - still running after closing its result pipe
            sandbox.kill_group(process)
            code = process.returncode
        self._drain(process)
        reason = _exit_reason(code, self.stderr)
        status = TestStatus.TIMED_OUT if code == -signal.SIGXCPU else TestStatus.CRASHED  # out of CPU time
        if self.current is None:
            self._fill(outcomes, status, reason)
            return len(self.task.tests)
        outcomes[self.current] = self._outcome(self.current, status, reason)
        return self.current + 1

    def _drain(self, process) -> None:
        for stream, name in ((process.stdout, "stdout"), (process.stderr, "stderr")):
            os.set_blocking(stream.fileno(), False)
            try:
                chunk = stream.read()
            except OSError:
                chunk = None
            if chunk:
                self._keep_output(name, chunk)

    def _fill(self, outcomes, status: TestStatus, error: str) -> None:
        start = self.current if self.current is not None else self.first
        for index in range(start, len(self.task.tests)):
            outcomes.setdefault(index, self._outcome(index, status, error))

    def _outcome(self, index: int, status: TestStatus, error: str) -> TestOutcome:
        return TestOutcome(index=index, hidden=self.task.tests[index].hidden, status=status, error=error)


def _seconds(value: float) -> str:
    return f"{value:g} s"


def _exit_reason(code: int | None, stderr: bytes) -> str:
    if code is not None and code < 0:
        name = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else str(-code)
        extra = " (CPU time limit)" if name == "SIGXCPU" else ""
        reason = f"the process was killed by {name}{extra}"
    else:
        reason = f"the process exited with status {code} during the test"
    lines = bytes(stderr).decode(errors="replace").strip().splitlines()
    if lines:
        reason += f": {lines[-1][:200]}"
    return reason
