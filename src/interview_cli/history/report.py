"""A session's transcript and scores as one dict (the --json contract), and as Markdown.

Also the score bands and number format every view (Markdown, HTML, terminal) shares.
"""

from __future__ import annotations

import json
from html import escape

from interview_cli.history.db import Store


def session_result(store: Store, session_id: str) -> dict:
    """The stable JSON object for a session: see README, 'JSON output'."""
    session = store.session(session_id)
    scores = store.latest_scores(session.id)
    questions: dict[int, dict] = {}
    for row in store.answers(session.id):
        if row["kind"] == "main":
            questions[row["position"]] = _question_entry(row, scores.get(row["position"]))
        elif row["position"] in questions:
            questions[row["position"]]["follow_ups"].append({"prompt": row["prompt"], "answer": row["answer"]})
    return {
        "session_id": session.id,
        "company": session.company,
        "role": session.role,
        "round": session.round,
        "status": session.status,
        "started_at": session.started_at,
        "finished_at": session.finished_at,
        "scorer": session.scorer,
        "overall": session.overall,
        "questions": [questions[p] for p in sorted(questions)],
    }


def _question_entry(answer_row, score_row) -> dict:
    points = json.loads(score_row["points"]) if score_row else []
    return {
        "id": answer_row["question_id"],
        "prompt": answer_row["prompt"],
        "answer": answer_row["answer"],
        "skipped": bool(answer_row["skipped"]),
        "auto_submitted": bool(answer_row["auto_submitted"]),
        "hints_used": json.loads(answer_row["hints"]),
        "follow_ups": [],
        "score": score_row["score"] if score_row else None,
        "max_score": 10,
        "covered": point_names(points, covered=True),
        "missed": point_names(points, covered=False),
        "points": points,
        "feedback": score_row["feedback"] if score_row else None,
        "samples": json.loads(score_row["samples"]) if score_row else [],
        "scorer": score_row["scorer"] if score_row else None,
        "rubric_version": score_row["rubric_version"] if score_row else None,
    }


def point_names(points: list[dict], *, covered: bool) -> list[str]:
    """The rubric points covered (or missed): AnswerScore.covered/.missed, for points stored as JSON."""
    return [p["point"] for p in points if bool(p["covered"]) is covered]


def score_band(score: float | None) -> str:
    """good (7 and up), mid (4 to below 7), bad (below 4) or none (not scored): the colour of a score."""
    if score is None:
        return "none"
    return "good" if score >= 7 else "mid" if score >= 4 else "bad"


def fmt_score(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


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
        "",
    ]
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


def _text(value: str) -> str:
    return escape(value, quote=False)


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.splitlines())
