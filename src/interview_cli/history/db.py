"""SQLite history: sessions, answers, drafts and scores, read back as typed rows.

Every SQL statement drill runs lives in this package; the schema grows only through
history.migrations, applied when the database is opened.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from interview_cli import paths
from interview_cli.clock import utc_now
from interview_cli.errors import DrillError, UsageError
from interview_cli.history.migrations import migrate
from interview_cli.history.rows import (
    AskRow,
    AnswerKind,
    AnswerRow,
    DraftKind,
    PhaseRow,
    QuestionTranscript,
    ScoreRow,
    SessionRow,
    SessionStatus,
    TestResultRow,
    Transcript,
)

BUSY_TIMEOUT_MS = 30_000

def new_session_id() -> str:
    return os.urandom(4).hex()  # what secrets.token_hex(4) does, without importing it


def score_details(result) -> str:
    """The scores.details JSON of an AnswerScore: its breakdown, red flags said, and doubt."""
    flags = [{"point": f.point, "evidence": f.evidence} for f in result.red_flags]
    return json.dumps({"breakdown": result.breakdown, "red_flags": flags, "unsure": result.unsure})


class Store:
    """One connection to the history database, migrated on open."""

    def __init__(self, path: Path | None = None):
        self.path = path or paths.database_path()
        try:
            self.db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            self.db.row_factory = sqlite3.Row
            self.db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self.db.execute("PRAGMA foreign_keys = ON")
            self._set_wal()
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise DrillError(f"cannot open the history database {self.path}: {exc} — move the file aside, "
                             "or set DRILL_HOME to another folder") from None

    def _set_wal(self) -> None:
        for _ in range(50):
            try:
                self.db.execute("PRAGMA journal_mode = WAL")
                self.db.execute("PRAGMA synchronous = NORMAL")
                return
            except sqlite3.OperationalError:
                time.sleep(0.05)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def _migrate(self) -> None:
        with self.transaction() as db:
            migrate(db, utc_now())

    # ---- sessions ----------------------------------------------------------

    def create_session(
        self, *, company: str, role: str, company_slug: str, role_slug: str, round_id: str,
        round_title: str, bank_path: str | None, plan: list[str], options: dict | None = None,
        session_id: str | None = None, started_at: str | None = None,
    ) -> str:
        session_id = session_id or new_session_id()
        with self.transaction() as db:
            db.execute(
                "INSERT INTO sessions (id, company, role, company_slug, role_slug, round, round_title, bank_path,"
                " plan, started_at, status, options) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (session_id, company, role, company_slug, role_slug, round_id, round_title, bank_path,
                 json.dumps(plan), started_at or utc_now(), SessionStatus.IN_PROGRESS, json.dumps(options or {})),
            )
        return session_id

    def session(self, session_id: str) -> SessionRow:
        """A session by id, or by a unique prefix of its id."""
        row = self.db.execute("SELECT * FROM sessions WHERE id = ?", (session_id,)).fetchone()
        if row is not None:
            return SessionRow.from_row(row)
        matches = self.db.execute("SELECT * FROM sessions WHERE substr(id, 1, ?) = ? ORDER BY started_at DESC LIMIT 3",
                                  (len(session_id), session_id)).fetchall() if session_id else []
        if len(matches) == 1:
            return SessionRow.from_row(matches[0])
        if matches:
            shown = ", ".join(m["id"] for m in matches)
            raise UsageError(f"session id '{session_id}' is ambiguous ({shown}, ...) — type more of it")
        raise UsageError(f"no session '{session_id}' — list sessions with: drill history")

    def newest_session(self, statuses: tuple[SessionStatus, ...] | None = None) -> str | None:
        """The id of the newest session (in one of these statuses, when given)."""
        ids = self.newest_sessions(1, statuses)
        return ids[0] if ids else None

    def newest_sessions(self, count: int, statuses: tuple[SessionStatus, ...] | None = None) -> list[str]:
        """The ids of the `count` newest sessions (in one of these statuses, when given), newest first."""
        where = f" WHERE status IN ({', '.join('?' * len(statuses))})" if statuses else ""
        rows = self.db.execute(f"SELECT id FROM sessions{where} ORDER BY started_at DESC, rowid DESC LIMIT ?",
                               (*(statuses or ()), count))
        return [row[0] for row in rows]

    def set_status(self, session_id: str, status: SessionStatus, finished: bool = False) -> None:
        with self.transaction() as db:
            db.execute(
                "UPDATE sessions SET status = ?, finished_at = COALESCE(?, finished_at) WHERE id = ?",
                (status, utc_now() if finished else None, session_id),
            )

    def sessions(self, *, company: str | None = None, role: str | None = None, round_id: str | None = None,
                 status: str | None = None, limit: int | None = None) -> list[SessionRow]:
        where, args = [], []
        for column, value in (("company_slug", company), ("role_slug", role), ("round", round_id), ("status", status)):
            if value:
                where.append(f"{column} = ?")
                args.append(value)
        sql = "SELECT * FROM sessions" + (" WHERE " + " AND ".join(where) if where else "")
        sql += " ORDER BY started_at DESC, rowid DESC"
        if limit:
            sql += " LIMIT ?"
            args.append(limit)
        return [SessionRow.from_row(r) for r in self.db.execute(sql, args)]

    # ---- answers and drafts -----------------------------------------------

    def add_answer(self, session_id: str, *, position: int, question_id: str, kind: AnswerKind, prompt: str,
                   answer: str, skipped: bool = False, auto_submitted: bool = False,
                   hints: list[str] | None = None, seconds: float | None = None,
                   submitted_at: str | None = None) -> int:
        with self.transaction() as db:
            cur = db.execute(
                "INSERT INTO answers (session_id, position, question_id, kind, prompt, answer, skipped,"
                " auto_submitted, hints, seconds, submitted_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (session_id, position, question_id, kind, prompt, answer, int(skipped), int(auto_submitted),
                 json.dumps(hints or []), seconds, submitted_at or utc_now()),
            )
            db.execute("DELETE FROM drafts WHERE session_id = ? AND position = ? AND kind = ?",
                       (session_id, position, kind))
            return cur.lastrowid

    def last_asked(self, company_slug: str, role_slug: str) -> dict[str, str]:
        """question id -> when it was last answered as a main question, for one bank."""
        rows = self.db.execute(
            "SELECT a.question_id, MAX(a.submitted_at) FROM answers a JOIN sessions s ON s.id = a.session_id"
            " WHERE s.company_slug = ? AND s.role_slug = ? AND a.kind = ? GROUP BY a.question_id",
            (company_slug, role_slug, AnswerKind.MAIN),
        )
        return {qid: when for qid, when in rows}

    def answers(self, session_id: str) -> list[AnswerRow]:
        rows = self.db.execute("SELECT * FROM answers WHERE session_id = ? ORDER BY position, id", (session_id,))
        return [AnswerRow.from_row(r) for r in rows]

    def save_draft(self, session_id: str, position: int, kind: DraftKind, text: str) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO drafts (session_id, position, kind, text, updated_at) VALUES (?,?,?,?,?)"
                " ON CONFLICT(session_id, position, kind) DO UPDATE SET text = excluded.text,"
                " updated_at = excluded.updated_at",
                (session_id, position, kind, text, utc_now()),
            )

    def delete_draft(self, session_id: str, position: int, kind: DraftKind) -> None:
        with self.transaction() as db:
            db.execute("DELETE FROM drafts WHERE session_id = ? AND position = ? AND kind = ?",
                       (session_id, position, kind))

    def draft(self, session_id: str, position: int, kind: DraftKind) -> str | None:
        row = self.db.execute(
            "SELECT text FROM drafts WHERE session_id = ? AND position = ? AND kind = ?", (session_id, position, kind)
        ).fetchone()
        return row[0] if row else None

    # ---- clarifying questions and phases (the interviewer) -----------------

    def add_ask(self, session_id: str, *, position: int, question: str, reply: str, source: str,
                phase: str | None = None, at_seconds: float | None = None) -> None:
        with self.transaction() as db:
            db.execute("INSERT INTO asks (session_id, position, phase, at_seconds, question, reply, source, asked_at)"
                       " VALUES (?,?,?,?,?,?,?,?)",
                       (session_id, position, phase, at_seconds, question, reply, source, utc_now()))

    def asks(self, session_id: str) -> list[AskRow]:
        rows = self.db.execute("SELECT * FROM asks WHERE session_id = ? ORDER BY position, id", (session_id,))
        return [AskRow.from_row(r) for r in rows]

    def save_phases(self, session_id: str, position: int, rows: list[dict]) -> None:
        """Each phase of one committed answer: phase, title, budget_seconds, started_seconds, used_seconds, text."""
        with self.transaction() as db:
            db.execute("DELETE FROM answer_phases WHERE session_id = ? AND position = ?", (session_id, position))
            for ordinal, row in enumerate(rows):
                db.execute("INSERT INTO answer_phases (session_id, position, ordinal, phase, title, budget_seconds,"
                           " started_seconds, used_seconds, text) VALUES (?,?,?,?,?,?,?,?,?)",
                           (session_id, position, ordinal, row["phase"], row["title"], row["budget_seconds"],
                            row["started_seconds"], row["used_seconds"], row["text"]))

    def phases(self, session_id: str) -> list[PhaseRow]:
        rows = self.db.execute("SELECT * FROM answer_phases WHERE session_id = ? ORDER BY position, ordinal",
                               (session_id,))
        return [PhaseRow.from_row(r) for r in rows]

    def phase_time_use(self, sessions: int, company: str | None = None, role: str | None = None) -> list[sqlite3.Row]:
        """Per phase title over the newest `sessions` sessions with phases (of a company and role, when
        given): answers, average time used and budgeted, and how often the phase was never reached."""
        return self.db.execute(
            "SELECT p.title AS title, MIN(p.ordinal) AS ordinal, COUNT(*) AS answers,"
            " AVG(COALESCE(p.used_seconds, 0)) AS used, AVG(p.budget_seconds) AS budget,"
            " SUM(p.started_seconds IS NULL) AS unreached FROM answer_phases p"
            " WHERE p.session_id IN (SELECT s.id FROM sessions s WHERE EXISTS"
            " (SELECT 1 FROM answer_phases q WHERE q.session_id = s.id)"
            " AND (? IS NULL OR s.company_slug = ?) AND (? IS NULL OR s.role_slug = ?)"
            " ORDER BY s.started_at DESC LIMIT ?)"
            " GROUP BY p.title ORDER BY ordinal, title", (company, company, role, role, sessions)).fetchall()

    # ---- scores -----------------------------------------------------------

    def save_scores(self, session_id: str, scored: list[tuple[int, object]], overall: float, scorer: str) -> None:
        """scored: (position, AnswerScore) pairs. Replaces nothing: the newest score per position wins."""
        now = utc_now()
        with self.transaction() as db:
            for position, result in scored:
                db.execute(
                    "INSERT INTO scores (session_id, position, question_id, scorer, rubric_version, score, max_score,"
                    " points, feedback, samples, scored_at, details) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                    (session_id, position, result.question_id, result.scorer, result.rubric_version, result.score,
                     10.0, json.dumps([p.__dict__ for p in result.points]), result.feedback,
                     json.dumps(list(result.samples)), now, score_details(result)),
                )
            db.execute(
                "UPDATE sessions SET status = ?, overall = ?, scorer = ?,"
                " finished_at = COALESCE(finished_at, ?) WHERE id = ?",
                (SessionStatus.SCORED, overall, scorer, now, session_id),
            )

    def latest_scores(self, session_id: str) -> dict[int, ScoreRow]:
        """position -> the newest score of that position's answer."""
        rows = self.db.execute("SELECT * FROM scores WHERE session_id = ? ORDER BY position, id", (session_id,))
        return {row["position"]: ScoreRow.from_row(row) for row in rows}

    def transcript(self, session_id: str) -> Transcript:
        """A session's planned questions in order, each with its answer, follow-ups and newest score."""
        session = self.session(session_id)
        questions = [QuestionTranscript(position) for position in range(len(session.plan))]
        for answer in self.answers(session.id):
            if answer.position >= len(questions):
                continue
            slot = questions[answer.position]
            if answer.kind == AnswerKind.MAIN:
                slot.main = answer
            else:
                slot.follow_ups.append(answer)
        for position, score in self.latest_scores(session.id).items():
            if position < len(questions):
                questions[position].score = score
        for position, tests in self.test_results(session.id).items():
            if position < len(questions):
                questions[position].tests = tests
        for ask in self.asks(session.id):
            if ask.position < len(questions):
                questions[ask.position].asks.append(ask)
        for phase in self.phases(session.id):
            if phase.position < len(questions):
                questions[phase.position].phases.append(phase)
        return Transcript(session, questions)

    # ---- coding test results ------------------------------------------------

    def save_test_results(self, session_id: str, position: int, question_id: str, rows: list[dict],
                          isolated: bool) -> None:
        """Replaces the test results of one answer. rows: test_index, hidden, status, seconds, args, expected,
        got, error."""
        now = utc_now()
        with self.transaction() as db:
            db.execute("DELETE FROM test_results WHERE session_id = ? AND position = ?", (session_id, position))
            db.executemany(
                "INSERT INTO test_results (session_id, position, question_id, test_index, hidden, status, seconds,"
                " args, expected, got, error, isolated, ran_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [(session_id, position, question_id, r["test_index"], int(r["hidden"]), r["status"], r["seconds"],
                  r["args"], r["expected"], r["got"], r["error"], int(isolated), now) for r in rows],
            )

    def test_results(self, session_id: str) -> dict[int, list[TestResultRow]]:
        """position -> that answer's test results, in test order."""
        out: dict[int, list[TestResultRow]] = {}
        for row in self.db.execute("SELECT * FROM test_results WHERE session_id = ? ORDER BY position, test_index",
                                   (session_id,)):
            out.setdefault(row["position"], []).append(TestResultRow.from_row(row))
        return out

    def test_totals(self, session_ids: list[str]) -> dict[str, tuple[int, int]]:
        """session id -> (tests passed, tests run) over its coding answers."""
        out: dict[str, tuple[int, int]] = {}
        for start in range(0, len(session_ids), 500):
            chunk = session_ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(
                f"SELECT session_id, SUM(status = 'passed'), COUNT(*) FROM test_results WHERE session_id IN ({marks})"
                " GROUP BY session_id", chunk)
            out.update({sid: (int(passed), int(total)) for sid, passed, total in rows})
        return out

    # ---- practice: history counts (appended) ---------------------------------

    def answered_counts(self, session_ids: list[str]) -> dict[str, int]:
        """session id -> how many of its planned questions have a main answer that was not skipped."""
        out: dict[str, int] = {}
        for start in range(0, len(session_ids), 500):
            chunk = session_ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(
                f"SELECT session_id, COUNT(DISTINCT position) FROM answers WHERE session_id IN ({marks})"
                " AND kind = ? AND skipped = 0 GROUP BY session_id", [*chunk, AnswerKind.MAIN])
            out.update({sid: n for sid, n in rows})
        return out
