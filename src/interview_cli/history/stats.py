"""Practice statistics, aggregated in SQL from the `reviews` and `sessions` tables (no bank loading).

Per round (a question's round in its bank): sessions that asked it, the mean of each
session's mean score in that round, the latest session's, and the trend. Per topic
(the bank's `topics`, copied into each review): the same over single answers. The
trend is the latest value minus the mean of the earlier ones (None with one value).
The weakest topics are those with the lowest mean over their last five answers. Skipped answers
are counted apart (`skipped`) and never lower a topic's mean, latest or recent score.

The sums come from round_sessions and topic_totals, which triggers on `reviews` keep
up to date, so the cost does not grow with the number of answers; the latest answers
come from indexes (see storage migration 0002).
"""

from __future__ import annotations

from interview_cli.history.db import Store
from interview_cli.history.rows import SessionStatus

RECENT = 5  # answers that make a topic's "recent" mean
WEAKEST = 5


def _filters(company: str | None, role: str | None, prefix: str = "") -> tuple[str, list]:
    where, args = [], []
    if company:
        where.append(f"{prefix}company_slug = ?")
        args.append(company)
    if role:
        where.append(f"{prefix}role_slug = ?")
        args.append(role)
    return (" WHERE " + " AND ".join(where) if where else ""), args


def _trend(latest: float | None, total: float, count: int) -> float | None:
    if latest is None or count < 2:
        return None
    return round(latest - (total - latest) / (count - 1), 2)


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def compute(store: Store, company: str | None = None, role: str | None = None) -> dict:
    """The `drill stats --json` object (see README, "JSON output")."""
    where, args = _filters(company, role)
    topics = _topics(store.db, where, args)
    timeline = _timeline(store.db, where, args)
    return {
        "company": company,
        "role": role,
        "sessions": sum(day["sessions"] for day in timeline),
        "rounds": _rounds(store.db, where, args),
        "topics": topics,
        "weakest_topics": _weakest(topics),
        "timeline": timeline,
        "phase_time_use": phase_time_use(store, company=company, role=role),
        "delivery": delivery_trend(store, company, role),
    }


def delivery_trend(store: Store, company: str | None = None, role: str | None = None) -> dict | None:
    """Spoken answers' delivery per week (mean words/min, fillers/min, longest pause), and the change from
    the first week to the latest; None when no answer was spoken."""
    weeks = [{"week": row["week"], "first_day": row["first_day"], "answers": row["answers"],
              "words_per_minute": _r1(row["words_per_minute"]), "fillers_per_minute": _r1(row["fillers_per_minute"]),
              "longest_pause_seconds": _r1(row["longest_pause"])}
             for row in store.delivery_by_week(company, role)]
    if not weeks:
        return None
    first, latest = weeks[0], weeks[-1]
    from datetime import date

    span = (date.fromisoformat(latest["first_day"]) - date.fromisoformat(first["first_day"])).days
    return {"answers": sum(w["answers"] for w in weeks), "weeks": weeks, "span_weeks": round(span / 7),
            "first": {k: first[k] for k in ("words_per_minute", "fillers_per_minute", "longest_pause_seconds")},
            "latest": {k: latest[k] for k in ("words_per_minute", "fillers_per_minute", "longest_pause_seconds")}}


def _r1(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


PHASE_SESSIONS = 10  # `stats` averages time use per phase over this many newest sessions with phases


def phase_time_use(store: Store, sessions: int = PHASE_SESSIONS, *, company: str | None = None,
                   role: str | None = None) -> list[dict]:
    """Per phase, over the newest sessions whose answers had phases: average minutes used and budgeted."""
    return [{"phase": row["title"], "answers": row["answers"], "used_minutes": round(row["used"] / 60, 1),
             "budget_minutes": round(row["budget"] / 60, 1), "not_reached": row["unreached"]}
            for row in store.phase_time_use(sessions, company, role)]


def _rounds(db, where: str, args: list) -> list[dict]:
    """Per round: round_sessions holds each session's answer count and score total per round (kept by triggers)."""
    out = []
    for company_slug, role_slug, round_id, count, total in db.execute(
        "SELECT company_slug, role_slug, round, COUNT(*), SUM(total / answers) FROM round_sessions"
        f"{where} GROUP BY company_slug, role_slug, round ORDER BY company_slug, role_slug, round", args,
    ).fetchall():
        latest, last_at = db.execute(
            "SELECT total / answers, last_at FROM round_sessions WHERE company_slug = ? AND role_slug = ?"
            " AND round = ? ORDER BY last_at DESC, session_id DESC LIMIT 1", (company_slug, role_slug, round_id),
        ).fetchone()
        out.append({
            "company": company_slug, "role": role_slug, "round": round_id, "sessions": count,
            "mean": _r(total / count), "latest": _r(latest), "trend": _trend(latest, total, count), "last_at": last_at,
        })
    return out


def _topics(db, where: str, args: list) -> list[dict]:
    """Per topic: topic_totals (kept by triggers) for the sums, review_topics' index for the latest answers."""
    out = []
    for topic, sessions, answers, total, skipped in db.execute(
        f"SELECT topic, SUM(sessions), SUM(answers), SUM(total), SUM(skips) FROM topic_totals{where}"
        " GROUP BY topic ORDER BY topic", args,
    ).fetchall():
        recent = db.execute(
            f"SELECT score, reviewed_at FROM review_topics{where}{' AND' if where else ' WHERE'} topic = ?"
            f" AND skipped = 0 ORDER BY reviewed_at DESC, session_id DESC, review_id DESC LIMIT {RECENT}",
            [*args, topic]).fetchall()
        latest = recent[0][0] if recent else None
        out.append({
            "topic": topic, "sessions": sessions, "answers": answers, "skipped": skipped,
            "mean": _r(total / answers) if answers else None, "latest": _r(latest),
            "recent": _r(sum(r[0] for r in recent) / len(recent)) if recent else None,
            "trend": _trend(latest, total, answers), "last_at": recent[0][1] if recent else None,
        })
    return out


def _weakest(topics: list[dict]) -> list[dict]:
    """The topics with the lowest mean over their last RECENT answers."""
    answered = [t for t in topics if t["answers"]]  # a topic only ever skipped has no score to rank
    weakest = sorted(answered, key=lambda t: (t["recent"], t["mean"], t["topic"]))[:WEAKEST]
    return [{"topic": t["topic"], "recent": t["recent"], "mean": t["mean"], "answers": t["answers"]} for t in weakest]


def _timeline(db, where: str, args: list) -> list[dict]:
    """The mean overall score of the scored sessions, per UTC day."""
    where = (where + " AND" if where else " WHERE") + f" overall IS NOT NULL AND status = '{SessionStatus.SCORED}'"
    return [
        {"date": day, "sessions": count, "mean": _r(mean)}
        for day, count, mean in db.execute(
            f"SELECT substr(started_at, 1, 10) AS day, COUNT(*), AVG(overall) FROM sessions{where}"
            " GROUP BY day ORDER BY day", args)
    ]
