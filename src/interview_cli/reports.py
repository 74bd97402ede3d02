"""A session's transcript and scores as one dict (the --json contract), and as Markdown."""

from __future__ import annotations

import json

from .storage import Store


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
        "covered": [p["point"] for p in points if p["covered"]],
        "missed": [p["point"] for p in points if not p["covered"]],
        "points": points,
        "feedback": score_row["feedback"] if score_row else None,
        "samples": json.loads(score_row["samples"]) if score_row else [],
        "scorer": score_row["scorer"] if score_row else None,
        "rubric_version": score_row["rubric_version"] if score_row else None,
    }


def to_markdown(result: dict) -> str:
    lines = [
        f"# {result['company']} — {result['role']}: {result['round']}",
        "",
        f"- Session: `{result['session_id']}` ({result['status']})",
        f"- Started: {result['started_at']}",
        f"- Scorer: {result['scorer'] or 'not scored yet'}",
        f"- Overall: {_fmt(result['overall'])}/10",
        "",
    ]
    for number, q in enumerate(result["questions"], 1):
        lines += [f"## {number}. {q['id']} — {_fmt(q['score'])}/10", "", f"**Question.** {q['prompt'].strip()}", ""]
        answer = "*(skipped)*" if q["skipped"] else (q["answer"].strip() or "*(no answer)*")
        lines += ["**Answer.**", "", _quote(answer), ""]
        for follow_up in q["follow_ups"]:
            lines += [f"**Follow-up.** {follow_up['prompt'].strip()}", "", _quote(follow_up["answer"].strip() or "*(no answer)*"), ""]
        if q["points"]:
            lines += ["**Rubric.**", ""]
            lines += [f"- {'✓' if p['covered'] else '✗'} {p['point']}" for p in q["points"]]
            lines.append("")
        if q["feedback"]:
            lines += [f"**Feedback.** {q['feedback']}", ""]
    return "\n".join(lines).rstrip() + "\n"


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.splitlines())


def _fmt(value) -> str:
    return "–" if value is None else f"{value:.1f}"
