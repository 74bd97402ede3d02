"""SQLite history: sessions, answers, drafts and scores, read back as typed rows.

Every SQL statement drill runs lives in this package; the schema grows only through
history.migrations, applied when the database is opened.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from interview_cli import paths
from interview_cli.clock import iso, now, parse_time, utc_now
from interview_cli.errors import DrillError, UsageError
from interview_cli.history import migrations
from interview_cli.history.rows import (
    AskRow,
    AnswerKind,
    AnswerRow,
    DeliveryRow,
    DraftKind,
    PhaseRow,
    QuestionTranscript,
    ScoreRow,
    ScoringRow,
    SessionRow,
    SessionStatus,
    TestResultRow,
    Transcript,
)

BUSY_TIMEOUT_MS = 30_000
ABANDONED_AFTER_HOURS = 12  # a resumable session idle this long shows as abandoned
IDS_PER_QUERY = 500  # session ids bound in one query, well under SQLite's variable limit

def new_session_id() -> str:
    return os.urandom(4).hex()  # what secrets.token_hex(4) does, without importing it


def score_details(result) -> str:
    """The scores.details JSON of an AnswerScore: its breakdown, red flags said, and doubt."""
    flags = [{"point": f.point, "evidence": f.evidence} for f in result.red_flags]
    return json.dumps({"breakdown": result.breakdown, "red_flags": flags, "unsure": result.unsure})


def is_idle(last_activity: str | None, at: datetime) -> bool:
    """Has a session had no activity for ABANDONED_AFTER_HOURS by `at`?"""
    if not last_activity:
        return False
    return (at - parse_time(last_activity)).total_seconds() >= ABANDONED_AFTER_HOURS * 3600


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
        location = self.path.resolve().as_uri()
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
        known = [name for name, _ in migrations.MIGRATIONS]
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
            db = sqlite3.connect(self.path.resolve().as_uri() + "?mode=ro&immutable=1", uri=True)
            try:
                done = {r[0] for r in db.execute("SELECT name FROM migrations")}
            finally:
                db.close()
        except sqlite3.Error:
            return []
        return [name for name, _ in migrations.MIGRATIONS if name not in done]

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
            "SELECT id FROM sessions AS s WHERE status = ?"
            " AND NOT EXISTS (SELECT 1 FROM reviews WHERE session_id = s.id)"
            " AND EXISTS (SELECT 1 FROM scores WHERE session_id = s.id)", (SessionStatus.SCORED,))]

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
            migrations.migrate(db, utc_now())

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
            except sqlite3.OperationalError:  # e.g. another drill created the file and has not migrated it yet
                return False
            finally:
                db.close()
            return True
        except StorageError:
            return False
        except sqlite3.OperationalError as exc:
            if storage_problem(exc) is None:
                raise
            return False

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
                   submitted_at: str | None = None, delivery: dict | None = None) -> int:
        """Insert an answer (and, for a spoken one, its `delivery`: DeliveryRow.FIELDS) and drop its draft."""
        with self.transaction() as db:
            cur = db.execute(
                "INSERT INTO answers (session_id, position, question_id, kind, prompt, answer, skipped,"
                " auto_submitted, hints, seconds, submitted_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (session_id, position, question_id, kind, prompt, answer, int(skipped), int(auto_submitted),
                 json.dumps(hints or []), seconds, submitted_at or utc_now()),
            )
            if delivery is not None:
                values = {**delivery, "fillers": json.dumps(delivery.get("fillers") or {})}
                db.execute(
                    f"INSERT INTO answer_delivery (answer_id, session_id, position, measured_at,"
                    f" {', '.join(DeliveryRow.FIELDS)}) VALUES (?,?,?,?,{','.join('?' * len(DeliveryRow.FIELDS))})",
                    (cur.lastrowid, session_id, position, submitted_at or iso(now()),
                     *(values.get(name) for name in DeliveryRow.FIELDS)))
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

    def save_scores(self, session_id: str, scored: list[tuple[int, object]], overall: float, scorer: str, *,
                    finished: bool = True, then: Callable[[sqlite3.Connection], None] | None = None) -> int:
        """scored: (position, AnswerScore) pairs, kept as one new scoring; replaces nothing. The id of the scoring.

        `finished=False` (an unfinished session scored so far) keeps its status, so it stays resumable.
        `then(db)` runs in the same transaction (the reviews), so a kill never leaves scores without them."""
        now = utc_now()
        scored_at = utc_now("milliseconds")  # a re-score in the same second is still a scoring of its own
        with self.transaction() as db:
            scoring_id = db.execute(
                "INSERT INTO scorings (session_id, scorer, overall, scored_at) VALUES (?,?,?,?)",
                (session_id, scorer, overall, scored_at),
            ).lastrowid
            for position, result in scored:
                db.execute(
                    "INSERT INTO scores (session_id, position, question_id, scorer, rubric_version, score, max_score,"
                    " points, feedback, samples, scored_at, details, scoring_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (session_id, position, result.question_id, result.scorer, result.rubric_version, result.score,
                     10.0, json.dumps([p.__dict__ for p in result.points]), result.feedback,
                     json.dumps(list(result.samples)), scored_at, score_details(result), scoring_id),
                )
            if finished:
                db.execute(
                    "UPDATE sessions SET status = ?, overall = ?, scorer = ?,"
                    " finished_at = COALESCE(finished_at, ?) WHERE id = ?",
                    (SessionStatus.SCORED, overall, scorer, now, session_id),
                )
            else:
                db.execute("UPDATE sessions SET overall = ?, scorer = ? WHERE id = ?", (overall, scorer, session_id))
            if then is not None:
                then(db)
        return scoring_id

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

    def _for_sessions(self, session_ids: list[str], query: str, *after: object):
        """The rows of `query` over `session_ids`, at most IDS_PER_QUERY at a time (SQLite's limit on
        variables): `{ids}` in the query stands for their placeholders, `after` for values that follow."""
        for start in range(0, len(session_ids), IDS_PER_QUERY):
            chunk = session_ids[start:start + IDS_PER_QUERY]
            yield from self.db.execute(query.format(ids=",".join("?" * len(chunk))), [*chunk, *after])

    def last_activity(self, session_ids: list[str]) -> dict[str, str]:
        """session id -> when it last changed: its start, its newest answer or its newest draft."""
        return {sid: when for sid, when in self._for_sessions(
            session_ids,
            "SELECT s.id, MAX(s.started_at, COALESCE((SELECT MAX(submitted_at) FROM answers WHERE session_id = s.id),"
            " ''), COALESCE((SELECT MAX(updated_at) FROM drafts WHERE session_id = s.id), ''))"
            " FROM sessions AS s WHERE s.id IN ({ids})")}

    def transcript(self, session_id: str, scorer: str | None = None) -> Transcript:
        """A session's planned questions in order, each with its answer, follow-ups and the score of the
        newest scoring (by `scorer`, when given)."""
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
        for position, score in self.latest_scores(session.id, scorer).items():
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
        for delivery in self.deliveries(session.id):
            if delivery.position < len(questions):
                questions[delivery.position].deliveries[delivery.answer_id] = delivery
        return Transcript(session, questions)

    # ---- delivery of spoken answers -------------------------------------------

    def deliveries(self, session_id: str) -> list[DeliveryRow]:
        rows = self.db.execute("SELECT * FROM answer_delivery WHERE session_id = ? ORDER BY position, answer_id",
                               (session_id,))
        return [DeliveryRow.from_row(r) for r in rows]

    def kept_audio(self, session_id: str) -> list[str]:
        """The recordings kept (--keep-audio) for a session's answers."""
        rows = self.db.execute("SELECT audio_path FROM answer_delivery WHERE session_id = ? AND audio_path IS NOT NULL",
                               (session_id,))
        return [r[0] for r in rows]

    def delivery_by_week(self, company: str | None = None, role: str | None = None) -> list[sqlite3.Row]:
        """Per ISO week (Monday first) of main answers with a delivery (of a company and role, when given):
        answers, mean words/min, fillers/min and longest pause."""
        return self.db.execute(
            "SELECT strftime('%Y-%W', d.measured_at) AS week, MIN(substr(d.measured_at, 1, 10)) AS first_day,"
            " COUNT(*) AS answers, AVG(d.words_per_minute) AS words_per_minute,"
            " AVG(d.fillers_per_minute) AS fillers_per_minute, AVG(d.longest_pause_seconds) AS longest_pause"
            " FROM answer_delivery d JOIN answers a ON a.id = d.answer_id JOIN sessions s ON s.id = d.session_id"
            " WHERE a.kind = ? AND (? IS NULL OR s.company_slug = ?) AND (? IS NULL OR s.role_slug = ?)"
            " GROUP BY week ORDER BY week", (AnswerKind.MAIN, company, company, role, role)).fetchall()

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
        return {sid: (int(passed), int(total)) for sid, passed, total in self._for_sessions(
            session_ids, "SELECT session_id, SUM(status = 'passed'), COUNT(*) FROM test_results"
                         " WHERE session_id IN ({ids}) GROUP BY session_id")}

    def scorings(self, session_id: str) -> list[ScoringRow]:
        """A session's successful scorings, newest first."""
        rows = self.db.execute("SELECT * FROM scorings WHERE session_id = ? ORDER BY id DESC", (session_id,))
        return [ScoringRow.from_row(row) for row in rows]

    def latest_scores(self, session_id: str, scorer: str | None = None) -> dict[int, ScoreRow]:
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
        return {row["position"]: ScoreRow.from_row(row) for row in rows}

    # ---- practice: history counts (appended) ---------------------------------

    def answered_counts(self, session_ids: list[str]) -> dict[str, int]:
        """session id -> how many of its planned questions have a main answer that was not skipped."""
        return {sid: n for sid, n in self._for_sessions(
            session_ids, "SELECT session_id, COUNT(DISTINCT position) FROM answers WHERE session_id IN ({ids})"
                         " AND kind = ? AND skipped = 0 GROUP BY session_id", AnswerKind.MAIN)}


def _bank_of(session: SessionRow):
    """The session's bank file, when it still loads (for its questions' topics), else None."""
    from interview_cli.banks.loader import BankError, load_bank

    if not session.bank_path:
        return None
    try:
        return load_bank(Path(session.bank_path), "session")
    except (BankError, OSError):
        return None


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
