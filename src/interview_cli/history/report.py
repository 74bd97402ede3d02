"""A session's transcript and scores as one dict: the --json contract, and what every report view draws."""

from __future__ import annotations

import json

from interview_cli.history.db import Store


FINISHED = ("unscored", "scored")  # the statuses `drill score` takes without an id


def describe_session(session) -> str:
    """`3f9a1c2e (netflix backend-engineer system-design, started 2026-11-30 21:03)`: which one, in local time."""
    from datetime import datetime

    started = datetime.fromisoformat(session.started_at).astimezone().strftime("%Y-%m-%d %H:%M")
    return f"{session.id} ({session.company_slug} {session.role_slug} {session.round}, started {started})"


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
