"""A session's transcript and scores as one dict: the --json contract, and what every report view draws."""

from __future__ import annotations

import json

from interview_cli.history.db import Store


def session_result(store: Store, session_id: str, scorer: str | None = None) -> dict:
    """The stable JSON object for a session: see README, 'JSON output'. The newest scoring's numbers,
    or the newest by `scorer` ("offline" or a model name); `scorings` lists every successful one."""
    session = store.session(session_id)
    scorings = store.scorings(session.id)
    overall, scored_by = session.overall, session.scorer
    if scorer is not None:
        chosen = next((s for s in scorings if s.scorer == scorer), None)
        if chosen is None:
            from interview_cli.errors import unknown_choice

            raise unknown_choice("scorer", scorer, {s.scorer for s in scorings}, f"drill report {session.id}")
        overall, scored_by = chosen.overall, chosen.scorer
    scores = store.latest_scores(session.id, scorer)
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
        "scorer": scored_by,
        "overall": overall,
        "questions": [questions[p] for p in sorted(questions)],
        "scorings": [{"scorer": s.scorer, "overall": s.overall, "scored_at": s.scored_at} for s in scorings],
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
