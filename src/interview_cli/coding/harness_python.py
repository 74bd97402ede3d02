"""Runs inside the sandbox: loads the candidate's code, calls it once per test, compares.

Started as `python -I -S -B harness_python.py SPEC_FD RESULT_FD`. It reads the run's
spec (JSON) from SPEC_FD, then writes one JSON line per event to RESULT_FD, which
the candidate's code never sees as stdout: printing cannot forge a result.
Standard library only; never imports drill.
"""

from __future__ import annotations

import io
import json
import math
import os
import signal
import sys
import time
import traceback

SOURCE_NAME = "solution.py"
GOT_CHARS = 300
OUTPUT_CHARS = 2000
RECURSION_LIMIT = 10_000


# ---- comparison (also imported by drill's own tests) ----

def plain(value, depth=0):
    """The value as fresh built-in JSON data; raises TypeError for anything else.

    Built-ins are rebuilt so a returned object cannot pass by overriding __eq__.
    """
    if depth > 200:
        raise TypeError("value is nested too deeply")
    if value is None or type(value) is bool:
        return value
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [plain(item, depth + 1) for item in value]
    if isinstance(value, (set, frozenset)):
        items = [plain(item, depth + 1) for item in value]
        return sorted(items, key=_sort_key)
    if isinstance(value, dict):
        return {_key(k): plain(v, depth + 1) for k, v in value.items()}
    if hasattr(value, "__next__"):  # a generator or iterator: its items
        return [plain(item, depth + 1) for item in value]
    raise TypeError(f"returned a {type(value).__name__}, which is not JSON data")


def _key(key):
    if isinstance(key, str):
        return str(key)
    if key is None or isinstance(key, (bool, int, float)):
        return json.dumps(plain(key))
    raise TypeError(f"dict key of type {type(key).__name__} is not JSON data")


def _sort_key(value):
    return json.dumps(value, sort_keys=True)


def same(got, expected, mode):
    """Whether `got` (plain data) matches `expected` under the comparison mode."""
    if mode == "unordered" or mode == "set":
        if not isinstance(got, list) or not isinstance(expected, list):
            return _equal(got, expected, float_tolerance=False)
        if mode == "set":
            return {_sort_key(v) for v in got} == {_sort_key(v) for v in expected}
        return sorted(map(_sort_key, got)) == sorted(map(_sort_key, expected))
    return _equal(got, expected, float_tolerance=mode == "float")


def _equal(got, expected, float_tolerance):
    if isinstance(got, bool) or isinstance(expected, bool):
        return type(got) is type(expected) and got == expected
    if isinstance(got, (int, float)) and isinstance(expected, (int, float)):
        if float_tolerance:
            return math.isclose(got, expected, rel_tol=1e-6, abs_tol=1e-6)
        return got == expected
    if isinstance(got, list) and isinstance(expected, list):
        return len(got) == len(expected) and all(
            _equal(g, e, float_tolerance) for g, e in zip(got, expected)
        )
    if isinstance(got, dict) and isinstance(expected, dict):
        return got.keys() == expected.keys() and all(
            _equal(got[k], expected[k], float_tolerance) for k in got
        )
    return type(got) is type(expected) and got == expected


# ---- guard rails inside the process (accidents, not attackers) ----

_BLOCKED_EVENTS = {
    "os.fork": "starting processes",
    "os.forkpty": "starting processes",
    "os.posix_spawn": "starting processes",
    "os.spawn": "starting processes",
    "os.exec": "starting processes",
    "os.system": "starting processes",
    "subprocess.Popen": "starting processes",
    "os.kill": "sending signals",
    "os.killpg": "sending signals",
}
_NETWORK_EVENTS = {"socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg"}
_PATH_EVENTS = {
    "os.remove", "os.rmdir", "os.mkdir", "os.rename", "os.chmod", "os.chown",
    "os.truncate", "os.symlink", "os.link", "os.utime", "shutil.rmtree",
}
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


def install_guards(workdir):
    """Refuse process creation, network calls and writes outside `workdir`."""
    root = os.path.realpath(workdir)

    def inside(path):
        if isinstance(path, int):
            return True  # an already-open descriptor
        if isinstance(path, bytes):
            path = os.fsdecode(path)
        if not isinstance(path, str):
            return True
        real = os.path.realpath(os.path.join(root, path))
        return real == root or real.startswith(root + os.sep)

    def guard(event, args):
        if event in _BLOCKED_EVENTS:
            raise PermissionError(f"the sandbox does not allow {_BLOCKED_EVENTS[event]}")
        if event in _NETWORK_EVENTS:
            sock = args[0]
            if getattr(sock, "family", None) != getattr(__import__("socket"), "AF_UNIX", None):
                raise PermissionError("the sandbox does not allow network access")
        elif event == "open":
            path, mode, flags = args
            writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
                isinstance(flags, int) and flags & _WRITE_FLAGS
            )
            if writing and not inside(path):
                raise PermissionError(f"the sandbox allows writing only in its working directory, not {path!r}")
        elif event in _PATH_EVENTS:
            for path in args[:2] if event in ("os.rename", "os.link", "os.symlink") else args[:1]:
                if not inside(path):
                    raise PermissionError(f"the sandbox allows changes only in its working directory, not {path!r}")

    sys.addaudithook(guard)


# ---- running ----

class CappedText(io.TextIOBase):
    """A stdout replacement that keeps the first `limit` characters."""

    def __init__(self, limit):
        self.limit = limit
        self.parts = []
        self.size = 0

    def writable(self):
        return True

    def write(self, text):
        text = str(text)
        room = self.limit - self.size
        if room > 0:
            self.parts.append(text[:room])
            self.size += min(len(text), room)
        return len(text)

    def text(self):
        return "".join(self.parts)


def describe_error(error):
    """`ZeroDivisionError: division by zero (solution.py line 4, in merge)`."""
    if isinstance(error, SystemExit):
        head = f"SystemExit: {error.code} (sys.exit was called)"
    else:
        lines = traceback.format_exception_only(type(error), error)
        head = lines[-1].strip() if lines else type(error).__name__
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == SOURCE_NAME]
    if isinstance(error, SyntaxError) and error.filename == SOURCE_NAME and error.lineno:
        head += f" ({SOURCE_NAME} line {error.lineno})"
    elif frames:
        last = frames[-1]
        head += f" ({SOURCE_NAME} line {last.lineno}, in {last.name})"
    return head[:500]


def shorten(text, limit):
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Reporter:
    def __init__(self, fd):
        self.fd = fd

    def send(self, **event):
        data = (json.dumps(event) + "\n").encode()
        while data:
            written = os.write(self.fd, data)
            data = data[written:]


def load_candidate(source):
    namespace = {"__name__": "solution", "__builtins__": __builtins__}
    code = compile(source, SOURCE_NAME, "exec")
    exec(code, namespace)
    return namespace


def call_class(target, name, calls):
    """Runs `[[ClassName, *ctor_args], [method, *args], ...]`; returns each call's result."""
    if not calls or not isinstance(calls[0], list) or calls[0][:1] != [name]:
        raise ValueError(f"the test's first call must construct {name}")
    instance = target(*calls[0][1:])
    results = [None]
    for call in calls[1:]:
        method = getattr(instance, call[0])
        results.append(method(*call[1:]))
    return results


def invoke(namespace, entry, args):
    target = namespace.get(entry["name"])
    if target is None:
        raise NameError(f"{entry['name']} is not defined")
    if entry["kind"] == "class":
        return call_class(target, entry["name"], args)
    return target(*args)


def run_test(namespace, spec, test):
    args = json.loads(test["args"])  # a fresh copy for every call: mutation cannot leak
    capture = CappedText(OUTPUT_CHARS)
    sys.stdout = capture
    started = time.perf_counter()
    try:
        got = plain(invoke(namespace, spec["entry"], args))
    except BaseException as error:  # noqa: BLE001 - the candidate's code may raise anything
        return {
            "status": "error",
            "seconds": round(time.perf_counter() - started, 6),
            "error": describe_error(error),
            "output": capture.text(),
        }
    finally:
        sys.stdout = sys.__stdout__
    seconds = time.perf_counter() - started
    passed = same(got, json.loads(test["expected"]), spec["compare"])
    return {
        "status": "passed" if passed else "failed",
        "seconds": round(seconds, 6),
        "got": shorten(json.dumps(got), GOT_CHARS),
        "output": capture.text(),
    }


def run(spec, reporter):
    sys.setrecursionlimit(RECURSION_LIMIT)
    install_guards(os.getcwd())
    try:
        namespace = load_candidate(spec["source"])
    except BaseException as error:  # noqa: BLE001
        reporter.send(event="load_error", error=describe_error(error))
        return
    reporter.send(event="ready")
    for index in range(spec["start"], len(spec["tests"])):
        reporter.send(event="start", index=index)
        outcome = run_test(namespace, spec, spec["tests"][index])
        reporter.send(event="result", index=index, **outcome)
    reporter.send(event="done")


def apply_limits(limits):
    """rlimits for this process and anything it starts; hard limits too, so they stay."""
    import resource

    wanted = [
        (resource.RLIMIT_CPU, limits["cpu_seconds"], limits["cpu_seconds"] + 1),
        (resource.RLIMIT_AS, limits["address_space_bytes"], limits["address_space_bytes"]),
        (resource.RLIMIT_NPROC, limits["processes"], limits["processes"]),
        (resource.RLIMIT_FSIZE, limits["file_size_bytes"], limits["file_size_bytes"]),
        (resource.RLIMIT_NOFILE, limits["open_files"], limits["open_files"]),
    ]
    for which, soft, hard in wanted:
        _, current_hard = resource.getrlimit(which)
        if current_hard != resource.RLIM_INFINITY:
            soft, hard = min(soft, current_hard), min(hard, current_hard)
        resource.setrlimit(which, (soft, hard))


def main():
    spec_fd, result_fd = int(sys.argv[1]), int(sys.argv[2])
    with os.fdopen(spec_fd, "rb") as spec_file:
        spec = json.loads(spec_file.read())
    apply_limits(spec["limits"])
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # an oversized file write raises instead
    sys.stdout.reconfigure(encoding="utf-8", errors="replace")
    sys.stderr.reconfigure(encoding="utf-8", errors="replace")
    reporter = Reporter(result_fd)
    try:
        run(spec, reporter)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)  # threads the candidate left running must not keep the process alive


if __name__ == "__main__":
    main()
