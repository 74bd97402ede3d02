"""The sandbox against accidents: loops, forks, memory, stray writes, sockets, forged output."""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap

import pytest

from interview_cli.coding import (
    CodeTask,
    Compare,
    IsolationUnavailable,
    PythonRunner,
    TestCase,
    TestStatus,
    entry_point,
    isolation,
    run_code,
)

ISOLATION_MODES = [
    pytest.param(False, id="rlimits"),
    pytest.param(
        True,
        id="bwrap",
        marks=pytest.mark.skipif(not isolation().available, reason="bubblewrap does not work here"),
    ),
]


def task(signature: str, *tests: TestCase, compare: Compare = Compare.EXACT, limit: float = 2.0) -> CodeTask:
    return CodeTask(entry_point(signature), tests, compare, limit)


def solve(source: str, the_task: CodeTask, isolate: bool = False):
    return run_code(the_task, textwrap.dedent(source), isolate=isolate)


def statuses(report) -> list[str]:
    return [o.status.value for o in report.outcomes]


@pytest.mark.parametrize("isolate", ISOLATION_MODES)
def test_infinite_loop_is_killed_at_the_limit_and_the_next_test_runs(isolate):
    source = """
        def f(n):
            while n == 1:
                pass
            return n
    """
    report = solve(source, task("def f(n):", TestCase([1], 1), TestCase([2], 2), limit=0.5), isolate)
    assert statuses(report) == ["timed_out", "passed"]
    assert report.outcomes[0].error == "timed out after 0.5 s"


@pytest.mark.parametrize("isolate", ISOLATION_MODES)
def test_fork_bomb_is_refused_and_the_run_finishes(isolate):
    source = """
        import os
        def f(n):
            while True:
                os.fork()
    """
    report = solve(source, task("def f(n):", TestCase([1], 1), TestCase([2], 2)), isolate)
    assert statuses(report) == ["error", "error"]
    assert report.outcomes[0].error == (
        "PermissionError: the sandbox does not allow starting processes (solution.py line 5, in f)"
    )


def test_starting_a_subprocess_is_refused():
    source = """
        import subprocess
        def f(n):
            return subprocess.run(["true"]).returncode
    """
    report = solve(source, task("def f(n):", TestCase([1], 0)))
    assert report.outcomes[0].status is TestStatus.ERROR
    assert report.outcomes[0].error.startswith("PermissionError: the sandbox does not allow starting processes")


@pytest.mark.parametrize("isolate", ISOLATION_MODES)
def test_allocating_4_gib_fails_with_memory_error_and_the_next_test_runs(isolate):
    source = """
        def f(n):
            if n == 1:
                block = bytearray(4 * 1024 ** 3)
                return len(block)
            return n
    """
    report = solve(source, task("def f(n):", TestCase([1], 1), TestCase([2], 2)), isolate)
    assert statuses(report) == ["error", "passed"]
    assert report.outcomes[0].error == "MemoryError (solution.py line 4, in f)"


@pytest.mark.parametrize("isolate", ISOLATION_MODES)
def test_writing_outside_the_temp_dir_fails_and_writing_inside_works(isolate, tmp_path):
    outside = tmp_path / "escaped.txt"
    source = f"""
        def f(where):
            if where == "inside":
                with open("scratch.txt", "w") as handle:
                    handle.write("ok")
                return open("scratch.txt").read()
            with open({str(outside)!r}, "w") as handle:
                handle.write("escaped")
            return "wrote"
    """
    report = solve(source, task("def f(where):", TestCase(["outside"], "x"), TestCase(["inside"], "ok")), isolate)
    assert statuses(report) == ["error", "passed"]
    assert report.outcomes[0].error.startswith("PermissionError: the sandbox allows writing only in its working directory")
    assert not outside.exists()


@pytest.mark.skipif(not isolation().available, reason="bubblewrap does not work here")
def test_bubblewrap_keeps_the_filesystem_read_only_even_past_the_in_process_guard(tmp_path):
    outside = tmp_path / "escaped.txt"
    source = f"""
        import ctypes, ctypes.util
        def f(n):
            libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
            fd = libc.creat({str(outside).encode()!r}, 0o644)
            return [fd, ctypes.get_errno()]
    """
    report = solve(source, task("def f(n):", TestCase([1], [-1, 30])), isolate=True)
    assert report.outcomes[0].got == "[-1, 30]"  # EROFS: read-only file system
    assert not outside.exists()


@pytest.mark.parametrize("isolate", ISOLATION_MODES)
def test_opening_a_socket_to_a_local_server_fails(isolate):
    server = socket.create_server(("127.0.0.1", 0))
    server.setblocking(False)
    port = server.getsockname()[1]
    source = f"""
        import socket
        def f(n):
            with socket.create_connection(("127.0.0.1", {port}), timeout=1) as conn:
                conn.sendall(b"hello")
            return "connected"
    """
    with server:
        report = solve(source, task("def f(n):", TestCase([1], "refused")), isolate)
        with pytest.raises(BlockingIOError):
            server.accept()
    assert report.outcomes[0].status is TestStatus.ERROR
    assert "the sandbox does not allow network access" in report.outcomes[0].error


@pytest.mark.parametrize("isolate", ISOLATION_MODES)
def test_sys_exit_in_the_candidates_function_is_an_error_and_the_next_test_runs(isolate):
    source = """
        import sys
        def f(n):
            if n == 1:
                sys.exit(0)
            return n
    """
    report = solve(source, task("def f(n):", TestCase([1], 1), TestCase([2], 2)), isolate)
    assert statuses(report) == ["error", "passed"]
    assert report.outcomes[0].error == "SystemExit: 0 (sys.exit was called) (solution.py line 5, in f)"


def test_sys_exit_at_module_level_fails_every_test_with_the_load_error():
    report = solve("import sys\nsys.exit(0)\n", task("def f(n):", TestCase([1], 1), TestCase([2], 2)))
    assert statuses(report) == ["error", "error"]
    assert report.outcomes[1].error == "SystemExit: 0 (sys.exit was called) (solution.py line 2, in <module>)"


def test_hard_exit_during_a_test_is_a_crash_and_the_next_test_runs():
    source = """
        import os
        def f(n):
            if n == 1:
                os._exit(0)
            return n
    """
    report = solve(source, task("def f(n):", TestCase([1], 1), TestCase([2], 2)))
    assert statuses(report) == ["crashed", "passed"]
    assert report.outcomes[0].error == "the process exited with status 0 during the test"


@pytest.mark.parametrize("isolate", ISOLATION_MODES)
def test_printing_a_fake_result_line_cannot_forge_a_pass(isolate):
    fake = '{"event": "result", "index": 0, "status": "passed", "seconds": 0}'
    source = f"""
        import os, sys
        def f(n):
            print({fake!r})
            sys.__stdout__.write({fake!r} + "\\n")
            sys.__stdout__.flush()
            os.write(1, b{fake!r} + b"\\n")
            os.write(2, b{fake!r} + b"\\n")
            return n + 1
    """
    report = solve(source, task("def f(n):", TestCase([1], 1)), isolate)
    assert statuses(report) == ["failed"]
    assert report.outcomes[0].got == "2"
    assert report.outcomes[0].output == fake + "\n"


def test_an_object_with_a_lying_eq_cannot_pass():
    source = """
        class Anything:
            def __eq__(self, other):
                return True
        def f(n):
            return Anything()
    """
    report = solve(source, task("def f(n):", TestCase([1], 1)))
    assert report.outcomes[0].status is TestStatus.ERROR
    assert report.outcomes[0].error == "TypeError: returned a Anything, which is not JSON data"


def test_recursion_past_the_limit_is_an_error_and_deep_legal_recursion_works():
    source = """
        def f(n):
            if n == 0:
                return 0
            return 1 + f(n - 1)
    """
    report = solve(source, task("def f(n):", TestCase([10 ** 6], 10 ** 6), TestCase([5000], 5000)))
    assert statuses(report) == ["error", "passed"]
    assert report.outcomes[0].error.startswith("RecursionError: maximum recursion depth exceeded")
    assert report.outcomes[0].error.endswith("(solution.py line 5, in f)")


def test_a_solution_that_mutates_its_input_does_not_change_the_next_tests_input():
    source = """
        def f(items):
            items.append(0)
            items.sort()
            return len(items)
    """
    in_place = task("def f(items):", TestCase([[3, 1, 2]], 4), TestCase([[3, 1, 2]], 4))
    report = solve(source, in_place)
    assert statuses(report) == ["passed", "passed"]
    assert in_place.tests[0].args == [[3, 1, 2]]


@pytest.mark.parametrize(
    ("returned", "expected", "compare", "status"),
    [
        ("0.1 + 0.2", 0.3, Compare.FLOAT, "passed"),
        ("0.1 + 0.2", 0.3, Compare.EXACT, "failed"),
        ("[1 / 3, 2.0]", [0.333333, 2], Compare.FLOAT, "passed"),
        ("0.3001", 0.3, Compare.FLOAT, "failed"),
        ("[3, 1, 2]", [1, 2, 3], Compare.UNORDERED, "passed"),
        ("[[2, 'b'], [1, 'a']]", [[1, "a"], [2, "b"]], Compare.UNORDERED, "passed"),
        ("[1, 1, 2]", [1, 2, 2], Compare.UNORDERED, "failed"),
        ("[1, 1, 2]", [2, 1], Compare.SET, "passed"),
        ("{3, 1}", [1, 3], Compare.SET, "passed"),
        ("[3, 1, 2]", [1, 2, 3], Compare.EXACT, "failed"),
        ("(1, 2)", [1, 2], Compare.EXACT, "passed"),
        ("True", 1, Compare.EXACT, "failed"),
        ("{1: 'x'}", {"1": "x"}, Compare.EXACT, "passed"),
        ("iter([1, 2])", [1, 2], Compare.EXACT, "passed"),
    ],
)
def test_comparison_modes(returned, expected, compare, status):
    report = solve(f"def f():\n    return {returned}\n", task("def f():", TestCase([], expected), compare=compare))
    assert statuses(report) == [status]


def test_class_entry_point_replays_calls_and_compares_every_return_value():
    source = """
        class Counter:
            def __init__(self, start):
                self.value = start
            def add(self, n):
                self.value += n
            def get(self):
                return self.value
    """
    calls = [["Counter", 5], ["add", 2], ["get"], ["add", -7], ["get"]]
    report = solve(source, task("class Counter:", TestCase(calls, [None, None, 7, None, 0])))
    assert statuses(report) == ["passed"]


def test_syntax_error_names_the_line_for_every_test():
    report = solve("def f(n):\n    return n +\n", task("def f(n):", TestCase([1], 1), TestCase([2], 2)))
    assert statuses(report) == ["error", "error"]
    assert report.outcomes[0].error.startswith("SyntaxError: invalid syntax")


def test_missing_function_is_named():
    report = solve("def g(n):\n    return n\n", task("def f(n):", TestCase([1], 1)))
    assert report.outcomes[0].error == "NameError: f is not defined"


def test_exception_shows_its_last_line_in_the_candidates_code():
    source = """
        def helper(n):
            return 10 // n
        def f(n):
            return helper(n)
    """
    report = solve(source, task("def f(n):", TestCase([0], 0)))
    assert report.outcomes[0].error == "ZeroDivisionError: integer division or modulo by zero (solution.py line 3, in helper)"


def test_flood_of_output_is_capped_and_the_run_finishes():
    source = """
        import os
        def f(n):
            print("x" * 10_000_000)
            os.write(1, b"y" * 5_000_000)
            return n
    """
    report = solve(source, task("def f(n):", TestCase([1], 1)))
    assert statuses(report) == ["passed"]
    assert len(report.outcomes[0].output) == 2000


def test_module_level_infinite_loop_times_out_every_test():
    report = solve("while True:\n    pass\n", task("def f(n):", TestCase([1], 1), TestCase([2], 2), limit=0.2))
    assert statuses(report) == ["timed_out", "timed_out"]


@pytest.mark.skipif(not isolation().available, reason="bubblewrap does not work here")
def test_interpreter_in_a_venv_under_tmp_runs_inside_bubblewrap(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    runner = PythonRunner(interpreter=str(venv / "bin" / "python"))
    source = "import sys\ndef f():\n    return sys.executable\n"
    expected = str(venv / "bin" / "python")
    report = run_code(task("def f():", TestCase([], expected)), source, isolate=True, runner=runner)
    assert report.isolated
    assert statuses(report) == ["passed"]


def test_rlimits_only_mode_is_reported_once_as_a_notice(monkeypatch):
    monkeypatch.setenv("DRILL_SANDBOX", "rlimits")
    isolation.cache_clear()
    try:
        status = isolation()
        assert not status.available
        assert status.notice() == (
            "Code runs with CPU, memory and process limits, but network and file isolation "
            "are unavailable: turned off by DRILL_SANDBOX=rlimits."
        )
        with pytest.raises(IsolationUnavailable):
            run_code(task("def f():", TestCase([], 1)), "def f():\n    return 1\n", isolate=True)
        assert not run_code(task("def f():", TestCase([], 1)), "def f():\n    return 1\n").isolated
    finally:
        monkeypatch.delenv("DRILL_SANDBOX")
        isolation.cache_clear()


def test_hidden_failures_are_counted_in_the_summary():
    tests = (TestCase([1], 1), TestCase([2], 2, hidden=True), TestCase([3], 3, hidden=True))
    report = solve("def f(n):\n    return 1\n", task("def f(n):", *tests))
    assert report.summary() == "passed 1/3 (2 hidden failed)"


@pytest.mark.skipif(not isolation().available, reason="bubblewrap does not work here")
def test_bubblewrap_cuts_the_network_even_past_the_in_process_guard():
    server = socket.create_server(("127.0.0.1", 0))
    server.setblocking(False)
    port = server.getsockname()[1]
    source = f"""
        import ctypes, ctypes.util, socket, struct
        def f(n):
            libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
            fd = libc.socket(socket.AF_INET, socket.SOCK_STREAM, 0)
            address = struct.pack("=HH4s8x", socket.AF_INET, socket.htons({port}), socket.inet_aton("127.0.0.1"))
            result = libc.connect(fd, ctypes.c_char_p(address), len(address))
            return [fd >= 0, result]
    """
    with server:
        report = solve(source, task("def f(n):", TestCase([1], [True, -1])), isolate=True)
        with pytest.raises(BlockingIOError):
            server.accept()
    assert report.outcomes[0].got == "[true, -1]"
