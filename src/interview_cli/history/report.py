"""A session's transcript and scores as one dict: the --json contract, and what every report view draws."""

from __future__ import annotations

from interview_cli.history.db import Store
from interview_cli.history.rows import DeliveryRow, PhaseRow, QuestionTranscript, ScoreRow, TestResultRow


FINISHED = ("unscored", "scored")  # the statuses `drill score` takes without an id


def describe_session(session) -> str:
    """`3f9a1c2e (netflix backend-engineer system-design, started 2026-11-30 21:03)`: which one, in local time."""
    from datetime import datetime

    started = datetime.fromisoformat(session.started_at).astimezone().strftime("%Y-%m-%d %H:%M")
    return f"{session.id} ({session.company_slug} {session.role_slug} {session.round}, started {started})"


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
    transcript = store.transcript(session.id, scorer)
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
        "questions": [_question_entry(q) for q in transcript.answered()],
        "scorings": [{"scorer": s.scorer, "overall": s.overall, "scored_at": s.scored_at} for s in scorings],
    }


def _question_entry(question: QuestionTranscript) -> dict:
    answer, score = question.main, question.score
    points = score.points if score else []
    return {
        "id": answer.question_id,
        "prompt": answer.prompt,
        "answer": answer.answer,
        "skipped": answer.skipped,
        "auto_submitted": answer.auto_submitted,
        "hints_used": answer.hints,
        "asks": [{"question": a.question, "reply": a.reply, "source": a.source, "phase": a.phase,
                  "at_seconds": a.at_seconds} for a in question.asks],
        **_time_use_entry(question.phases),
        "delivery": delivery_entry(question.deliveries.get(answer.id)),
        "follow_ups": [{"prompt": f.prompt, "answer": f.answer, "delivery": delivery_entry(question.deliveries.get(f.id))}
                       for f in question.follow_ups],
        "score": score.score if score else None,
        "max_score": 10,
        "covered": point_names(points, covered=True),
        "missed": point_names(points, covered=False),
        "points": points,
        "feedback": score.feedback if score else None,
        "samples": score.samples if score else [],
        "scorer": score.scorer if score else None,
        "rubric_version": score.rubric_version if score else None,
        **_details(score),
        "tests": test_summary(question.tests),
    }


def _details(score: ScoreRow | None) -> dict:
    """The offline scorer's breakdown, red flags and doubt (empty for other scorers and older rows)."""
    details = score.details if score else {}
    return {
        "breakdown": details.get("breakdown", ""),
        "red_flags": details.get("red_flags", []),
        "unsure": bool(details.get("unsure", False)),
    }


def delivery_entry(row: DeliveryRow | None) -> dict | None:
    """A spoken answer's delivery figures and what to work on (None for a typed answer). Never part of the score."""
    if row is None:
        return None
    from interview_cli.voice.delivery import notes

    figures = row.figures()
    return {**figures, "notes": notes(figures)}


def test_summary(rows: list[TestResultRow]) -> dict | None:
    """A coding answer's test run: counts and one entry per test; None when no tests ran."""
    if not rows:
        return None
    return {
        "passed": sum(1 for r in rows if r.status == "passed"),
        "total": len(rows),
        "hidden_failed": sum(1 for r in rows if r.hidden and r.status != "passed"),
        "isolated": rows[0].isolated,
        "results": [
            {"index": r.test_index, "hidden": r.hidden, "status": r.status, "seconds": r.seconds,
             "args": r.args, "expected": r.expected, "got": r.got, "error": r.error}
            for r in rows
        ],
    }


def _time_use_entry(rows: list[PhaseRow]) -> dict:
    """The phases of one answer with the time each took against its budget, and what to say about it."""
    if not rows:
        return {"phases": [], "time_use": None, "time_notes": []}
    from interview_cli.history.time_use import PhaseUse, time_use_summary, unreached_note

    uses = [PhaseUse(r.phase, r.title, r.budget_seconds, r.used_seconds) for r in rows]
    phases = [{"id": u.id, "title": u.title, "budget_seconds": u.budget, "used_seconds": u.used,
               "reached": u.reached, "overran": u.overran, "text": r.text} for u, r in zip(uses, rows, strict=True)]
    notes = [note for note in (unreached_note(uses),) if note]
    return {"phases": phases, "time_use": time_use_summary(uses), "time_notes": notes}


def point_names(points: list[dict], *, covered: bool) -> list[str]:
    """The rubric points covered (or missed): AnswerScore.covered/.missed, for points stored as JSON."""
    return [p["point"] for p in points if bool(p["covered"]) is covered]
