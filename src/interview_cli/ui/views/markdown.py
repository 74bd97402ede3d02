"""A session report as Markdown, for notes."""

from __future__ import annotations

from html import escape

from interview_cli.ui.views.scores import fmt_score


def to_markdown(result: dict) -> str:
    """The report for notes. Every piece of user, bank or model text has its HTML escaped (`<` as `&lt;`),
    so a Markdown renderer shows markup in an answer as text instead of running it."""
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
        lines += _markdown_question(number, q)
    return "\n".join(lines).rstrip() + "\n"


def _markdown_question(number: int, q: dict) -> list[str]:
    e = _text
    lines = [f"## {number}. {q['id']} — {fmt_score(q['score'])}/10", "", f"**Question.** {e(q['prompt'].strip())}", ""]
    answer = "*(skipped)*" if q["skipped"] else (e(q["answer"].strip()) or "*(no answer)*")
    lines += ["**Answer.**", "", _quote(answer), ""]
    for follow_up in q["follow_ups"]:
        lines += [f"**Follow-up.** {e(follow_up['prompt'].strip())}", "",
                  _quote(e(follow_up["answer"].strip()) or "*(no answer)*"), ""]
    if q["points"]:
        lines += ["**Rubric.**", ""]
        lines += [f"- {'✓' if p['covered'] else '✗'} {e(p['point'])}" for p in q["points"]]
        lines.append("")
    if q["feedback"]:
        lines += [f"**Feedback.** {e(q['feedback'])}", ""]
    return lines


def other_scorings(result: dict) -> str:
    """The session's scorings other than the one shown, newest first: `offline 6.2 (2026-11-30T22:10:00+00:00)`."""
    shown = (result.get("scorer"), result.get("overall"))
    return ", ".join(f"{s['scorer']} {fmt_score(s['overall'])} ({s['scored_at']})"
                     for s in result.get("scorings", []) if (s["scorer"], s["overall"]) != shown)


def _text(value: str) -> str:
    return escape(value, quote=False)


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.splitlines())
