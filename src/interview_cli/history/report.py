"""A session's transcript and scores as one dict: the --json contract, and what every report view draws."""

from __future__ import annotations

import json

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
    for row in store.asks(session.id):
        if row["position"] in questions:
            questions[row["position"]]["asks"].append(
                {"question": row["question"], "reply": row["reply"], "source": row["source"],
                 "phase": row["phase"], "at_seconds": row["at_seconds"]})
    phase_rows: dict[int, list] = {}
    for row in store.phases(session.id):
        phase_rows.setdefault(row["position"], []).append(row)
    for position, rows in phase_rows.items():
        if position in questions:
            questions[position].update(_time_use_entry(rows))
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
        "asks": [],
        "phases": [],
        "time_use": None,
        "time_notes": [],
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


def _time_use_entry(rows) -> dict:
    """The phases of one answer with the time each took against its budget, and what to say about it."""
    from interview_cli.history.time_use import PhaseUse, time_use_summary, unreached_note

    uses = [PhaseUse(r["phase"], r["title"], r["budget_seconds"], r["used_seconds"]) for r in rows]
    phases = [{"id": u.id, "title": u.title, "budget_seconds": u.budget, "used_seconds": u.used,
               "reached": u.reached, "overran": u.overran, "text": r["text"]} for u, r in zip(uses, rows, strict=True)]
    notes = [note for note in (unreached_note(uses),) if note]
    return {"phases": phases, "time_use": time_use_summary(uses), "time_notes": notes}


def point_names(points: list[dict], *, covered: bool) -> list[str]:
    """The rubric points covered (or missed): AnswerScore.covered/.missed, for points stored as JSON."""
    return [p["point"] for p in points if bool(p["covered"]) is covered]
