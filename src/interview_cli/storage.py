"""SQLite history: sessions, answers, drafts and scores.

The schema only ever grows through MIGRATIONS, an append-only list of named steps
recorded in the `migrations` table and applied when the database is opened.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from . import paths
from .errors import DrillError, UsageError

BUSY_TIMEOUT_MS = 30_000

MIGRATIONS: list[tuple[str, str]] = [
    (
        "0001_sessions_answers_scores",
        """
        CREATE TABLE sessions (
            id TEXT PRIMARY KEY,
            company TEXT NOT NULL,
            role TEXT NOT NULL,
            company_slug TEXT NOT NULL,
            role_slug TEXT NOT NULL,
            round TEXT NOT NULL,
            round_title TEXT NOT NULL,
            bank_path TEXT,
            plan TEXT NOT NULL,              -- JSON list of question ids, in order
            started_at TEXT NOT NULL,
            finished_at TEXT,
            status TEXT NOT NULL,            -- in_progress | unfinished | unscored | scored
            scorer TEXT,
            overall REAL,
            options TEXT NOT NULL DEFAULT '{}'
        );
        CREATE INDEX sessions_started ON sessions(started_at DESC);
        CREATE INDEX sessions_bank ON sessions(company_slug, role_slug, round, started_at DESC);
        CREATE INDEX sessions_status ON sessions(status, started_at DESC);

        CREATE TABLE answers (
            id INTEGER PRIMARY KEY,
            session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,       -- index into the session's plan
            question_id TEXT NOT NULL,
            kind TEXT NOT NULL,              -- main | follow_up
            prompt TEXT NOT NULL,
            answer TEXT NOT NULL,
            skipped INTEGER NOT NULL DEFAULT 0,
            auto_submitted INTEGER NOT NULL DEFAULT 0,
            hints TEXT NOT NULL DEFAULT '[]',
            seconds REAL,
            submitted_at TEXT NOT NULL
        );
        CREATE INDEX answers_session ON answers(session_id, position, id);
        CREATE INDEX answers_question ON answers(question_id);

        CREATE TABLE drafts (
            session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            kind TEXT NOT NULL,
            text TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (session_id, position, kind)
        );

        CREATE TABLE scores (
            id INTEGER PRIMARY KEY,
            session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            question_id TEXT NOT NULL,
            scorer TEXT NOT NULL,
            rubric_version TEXT NOT NULL,
            score REAL NOT NULL,
            max_score REAL NOT NULL,
            points TEXT NOT NULL,            -- JSON list of {point, weight, covered, evidence, note}
            feedback TEXT NOT NULL,
            samples TEXT NOT NULL DEFAULT '[]',
            scored_at TEXT NOT NULL
        );
        CREATE INDEX scores_session ON scores(session_id, position, id DESC);
        CREATE INDEX scores_question ON scores(question_id, scored_at);
        """,
    ),
]


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def new_session_id() -> str:
    return secrets.token_hex(4)


@dataclass
class SessionRow:
    id: str
    company: str
    role: str
    company_slug: str
    role_slug: str
    round: str
    round_title: str
    bank_path: str | None
    plan: list[str]
    started_at: str
    finished_at: str | None
    status: str
    scorer: str | None
    overall: float | None
    options: dict

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> SessionRow:
        data = dict(row)
        data["plan"] = json.loads(data["plan"])
        data["options"] = json.loads(data["options"] or "{}")
        return cls(**data)


class Store:
    """One connection to the history database, migrated on open."""

    def __init__(self, path: Path | None = None):
        self.path = path or paths.database_path()
        try:
            self.db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        except sqlite3.Error as exc:
            raise DrillError(f"cannot open history database {self.path}: {exc} — check DRILL_HOME") from None
        self.db.row_factory = sqlite3.Row
        self.db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        self.db.execute("PRAGMA foreign_keys = ON")
        self._set_wal()
        self._migrate()

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
            db.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
            done = {r[0] for r in db.execute("SELECT name FROM migrations")}
            for name, script in MIGRATIONS:
                if name in done:
                    continue
                for statement in _statements(script):
                    db.execute(statement)
                db.execute("INSERT INTO migrations (name, applied_at) VALUES (?, ?)", (name, utc_now()))

    def applied_migrations(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT name FROM migrations ORDER BY name")]

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
                 json.dumps(plan), started_at or utc_now(), "in_progress", json.dumps(options or {})),
            )
        return session_id

    def session(self, session_id: str) -> SessionRow:
        row = self.db.execute("SELECT * FROM sessions WHERE id = ?", (session_id,)).fetchone()
        if row is None:
            matches = self.db.execute("SELECT * FROM sessions WHERE id LIKE ? LIMIT 2", (session_id + "%",)).fetchall()
            if len(matches) == 1 and session_id:
                return SessionRow.from_row(matches[0])
            raise UsageError(f"no session '{session_id}' — list sessions with: drill history")
        return SessionRow.from_row(row)

    def set_status(self, session_id: str, status: str, finished: bool = False) -> None:
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

    def add_answer(self, session_id: str, *, position: int, question_id: str, kind: str, prompt: str,
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

    def answers(self, session_id: str) -> list[sqlite3.Row]:
        return self.db.execute(
            "SELECT * FROM answers WHERE session_id = ? ORDER BY position, id", (session_id,)
        ).fetchall()

    def save_draft(self, session_id: str, position: int, kind: str, text: str) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO drafts (session_id, position, kind, text, updated_at) VALUES (?,?,?,?,?)"
                " ON CONFLICT(session_id, position, kind) DO UPDATE SET text = excluded.text,"
                " updated_at = excluded.updated_at",
                (session_id, position, kind, text, utc_now()),
            )

    def draft(self, session_id: str, position: int, kind: str) -> str | None:
        row = self.db.execute(
            "SELECT text FROM drafts WHERE session_id = ? AND position = ? AND kind = ?", (session_id, position, kind)
        ).fetchone()
        return row[0] if row else None

    # ---- scores -----------------------------------------------------------

    def save_scores(self, session_id: str, scored: list[tuple[int, object]], overall: float, scorer: str) -> None:
        """scored: (position, AnswerScore) pairs. Replaces nothing: the newest score per position wins."""
        now = utc_now()
        with self.transaction() as db:
            for position, result in scored:
                db.execute(
                    "INSERT INTO scores (session_id, position, question_id, scorer, rubric_version, score, max_score,"
                    " points, feedback, samples, scored_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    (session_id, position, result.question_id, result.scorer, result.rubric_version, result.score,
                     10.0, json.dumps([p.__dict__ for p in result.points]), result.feedback,
                     json.dumps(list(result.samples)), now),
                )
            db.execute(
                "UPDATE sessions SET status = 'scored', overall = ?, scorer = ?,"
                " finished_at = COALESCE(finished_at, ?) WHERE id = ?",
                (overall, scorer, now, session_id),
            )

    def latest_scores(self, session_id: str) -> dict[int, sqlite3.Row]:
        rows = self.db.execute(
            "SELECT * FROM scores WHERE session_id = ? ORDER BY position, id", (session_id,)
        ).fetchall()
        return {row["position"]: row for row in rows}


def _statements(script: str) -> list[str]:
    out, buf = [], []
    for line in script.splitlines():
        buf.append(line.split("--")[0])
        joined = "\n".join(buf)
        if sqlite3.complete_statement(joined):
            if joined.strip().rstrip(";").strip():
                out.append(joined)
            buf = []
    return out
