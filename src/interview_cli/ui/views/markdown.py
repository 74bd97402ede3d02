"""A session report as Markdown, for notes."""

from __future__ import annotations

from html import escape

from interview_cli.sanitize import clean
from interview_cli.ui.views.scores import failing_tests, fmt_score, tests_line, unsure_note


def to_markdown(result: dict) -> str:
    """The report for notes. Every piece of user, bank or model text goes through _text: HTML escaped (`<` as
    `&lt;`) and images neutralised, so a Markdown renderer shows markup in an answer as text instead of running it."""
    e = _text
    lines = [
        f"# {e(result['company'])} — {e(result['role'])}: {e(result['round'])}",
        "",
        f"- Session: `{result['session_id']}` ({result['status']})",
        f"- Started: {result['started_at']}",
        f"- Scorer: {e(result['scorer'] or 'not scored yet')}",
        f"- Overall: {fmt_score(result['overall'])}/10",
    ]
    others = other_scorings(result)
    if others:
        lines.append(f"- Other scorings: {e(others)} (pick one with --scorer)")
    lines.append("")
    for number, q in enumerate(result["questions"], 1):
        lines += _markdown_question(number, q, result["session_id"])
    return "\n".join(lines).rstrip() + "\n"


def _markdown_question(number: int, q: dict, session_id: str) -> list[str]:
    e = _text
    lines = [f"## {number}. {q['id']} — {fmt_score(q['score'])}/10", "", f"**Question.** {e(q['prompt'].strip())}", ""]
    for ask in q.get("asks", []):
        lines += [f"**You asked.** {e(ask['question'].strip())}", "", f"**Interviewer.** {e(ask['reply'].strip())}", ""]
    answer = "*(skipped)*" if q["skipped"] else (e(q["answer"].strip()) or "*(no answer)*")
    lines += ["**Answer.**", "", _quote(answer), ""]
    if q.get("hints_used"):
        lines += [f"**Hints used ({len(q['hints_used'])}).**", ""]
        lines += [f"- {e(' '.join(hint.split()))}" for hint in q["hints_used"]]
        lines.append("")
    for follow_up in q["follow_ups"]:
        lines += [f"**Follow-up.** {e(follow_up['prompt'].strip())}", "",
                  _quote(e(follow_up["answer"].strip()) or "*(no answer)*"), ""]
    if q.get("delivery"):
        from interview_cli.voice.delivery import summary

        lines += [f"**Delivery** (spoken; not part of the score). {e(summary(q['delivery']))}", ""]
        lines += [f"- {e(note)}" for note in q["delivery"].get("notes", [])]
        lines += [""] if q["delivery"].get("notes") else []
    if q.get("tests"):
        lines += [f"**Tests.** {tests_line(q['tests'])}", ""]
        lines += [f"- ✗ {e(line)}" for line in failing_tests(q["tests"])]
    if q.get("phases"):
        lines += ["**Time use.**", ""]
        for phase in q["phases"]:
            budget = f"{phase['budget_seconds'] / 60:.1f} min"
            flag = " (over budget)" if phase["overran"] else ""
            said = f"{phase['used_seconds'] / 60:.1f} min of {budget}" if phase["reached"] else f"not reached ({budget})"
            lines.append(f"- {e(phase['title'])}: {said}{flag}")
        lines += [f"- {e(note)}" for note in [q.get("time_use"), *q.get("time_notes", [])] if note]
        lines.append("")
    if q["points"]:
        lines += ["**Rubric.**", ""]
        lines += [f"- {'✓' if p['covered'] else '✗'} {e(p['point'])}{_evidence(p)}" for p in q["points"]]
        lines += [f"- ✗ red flag: {e(f['point'])}{_evidence(f)}" for f in q.get("red_flags", [])]
        lines.append("")
    if q.get("breakdown"):
        lines += [f"**Score.** {e(q['breakdown'])}", ""]
    if q["feedback"]:
        lines += [f"**Feedback.** {e(q['feedback'])}", ""]
    if q.get("unsure"):
        lines += [f"**Unsure.** {e(unsure_note(session_id))}", ""]
    return lines


def _evidence(point: dict) -> str:
    """A covered point's (or red flag's) evidence, quoted after it."""
    shown = point.get("evidence") if point.get("covered", True) else None
    return f" — “{_text(shown)}”" if shown else ""
def other_scorings(result: dict) -> str:
    """The session's scorings other than the one shown, newest first: `offline 6.2 (2026-11-30T22:10:00+00:00)`."""
    shown = (result.get("scorer"), result.get("overall"))
    return ", ".join(f"{s['scorer']} {fmt_score(s['overall'])} ({s['scored_at']})"
                     for s in result.get("scorings", []) if (s["scorer"], s["overall"]) != shown)


def _text(value: str) -> str:
    """Data as Markdown text: control characters and escape sequences removed, HTML escaped, and `![` written
    as `!\\[` so an answer cannot make a Markdown viewer fetch a remote image (a link stays a link)."""
    return escape(clean(value), quote=False).replace("![", "!\\[")


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.splitlines())
