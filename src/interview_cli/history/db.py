"""SQLite history: sessions, answers, drafts and scores.

The schema only ever grows through MIGRATIONS, an append-only list of named steps
recorded in the `migrations` table and applied when the database is opened.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.request import pathname2url

from interview_cli import paths
from interview_cli.errors import DrillError, UsageError

BUSY_TIMEOUT_MS = 30_000
RESUMABLE = ("in_progress", "unfinished")  # statuses `drill resume` continues
ABANDONED_AFTER_HOURS = 12  # a resumable session idle this long shows as abandoned

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
        "0004_review_skips",
        """
        -- A skipped answer is still a review (it schedules the question soon) but not a score of 0:
        -- it is counted apart (topic_totals.skips) and kept out of a topic's mean and recent answers.
        ALTER TABLE reviews ADD COLUMN skipped INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE review_topics ADD COLUMN skipped INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE topic_totals ADD COLUMN skips INTEGER NOT NULL DEFAULT 0;
        DROP TRIGGER reviews_topics_insert;
        CREATE TRIGGER reviews_topics_insert AFTER INSERT ON reviews BEGIN
            INSERT OR IGNORE INTO review_topics (review_id, topic, company_slug, role_slug, session_id, score,
                                                 reviewed_at, skipped)
            SELECT new.id, value, new.company_slug, new.role_slug, new.session_id, new.score, new.reviewed_at,
                   new.skipped
            FROM json_each(new.topics);
        END;
        DROP TRIGGER review_topics_totals_insert;
        CREATE TRIGGER review_topics_totals_insert AFTER INSERT ON review_topics BEGIN
            INSERT INTO topic_totals (company_slug, role_slug, topic, sessions, answers, total, skips)
            VALUES (new.company_slug, new.role_slug, new.topic, 0, 1 - new.skipped,
                    CASE WHEN new.skipped THEN 0 ELSE new.score END, new.skipped)
            ON CONFLICT (company_slug, role_slug, topic) DO UPDATE SET answers = answers + excluded.answers,
                total = total + excluded.total, skips = skips + excluded.skips;
            UPDATE topic_totals SET sessions = sessions + 1
            WHERE company_slug = new.company_slug AND role_slug = new.role_slug AND topic = new.topic
                AND NOT EXISTS (SELECT 1 FROM review_topics WHERE company_slug = new.company_slug
                    AND role_slug = new.role_slug AND topic = new.topic AND session_id = new.session_id
                    AND review_id != new.review_id);
        END;
        DROP TRIGGER review_topics_totals_delete;
        CREATE TRIGGER review_topics_totals_delete AFTER DELETE ON review_topics BEGIN
            UPDATE topic_totals SET answers = answers - (1 - old.skipped),
                total = total - CASE WHEN old.skipped THEN 0 ELSE old.score END, skips = skips - old.skipped,
                sessions = sessions - NOT EXISTS (SELECT 1 FROM review_topics WHERE company_slug = old.company_slug
                    AND role_slug = old.role_slug AND topic = old.topic AND session_id = old.session_id)
            WHERE company_slug = old.company_slug AND role_slug = old.role_slug AND topic = old.topic;
            DELETE FROM topic_totals WHERE company_slug = old.company_slug AND role_slug = old.role_slug
                AND topic = old.topic AND answers <= 0 AND skips <= 0;
        END;
        -- reviews of skipped answers recorded before this migration become skips (replaced, never updated)
        CREATE TEMP TABLE skipped_reviews AS SELECT * FROM reviews AS r WHERE EXISTS (SELECT 1 FROM answers AS a
            WHERE a.session_id = r.session_id AND a.position = r.position AND a.kind = 'main' AND a.skipped = 1);
        DELETE FROM reviews WHERE id IN (SELECT id FROM skipped_reviews);
        INSERT INTO reviews (id, session_id, position, company_slug, role_slug, question_id, round, topics, score,
                             rating, reviewed_at, skipped)
        SELECT id, session_id, position, company_slug, role_slug, question_id, round, topics, score, rating,
               reviewed_at, 1 FROM skipped_reviews;
        DROP TABLE skipped_reviews;
        DROP INDEX review_topics_recent;  -- the same orders, covering the skipped flag `drill stats` filters on
        DROP INDEX review_topics_bank;
        CREATE INDEX review_topics_recent ON review_topics(topic, reviewed_at, session_id, review_id, score, skipped);
        CREATE INDEX review_topics_bank ON review_topics(company_slug, role_slug, topic, reviewed_at, session_id,
                                                         review_id, score, skipped);
        DELETE FROM bank_index;  -- company and role slugs keep non-ASCII letters now: parse every bank again
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


def is_idle(last_activity: str | None, at: datetime) -> bool:
    """Has a session had no activity for ABANDONED_AFTER_HOURS by `at`?"""
    if not last_activity:
        return False
    when = datetime.fromisoformat(last_activity)
    when = when if when.tzinfo else when.replace(tzinfo=UTC)
    return (at - when).total_seconds() >= ABANDONED_AFTER_HOURS * 3600


class NewerDatabaseError(UsageError):
    """The history has migrations this drill does not know: it was written by a newer drill."""


class StorageError(DrillError):
    """The history database cannot be opened or written: a full disk, a read-only home, ...

    `problem` says which in a few words ("the disk is full")."""

    def __init__(self, message: str, problem: str = ""):
        super().__init__(message)
        self.problem = problem or message


SQLITE_READONLY, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN = 8, 10, 13, 14


def storage_problem(exc: sqlite3.Error) -> str | None:
    """What a full disk or a read-only home looks like to SQLite, in words (None for other errors)."""
    code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
    if code == SQLITE_FULL or (code == SQLITE_IOERR and "full" in str(exc)):
        return "the disk is full"
    if code in (SQLITE_READONLY, SQLITE_CANTOPEN) or "readonly" in str(exc):
        return "it is read-only"
    if code == SQLITE_IOERR:
        return "a disk I/O error (is the disk full?)"
    return None


class Store:
    """One connection to the history database, migrated on open.

    `read_only=True` (the commands that only read: history, report, stats, export, plan) opens
    the file read-only when no migration is pending, so they work on a read-only or full disk;
    a missing database reads as an empty history. Opening for writing applies pending
    migrations and repairs any scored session left without its reviews.
    """

    def __init__(self, path: Path | None = None, *, read_only: bool = False):
        self.path = path or (paths.drill_home() / "drill.db" if read_only else paths.database_path())
        self.read_only = False
        try:
            state = self._open_read_only() if read_only else "write"
            if state == "ok":
                return
            try:
                self._open_for_writing()
            except sqlite3.OperationalError as exc:
                if state != "repair" or storage_problem(exc) is None:
                    raise
                self._open_read_only(repair=False)  # cannot repair on this disk: read it as it is
        except sqlite3.DatabaseError as exc:
            raise self._open_error(exc) from None

    def _connect(self, target: str, uri: bool = False) -> sqlite3.Connection:
        db = sqlite3.connect(target, uri=uri, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        db.row_factory = sqlite3.Row
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db.execute("PRAGMA foreign_keys = ON")
        return db

    def _open_read_only(self, repair: bool = True) -> str:
        """"ok": opened read-only; "pending" (a migration) or "repair" (a session to repair): open for writing."""
        if not self.path.exists():
            if self.path.parent.exists() and not self.path.parent.is_dir():
                paths.ensure_dir(self.path.parent)  # DRILL_HOME names a file: say so
            self.db = self._connect(":memory:")
            self._migrate()
            self.read_only = True
            return "ok"
        location = "file:" + pathname2url(str(self.path.resolve()))
        try:
            self.db = self._connect(location + "?mode=ro", uri=True)
            pending = self._pending_migrations()
        except sqlite3.OperationalError:  # a WAL database in a folder we cannot write: read it as it is
            self.db = self._connect(location + "?mode=ro&immutable=1", uri=True)
            pending = self._pending_migrations()
        if pending or (repair and self._sessions_to_repair()):
            self.db.close()
            return "pending" if pending else "repair"
        self.read_only = True
        return "ok"

    def _open_for_writing(self) -> None:
        self.db = self._connect(str(self.path))
        self._pending_migrations()  # refuses a newer history before anything is written
        self._set_wal()
        self._migrate()
        self._repair()

    def _pending_migrations(self) -> list[str]:
        """Known migrations not applied yet; a NewerDatabaseError when the file has ones we do not know."""
        has_table = self.db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'migrations'")
        done = {r[0] for r in self.db.execute("SELECT name FROM migrations")} if has_table.fetchone() else set()
        known = [name for name, _ in MIGRATIONS]
        unknown = sorted(done - set(known))
        if unknown:
            self.db.close()
            raise NewerDatabaseError(f"this history was written by a newer drill (migration {unknown[-1]}); "
                                     f"upgrade drill (the file {self.path} was not changed)")
        return [name for name in known if name not in done]

    def _open_error(self, exc: sqlite3.DatabaseError) -> DrillError:
        problem = storage_problem(exc)
        if problem is None:
            return DrillError(f"cannot open the history database {self.path}: {exc} — move the file aside, "
                              "or set DRILL_HOME to another folder")
        pending = self._pending_names()
        if pending:
            return StorageError(f"the history in {self.path} needs an upgrade for this drill (migration {pending[0]}), "
                                f"but {problem} — make {self.path.parent} writable and free, or set DRILL_HOME "
                                "to another folder")
        return StorageError(f"cannot write the history database {self.path}: {problem} — "
                            f"{'free some space' if 'full' in problem else f'make {self.path.parent} writable'}, "
                            "or set DRILL_HOME to another folder")

    def _pending_names(self) -> list[str]:
        """Pending migrations, read without writing (for an error message; [] when unreadable)."""
        try:
            db = sqlite3.connect("file:" + pathname2url(str(self.path.resolve())) + "?mode=ro&immutable=1", uri=True)
            try:
                done = {r[0] for r in db.execute("SELECT name FROM migrations")}
            finally:
                db.close()
        except sqlite3.Error:
            return []
        return [name for name, _ in MIGRATIONS if name not in done]

    def _set_wal(self) -> None:
        for _ in range(50):
            try:
                self.db.execute("PRAGMA journal_mode = WAL")
                self.db.execute("PRAGMA synchronous = NORMAL")
                return
            except sqlite3.OperationalError as exc:
                if storage_problem(exc):
                    raise
                time.sleep(0.05)

    def _sessions_to_repair(self) -> list[str]:
        """Scored sessions with no reviews (killed between the two, before they shared a transaction)."""
        return [r[0] for r in self.db.execute(
            "SELECT id FROM sessions AS s WHERE status = 'scored'"
            " AND NOT EXISTS (SELECT 1 FROM reviews WHERE session_id = s.id)"
            " AND EXISTS (SELECT 1 FROM scores WHERE session_id = s.id)")]

    def _repair(self) -> None:
        """Give every scored session without reviews its reviews (and its cards their schedule)."""
        orphans = self._sessions_to_repair()
        if not orphans:
            return
        from interview_cli.history.scheduling import record_reviews

        for session_id in orphans:
            record_reviews(self, session_id, _bank_of(self.session(session_id)))

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT; a full disk or read-only file becomes a StorageError saying so."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            problem = storage_problem(exc)
            if problem is None:
                raise
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise StorageError(f"cannot write the history database {self.path}: {problem} — "
                               f"{'free some space' if 'full' in problem else 'make it writable'}, "
                               "then run the command again", problem) from None

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

    def write_cache(self, sql: str, rows: list[tuple]) -> bool:
        """A write that may be skipped (a cache): False when the disk is full or read-only. A store opened
        read-only writes through a short-lived writable connection when it can."""
        try:
            if not self.read_only:
                with self.transaction() as db:
                    db.executemany(sql, rows)
                return True
            if not self.path.exists():
                return False
            db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000)
            try:
                with db:
                    db.executemany(sql, rows)
            finally:
                db.close()
            return True
        except StorageError:
            return False
        except sqlite3.OperationalError as exc:
            if storage_problem(exc) is None:
                raise
            return False

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

    def save_scores(self, session_id: str, scored: list[tuple[int, object]], overall: float, scorer: str, *,
                    finished: bool = True, then: Callable[[sqlite3.Connection], None] | None = None) -> None:
        """scored: (position, AnswerScore) pairs. Replaces nothing: the newest score per position wins.

        `finished=False` (an unfinished session scored so far) keeps its status, so it stays resumable.
        `then(db)` runs in the same transaction (the reviews), so a kill never leaves scores without them."""
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
            if finished:
                db.execute(
                    "UPDATE sessions SET status = 'scored', overall = ?, scorer = ?,"
                    " finished_at = COALESCE(finished_at, ?) WHERE id = ?",
                    (overall, scorer, now, session_id),
                )
            else:
                db.execute("UPDATE sessions SET overall = ?, scorer = ? WHERE id = ?", (overall, scorer, session_id))
            if then is not None:
                then(db)

    def discard(self, session_id: str) -> list[tuple[str, str, str]]:
        """Delete a session with its answers, drafts, scores and reviews; returns the cards its reviews touched."""
        with self.transaction() as db:
            touched = [tuple(r) for r in db.execute(
                "SELECT DISTINCT company_slug, role_slug, question_id FROM reviews WHERE session_id = ?", (session_id,))]
            db.execute("DELETE FROM reviews WHERE session_id = ?", (session_id,))
            db.execute("DELETE FROM sessions WHERE id = ?", (session_id,))
            from interview_cli.history.scheduling import rebuild_card

            for key in touched:
                rebuild_card(db, *key)
        return touched

    def last_activity(self, session_ids: list[str]) -> dict[str, str]:
        """session id -> when it last changed: its start, its newest answer or its newest draft."""
        out: dict[str, str] = {}
        for start in range(0, len(session_ids), 500):
            chunk = session_ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(
                f"SELECT s.id, MAX(s.started_at, COALESCE((SELECT MAX(submitted_at) FROM answers WHERE session_id = s.id),"
                f" ''), COALESCE((SELECT MAX(updated_at) FROM drafts WHERE session_id = s.id), ''))"
                f" FROM sessions AS s WHERE s.id IN ({marks})", chunk)
            out.update({sid: when for sid, when in rows})
        return out

    def latest_scores(self, session_id: str) -> dict[int, sqlite3.Row]:
        rows = self.db.execute(
            "SELECT * FROM scores WHERE session_id = ? ORDER BY position, id", (session_id,)
        ).fetchall()
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


def _bank_of(session: SessionRow):
    """The session's bank file, when it still loads (for its questions' topics), else None."""
    from interview_cli.banks.loader import BankError, load_bank

    if not session.bank_path:
        return None
    try:
        return load_bank(Path(session.bank_path), "session")
    except (BankError, OSError):
        return None


def _statements(script: str) -> list[str]:
    """A migration script cut into complete statements (comments stay; SQLite skips them)."""
    out, buf = [], []
    for line in script.splitlines():
        buf.append(line)
        if sqlite3.complete_statement("\n".join(buf)):
            out.append("\n".join(buf))
            buf = []
    return out
