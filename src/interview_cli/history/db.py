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

from interview_cli import paths
from interview_cli.errors import DrillError, UsageError

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
    (
        "0002_practice_reviews_cards_bank_index",
        """
        CREATE TABLE reviews (                -- one per scored answer: the FSRS review it counts as
            id INTEGER PRIMARY KEY,
            session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            company_slug TEXT NOT NULL,
            role_slug TEXT NOT NULL,
            question_id TEXT NOT NULL,
            round TEXT NOT NULL,             -- the question's round in its bank
            topics TEXT NOT NULL DEFAULT '[]',  -- JSON list, copied from the bank at review time
            score REAL NOT NULL,             -- 0-10, the latest score of that answer
            rating INTEGER NOT NULL,         -- fsrs Rating: 1 Again, 2 Hard, 3 Good, 4 Easy
            reviewed_at TEXT NOT NULL,       -- when the answer was submitted (UTC ISO 8601)
            UNIQUE (session_id, position)
        );
        CREATE INDEX reviews_card ON reviews(company_slug, role_slug, question_id, reviewed_at);
        CREATE INDEX reviews_session_round ON reviews(session_id, company_slug, role_slug, round);

        CREATE TABLE round_sessions (         -- per session and question round: answers and score total
            company_slug TEXT NOT NULL,       -- kept by the triggers on reviews, for `drill stats`
            role_slug TEXT NOT NULL,
            round TEXT NOT NULL,
            session_id TEXT NOT NULL,
            answers INTEGER NOT NULL,
            total REAL NOT NULL,
            last_at TEXT NOT NULL,
            PRIMARY KEY (company_slug, role_slug, round, session_id)
        ) WITHOUT ROWID;
        CREATE INDEX round_sessions_latest ON round_sessions(company_slug, role_slug, round, last_at);
        CREATE TRIGGER reviews_round_insert AFTER INSERT ON reviews BEGIN
            INSERT INTO round_sessions (company_slug, role_slug, round, session_id, answers, total, last_at)
            VALUES (new.company_slug, new.role_slug, new.round, new.session_id, 1, new.score, new.reviewed_at)
            ON CONFLICT (company_slug, role_slug, round, session_id) DO UPDATE SET
                answers = answers + 1, total = total + excluded.total, last_at = MAX(last_at, excluded.last_at);
        END;
        CREATE TRIGGER reviews_round_delete AFTER DELETE ON reviews BEGIN
            DELETE FROM round_sessions WHERE company_slug = old.company_slug AND role_slug = old.role_slug
                AND round = old.round AND session_id = old.session_id AND answers <= 1;
            UPDATE round_sessions SET answers = answers - 1, total = total - old.score,
                last_at = (SELECT MAX(reviewed_at) FROM reviews WHERE session_id = old.session_id
                           AND company_slug = old.company_slug AND role_slug = old.role_slug AND round = old.round)
            WHERE company_slug = old.company_slug AND role_slug = old.role_slug AND round = old.round
                AND session_id = old.session_id;
        END;

        CREATE TABLE review_topics (          -- reviews x topics, kept by the triggers below, for `drill stats`
            review_id INTEGER NOT NULL,
            topic TEXT NOT NULL,
            company_slug TEXT NOT NULL,
            role_slug TEXT NOT NULL,
            session_id TEXT NOT NULL,
            score REAL NOT NULL,
            reviewed_at TEXT NOT NULL,
            PRIMARY KEY (review_id, topic)
        ) WITHOUT ROWID;
        CREATE INDEX review_topics_recent ON review_topics(topic, reviewed_at, score);
        CREATE INDEX review_topics_bank ON review_topics(company_slug, role_slug, topic, reviewed_at, score);
        CREATE INDEX review_topics_session ON review_topics(company_slug, role_slug, topic, session_id);

        CREATE TABLE topic_totals (           -- per bank and topic: sessions, answers and score total
            company_slug TEXT NOT NULL,       -- kept by the triggers on review_topics, for `drill stats`
            role_slug TEXT NOT NULL,
            topic TEXT NOT NULL,
            sessions INTEGER NOT NULL,
            answers INTEGER NOT NULL,
            total REAL NOT NULL,
            PRIMARY KEY (company_slug, role_slug, topic)
        ) WITHOUT ROWID;
        CREATE TRIGGER review_topics_totals_insert AFTER INSERT ON review_topics BEGIN
            INSERT INTO topic_totals (company_slug, role_slug, topic, sessions, answers, total)
            VALUES (new.company_slug, new.role_slug, new.topic, 0, 1, new.score)
            ON CONFLICT (company_slug, role_slug, topic) DO UPDATE SET answers = answers + 1,
                total = total + excluded.total;
            UPDATE topic_totals SET sessions = sessions + 1
            WHERE company_slug = new.company_slug AND role_slug = new.role_slug AND topic = new.topic
                AND NOT EXISTS (SELECT 1 FROM review_topics WHERE company_slug = new.company_slug
                    AND role_slug = new.role_slug AND topic = new.topic AND session_id = new.session_id
                    AND review_id != new.review_id);
        END;
        CREATE TRIGGER review_topics_totals_delete AFTER DELETE ON review_topics BEGIN
            UPDATE topic_totals SET answers = answers - 1, total = total - old.score,
                sessions = sessions - NOT EXISTS (SELECT 1 FROM review_topics WHERE company_slug = old.company_slug
                    AND role_slug = old.role_slug AND topic = old.topic AND session_id = old.session_id)
            WHERE company_slug = old.company_slug AND role_slug = old.role_slug AND topic = old.topic;
            DELETE FROM topic_totals WHERE company_slug = old.company_slug AND role_slug = old.role_slug
                AND topic = old.topic AND answers <= 0;
        END;
        CREATE TRIGGER reviews_topics_insert AFTER INSERT ON reviews BEGIN
            INSERT OR IGNORE INTO review_topics (review_id, topic, company_slug, role_slug, session_id, score, reviewed_at)
            SELECT new.id, value, new.company_slug, new.role_slug, new.session_id, new.score, new.reviewed_at
            FROM json_each(new.topics);
        END;
        CREATE TRIGGER reviews_topics_delete AFTER DELETE ON reviews BEGIN
            DELETE FROM review_topics WHERE review_id = old.id;
        END;
        CREATE TRIGGER reviews_no_update BEFORE UPDATE ON reviews BEGIN
            SELECT RAISE(ABORT, 'reviews are replaced, not updated: delete the row and insert the new one');
        END;

        CREATE TABLE cards (                  -- one FSRS card per bank question, rebuilt from its reviews
            company_slug TEXT NOT NULL,
            role_slug TEXT NOT NULL,
            question_id TEXT NOT NULL,
            round TEXT NOT NULL,
            card TEXT NOT NULL,              -- fsrs Card.to_dict() as JSON
            due TEXT NOT NULL,               -- UTC ISO 8601, copied out of the card for indexing
            last_review TEXT,
            last_score REAL,
            reviews INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (company_slug, role_slug, question_id)
        );
        CREATE INDEX cards_due ON cards(due);

        CREATE TABLE bank_index (             -- cache of bank files' questions, so `drill plan` need not parse YAML
            path TEXT PRIMARY KEY,
            mtime_ns INTEGER NOT NULL,
            size INTEGER NOT NULL,
            summary TEXT                     -- JSON, NULL when the file is not a valid bank
        );
        """,
    ),
    (
        "0003_review_topics_portable_order",
        """
        -- `drill stats` takes a topic's latest answers by time, then session id, then row id: the same
        -- order on every machine (row ids differ after an import), straight off these indexes
        DROP INDEX review_topics_recent;
        DROP INDEX review_topics_bank;
        CREATE INDEX review_topics_recent ON review_topics(topic, reviewed_at, session_id, review_id, score);
        CREATE INDEX review_topics_bank ON review_topics(company_slug, role_slug, topic, reviewed_at, session_id,
                                                         review_id, score);
        """,
    ),
    (
        "0004_scorings",
        """
        -- every successful scoring of a session is kept: offline, then a model's second opinion, ...
        -- the newest one is the session's (sessions.overall/scorer); a failed scoring adds no row
        CREATE TABLE scorings (
            id INTEGER PRIMARY KEY,
            session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            scorer TEXT NOT NULL,            -- "offline" or the model name
            overall REAL NOT NULL,
            scored_at TEXT NOT NULL
        );
        CREATE INDEX scorings_session ON scorings(session_id, id DESC);
        ALTER TABLE scores ADD COLUMN scoring_id INTEGER REFERENCES scorings(id) ON DELETE CASCADE;
        -- scores written before this migration: one scoring per session, scorer and time
        INSERT INTO scorings (session_id, scorer, overall, scored_at)
            SELECT session_id, scorer, ROUND(AVG(score), 1), scored_at FROM scores
            GROUP BY session_id, scorer, scored_at ORDER BY MIN(id);
        UPDATE scores SET scoring_id = (SELECT g.id FROM scorings AS g WHERE g.session_id = scores.session_id
            AND g.scorer = scores.scorer AND g.scored_at = scores.scored_at);
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


@dataclass(frozen=True)
class ScoringRow:
    """One successful scoring of a session: who scored it, when, and the overall it gave."""

    id: int
    session_id: str
    scorer: str
    overall: float
    scored_at: str


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

    def newest_session(self, statuses: tuple[str, ...]) -> str | None:
        """The id of the newest session in one of these statuses."""
        marks = ", ".join("?" * len(statuses))
        row = self.db.execute(f"SELECT id FROM sessions WHERE status IN ({marks})"
                              " ORDER BY started_at DESC, rowid DESC LIMIT 1", statuses).fetchone()
        return row[0] if row else None

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

    def last_asked(self, company_slug: str, role_slug: str) -> dict[str, str]:
        """question id -> when it was last answered as a main question, for one bank."""
        rows = self.db.execute(
            "SELECT a.question_id, MAX(a.submitted_at) FROM answers a JOIN sessions s ON s.id = a.session_id"
            " WHERE s.company_slug = ? AND s.role_slug = ? AND a.kind = 'main' GROUP BY a.question_id",
            (company_slug, role_slug),
        )
        return {qid: when for qid, when in rows}

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

    def delete_draft(self, session_id: str, position: int, kind: str) -> None:
        with self.transaction() as db:
            db.execute("DELETE FROM drafts WHERE session_id = ? AND position = ? AND kind = ?",
                       (session_id, position, kind))

    def draft(self, session_id: str, position: int, kind: str) -> str | None:
        row = self.db.execute(
            "SELECT text FROM drafts WHERE session_id = ? AND position = ? AND kind = ?", (session_id, position, kind)
        ).fetchone()
        return row[0] if row else None

    # ---- scores -----------------------------------------------------------

    def save_scores(self, session_id: str, scored: list[tuple[int, object]], overall: float, scorer: str) -> int:
        """scored: (position, AnswerScore) pairs, kept as one new scoring; replaces nothing. The id of the scoring."""
        now = utc_now()
        with self.transaction() as db:
            scoring_id = db.execute(
                "INSERT INTO scorings (session_id, scorer, overall, scored_at) VALUES (?,?,?,?)",
                (session_id, scorer, overall, now),
            ).lastrowid
            for position, result in scored:
                db.execute(
                    "INSERT INTO scores (session_id, position, question_id, scorer, rubric_version, score, max_score,"
                    " points, feedback, samples, scored_at, scoring_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                    (session_id, position, result.question_id, result.scorer, result.rubric_version, result.score,
                     10.0, json.dumps([p.__dict__ for p in result.points]), result.feedback,
                     json.dumps(list(result.samples)), now, scoring_id),
                )
            db.execute(
                "UPDATE sessions SET status = 'scored', overall = ?, scorer = ?,"
                " finished_at = COALESCE(finished_at, ?) WHERE id = ?",
                (overall, scorer, now, session_id),
            )
        return scoring_id

    def scorings(self, session_id: str) -> list[ScoringRow]:
        """A session's successful scorings, newest first."""
        rows = self.db.execute("SELECT * FROM scorings WHERE session_id = ? ORDER BY id DESC", (session_id,))
        return [ScoringRow(**dict(row)) for row in rows]

    def latest_scores(self, session_id: str, scorer: str | None = None) -> dict[int, sqlite3.Row]:
        """position -> score row of the newest scoring (by `scorer`, when given)."""
        scoring = self.db.execute(
            "SELECT id FROM scorings WHERE session_id = ? AND (? IS NULL OR scorer = ?) ORDER BY id DESC LIMIT 1",
            (session_id, scorer, scorer),
        ).fetchone()
        if scoring is not None:
            rows = self.db.execute("SELECT * FROM scores WHERE scoring_id = ? ORDER BY position, id", (scoring[0],))
        else:  # scores imported from another machine carry no scoring: the newest per position
            rows = self.db.execute(
                "SELECT * FROM scores WHERE session_id = ? AND (? IS NULL OR scorer = ?) ORDER BY position, id",
                (session_id, scorer, scorer),
            )
        return {row["position"]: row for row in rows}

    # ---- practice: history counts (appended) ---------------------------------

    def answered_counts(self, session_ids: list[str]) -> dict[str, int]:
        """session id -> how many of its planned questions have a main answer that was not skipped."""
        out: dict[str, int] = {}
        for start in range(0, len(session_ids), 500):
            chunk = session_ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(
                f"SELECT session_id, COUNT(DISTINCT position) FROM answers WHERE session_id IN ({marks})"
                " AND kind = 'main' AND skipped = 0 GROUP BY session_id", chunk)
            out.update({sid: n for sid, n in rows})
        return out


def link_unattached_scores(db: sqlite3.Connection) -> None:
    """Scores added without a scoring (imported from another machine) grouped into scorings: one per
    session, scorer and time, in the order they were added, each with the mean of its scores."""
    groups = db.execute(
        "SELECT session_id, scorer, scored_at, GROUP_CONCAT(id), GROUP_CONCAT(score, ',') FROM scores"
        " WHERE scoring_id IS NULL GROUP BY session_id, scorer, scored_at ORDER BY MIN(id)"
    ).fetchall()
    for session_id, scorer, scored_at, ids, scores in groups:
        values = [float(v) for v in scores.split(",")]
        scoring_id = db.execute(
            "INSERT INTO scorings (session_id, scorer, overall, scored_at) VALUES (?,?,?,?)",
            (session_id, scorer, round(sum(values) / len(values), 1), scored_at),
        ).lastrowid
        marks = ",".join("?" * len(ids.split(",")))
        db.execute(f"UPDATE scores SET scoring_id = ? WHERE id IN ({marks})", (scoring_id, *ids.split(",")))


def _statements(script: str) -> list[str]:
    """A migration script cut into complete statements (comments stay; SQLite skips them)."""
    out, buf = [], []
    for line in script.splitlines():
        buf.append(line)
        if sqlite3.complete_statement("\n".join(buf)):
            out.append("\n".join(buf))
            buf = []
    return out
