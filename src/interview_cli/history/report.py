"""A session's transcript and scores as one dict: the --json contract, and what every report view draws."""

from __future__ import annotations

import json

from interview_cli.history.db import Store


def session_result(store: Store, session_id: str) -> dict:
    """The stable JSON object for a session: see README, 'JSON output'."""
    session = store.session(session_id)
    scores = store.latest_scores(session.id)
    tests = store.test_results(session.id)
    questions: dict[int, dict] = {}
    for row in store.answers(session.id):
        if row["kind"] == "main":
            questions[row["position"]] = _question_entry(row, scores.get(row["position"]))
            questions[row["position"]]["tests"] = test_summary(tests.get(row["position"]))
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


def test_summary(rows) -> dict | None:
    """A coding answer's test run: counts and one entry per test; None when no tests ran."""
    if not rows:
        return None
    passed = sum(1 for r in rows if r["status"] == "passed")
    hidden_failed = sum(1 for r in rows if r["hidden"] and r["status"] != "passed")
    return {
        "passed": passed,
        "total": len(rows),
        "hidden_failed": hidden_failed,
        "isolated": bool(rows[0]["isolated"]),
        "results": [
            {"index": r["test_index"], "hidden": bool(r["hidden"]), "status": r["status"], "seconds": r["seconds"],
             "args": r["args"], "expected": r["expected"], "got": r["got"], "error": r["error"]}
            for r in rows
        ],
    }


def point_names(points: list[dict], *, covered: bool) -> list[str]:
    """The rubric points covered (or missed): AnswerScore.covered/.missed, for points stored as JSON."""
    return [p["point"] for p in points if bool(p["covered"]) is covered]
