"""A code run's results as short lines: under the code editor (/run) and from `drill run-tests`."""

from __future__ import annotations


def printable(text: str) -> str:
    """One line of untrusted text fit for the toolbar: control characters shown as '?'."""
    return "".join(c if c.isprintable() else "?" for c in text.replace("\n", " ⏎ "))


def clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(1, width - 1)] + "…"


def test_result_lines(report, visible_tests: list[tuple[str, str]], width: int) -> list[tuple[str, str]]:
    """What /run shows under the box: a summary, then each test ✓ or ✗ with expected vs got,
    the error and where it happened, or that it timed out."""
    width = max(20, width)
    style = "class:toolbar.pass" if report.all_passed else "class:toolbar.fail"
    lines = [(style, clip(f" Tests: {report.summary()}", width))]
    errors = {o.error for o in report.outcomes}
    if len(report.outcomes) > 1 and len(errors) == 1 and None not in errors and not report.passed:
        return lines + [("class:toolbar.fail", clip(printable(f" ✗ every test: {errors.pop()}"), width))]
    for outcome in report.outcomes:
        number = f"{outcome.index + 1}" + (" (hidden)" if outcome.hidden else "")
        args, expected = visible_tests[outcome.index] if outcome.index < len(visible_tests) else ("?", "?")
        if outcome.passed:
            lines.append(("class:toolbar.pass", clip(printable(f" ✓ {number}  args {args} → {expected}"), width)))
            continue
        if outcome.got is not None:
            said = f"expected {clip(expected, 60)}, got {clip(outcome.got, 60)}"
        else:
            said = outcome.error or outcome.status.value
        lines.append(("class:toolbar.fail", clip(printable(f" ✗ {number}  args {clip(args, 40)}: {said}"), width)))
        if outcome.output.strip():
            lines.append(("class:toolbar.note", clip(printable(f"     printed: {outcome.output.strip()}"), width)))
    return lines
