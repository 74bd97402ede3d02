"""How a score reads in every view (terminal, Markdown, HTML): its number format and its band."""

from __future__ import annotations


def score_band(score: float | None) -> str:
    """good (7 and up), mid (4 to below 7), bad (below 4) or none (not scored): the colour of a score."""
    if score is None:
        return "none"
    return "good" if score >= 7 else "mid" if score >= 4 else "bad"


def fmt_score(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def unsure_note(session_id: str) -> str:
    """What the result says when the offline scorer doubts its score, with the command for a second opinion."""
    return ("The offline scorer is unsure about this answer: it matches wording, not meaning, and this answer "
            f"may say more than it could see. For a model's opinion: drill score {session_id} --model MODEL")
def tests_line(tests: dict) -> str:
    """`passed 7/9 (2 hidden failed)` for a coding answer's test run (reports.test_summary)."""
    text = f"passed {tests['passed']}/{tests['total']}"
    return text + (f" ({tests['hidden_failed']} hidden failed)" if tests["hidden_failed"] else "")


def failing_tests(tests: dict, limit: int = 120, most: int | None = None) -> list[str]:
    """One line per failed test: its input, what was expected, and what came back or went wrong. Tests that all
    failed with the same error (code that does not even load) make one line; past `most` lines, a count."""
    failed = [r for r in tests["results"] if r["status"] != "passed"]
    errors = {r.get("error") for r in failed}
    if len(failed) > 1 and len(errors) == 1 and None not in errors and all(r.get("got") is None for r in failed):
        return [f"each of the {len(failed)} failing tests: {_cut(errors.pop(), limit)}"]
    out = []
    for r in failed:
        outcome = f"got {_cut(r['got'], limit)}" if r.get("got") is not None else (r.get("error") or r["status"])
        kind = "hidden" if r["hidden"] else "visible"
        out.append(f"test {r['index'] + 1} ({kind}): args {_cut(r['args'], limit)} → expected "
                   f"{_cut(r['expected'], limit)}, {outcome}")
    if most is not None and len(out) > most:
        out = out[:most] + [f"… and {len(out) - most} more failing tests (all of them: drill report)"]
    return out


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
