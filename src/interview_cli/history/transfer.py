"""`drill export` and `drill import`: move history between machines with nothing lost.

JSONL (lossless, importable): one JSON object per line, each with a "type":
  history  {"type": "history", "format": "drill-history", "version": 1}   (first line)
  session  every sessions column (plan and options as JSON values)
  answer   every answers column but the local row id
  score    every scores column but the local row ids (points, samples and details as JSON values)
  test_result  every test_results column but the local row id (a coding answer's last run)
  ask      every asks column but the local row id (clarifying questions and their replies)
  answer_phase every answer_phases column (each phase's time and text)
  delivery every answer_delivery column but the row ids and the local audio path, with the answer's kind
           and time (answer_kind, answer_submitted_at) naming the answer it measured
  draft    every drafts column
  review   every reviews column but the local row id (topics as a JSON list)
  card     every cards column (card as the py-fsrs Card dict)
Records come grouped by type in that order; within a type, oldest session first.

CSV (for spreadsheets, not importable): one row per answer (follow-ups included) with its
session's columns and the answer's latest score.

Import first checks every record against a strict pydantic model of its type (types, ISO 8601
times with a time zone, scores 0-10, known statuses and kinds, id shapes) and that every row
belongs to a session; the first bad line is a usage error and nothing is imported. Then it
merges, idempotently: a session id already present keeps its row; its answers and scores
are added only when no identical one (same natural key) exists; so are test results and asks,
and phases by (session, position, ordinal); reviews are keyed by (session, position); cards are
rebuilt from the merged reviews. Times are stored in UTC. A session's voice settings (--speak, --listen
and their engines and servers) are not imported: a file must not choose where a resumed round sends
the candidate's voice, so an imported session resumes in text. Version 1 files (before test results,
asks, phases, deliveries and score details were exported) still import.

CSV cells that a spreadsheet would run as a formula (starting with = + - @, tab or CR) are
prefixed with '.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from interview_cli.errors import UsageError
from interview_cli.history.db import Store, link_unattached_scores
from interview_cli.history.rows import AnswerKind
from interview_cli.sanitize import clean, json_text
from interview_cli.voice.options import SESSION_OPTIONS as VOICE_SESSION_OPTIONS

FORMAT = "drill-history"
VERSION = 2

SESSION_FIELDS = ("id", "company", "role", "company_slug", "role_slug", "round", "round_title", "bank_path", "plan",
                  "started_at", "finished_at", "status", "scorer", "overall", "options")
ANSWER_FIELDS = ("session_id", "position", "question_id", "kind", "prompt", "answer", "skipped", "auto_submitted",
                 "hints", "seconds", "submitted_at")
SCORE_FIELDS = ("session_id", "position", "question_id", "scorer", "rubric_version", "score", "max_score", "points",
                "feedback", "samples", "scored_at", "details")
TEST_RESULT_FIELDS = ("session_id", "position", "question_id", "test_index", "hidden", "status", "seconds", "args",
                      "expected", "got", "error", "isolated", "ran_at")
ASK_FIELDS = ("session_id", "position", "phase", "at_seconds", "question", "reply", "source", "asked_at")
ANSWER_PHASE_FIELDS = ("session_id", "position", "ordinal", "phase", "title", "budget_seconds", "started_seconds",
                       "used_seconds", "text")
DELIVERY_FIELDS = ("session_id", "position", "answer_kind", "answer_submitted_at", "stt_model", "timing", "words",
                   "speaking_seconds", "limit_seconds", "words_per_minute", "fillers", "filler_count",
                   "fillers_per_minute", "longest_pause_seconds", "longest_pause_at", "last_minute_share",
                   "measured_at")
DRAFT_FIELDS = ("session_id", "position", "kind", "text", "updated_at")
REVIEW_FIELDS = ("session_id", "position", "company_slug", "role_slug", "question_id", "round", "topics", "score",
                 "rating", "reviewed_at", "skipped")
CARD_FIELDS = ("company_slug", "role_slug", "question_id", "round", "card", "due", "last_review", "last_score",
               "reviews")

FIELDS = {"session": SESSION_FIELDS, "answer": ANSWER_FIELDS, "score": SCORE_FIELDS,
          "test_result": TEST_RESULT_FIELDS, "ask": ASK_FIELDS, "answer_phase": ANSWER_PHASE_FIELDS,
          "delivery": DELIVERY_FIELDS, "draft": DRAFT_FIELDS, "review": REVIEW_FIELDS, "card": CARD_FIELDS}
JSON_COLUMNS = {"plan", "options", "hints", "points", "samples", "topics", "card", "details", "fillers"}
BOOL_COLUMNS = {"skipped", "auto_submitted", "hidden", "isolated"}

CSV_COLUMNS = ("session_id", "started_at", "company", "role", "round", "status", "overall", "position",
               "question_id", "kind", "prompt", "answer", "skipped", "seconds", "submitted_at", "score", "scorer",
               "feedback")

_SESSION_ORDER = "JOIN sessions AS s ON s.id = t.session_id ORDER BY s.started_at, s.rowid"


# ---- export ----------------------------------------------------------------------------


def _record(kind: str, row, fields: tuple[str, ...]) -> dict:
    out: dict = {"type": kind}
    for name in fields:
        value = row[name]
        if name in JSON_COLUMNS and value is not None:
            value = json.loads(value)
        elif name in BOOL_COLUMNS:
            value = bool(value)
        out[name] = value
    return out


# (record type, table, what orders a session's rows), in the order an export writes them
SESSION_TABLES = (("answer", "answers", "t.position, t.id"), ("score", "scores", "t.position, t.id"),
                  ("test_result", "test_results", "t.position, t.test_index"), ("ask", "asks", "t.position, t.id"),
                  ("answer_phase", "answer_phases", "t.position, t.ordinal"),
                  ("delivery", "(SELECT d.*, a.kind AS answer_kind, a.submitted_at AS answer_submitted_at"
                               " FROM answer_delivery AS d JOIN answers AS a ON a.id = d.answer_id)",
                   "t.position, t.answer_id"),
                  ("draft", "drafts", "t.position, t.kind"),
                  ("review", "reviews", "t.position"))


def jsonl_records(store: Store) -> Iterator[dict]:
    yield {"type": "history", "format": FORMAT, "version": VERSION}
    db = store.db
    for row in db.execute("SELECT * FROM sessions ORDER BY started_at, rowid"):
        yield _record("session", row, SESSION_FIELDS)
    for kind, table, order in SESSION_TABLES:
        for row in db.execute(f"SELECT t.* FROM {table} AS t {_SESSION_ORDER}, {order}"):
            yield _record(kind, row, FIELDS[kind])
    for row in db.execute("SELECT * FROM cards ORDER BY company_slug, role_slug, question_id"):
        yield _record("card", row, CARD_FIELDS)


def write_jsonl(store: Store, out: IO[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for record in jsonl_records(store):
        counts[record["type"]] = counts.get(record["type"], 0) + 1
        out.write(json_text(record, separators=(",", ":")) + "\n")
    counts.pop("history", None)
    return counts


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")  # ＝ ＋ － ＠ too


def csv_cell(value):
    """A CSV cell: None as empty; text cleaned of terminal escapes, and prefixed with ' when a spreadsheet would
    take it for a formula, also behind leading spaces or newlines (which spreadsheets skip)."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return value
    value = clean(value)
    if value.startswith(FORMULA_STARTS) or value.lstrip().startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(store: Store, out: IO[str]) -> dict[str, int]:
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    rows = store.db.execute(
        """
        SELECT s.id AS session_id, s.started_at, s.company, s.role, s.round, s.status, s.overall, a.position,
               a.question_id, a.kind, a.prompt, a.answer, a.skipped, a.seconds, a.submitted_at,
               CASE WHEN a.kind = ? THEN sc.score END AS score,
               CASE WHEN a.kind = ? THEN sc.scorer END AS scorer,
               CASE WHEN a.kind = ? THEN sc.feedback END AS feedback
        FROM answers AS a JOIN sessions AS s ON s.id = a.session_id
        LEFT JOIN scores AS sc ON sc.id = (SELECT MAX(id) FROM scores WHERE session_id = a.session_id
                                           AND position = a.position)
        ORDER BY s.started_at, s.rowid, a.position, a.id
        """, (AnswerKind.MAIN,) * 3)
    count = 0
    for row in rows:
        writer.writerow([csv_cell(row[c]) for c in CSV_COLUMNS])
        count += 1
    return {"answer": count}


# ---- import: reading and validating --------------------------------------------------------


def read_records(text: str, shown: str) -> list[tuple[int, dict]]:
    """(line number, record) for every non-blank line, every value checked; one actionable error for the first bad line."""
    stripped = text.lstrip("\ufeff").lstrip()
    if stripped and not stripped.startswith("{"):
        raise UsageError(f"{shown} is not a drill JSONL export (CSV exports are for spreadsheets and cannot be "
                         "imported) — export with: drill export --format jsonl --output FILE")
    from interview_cli.history.import_schema import (
        check_record,  # pydantic: only `drill import` pays for it
    )

    records = []
    for number, line in enumerate(text.lstrip("\ufeff").splitlines(), 1):
        if not line.strip():
            continue
        record = _parse_line(line, f"{shown}:{number}")
        if record["type"] == "history":
            _check_header(record, f"{shown}:{number}")
        else:
            check_record(record, f"{shown}:{number}")
            records.append((number, record))
    return records


def _parse_line(line: str, where: str) -> dict:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{where}: not valid JSON ({exc.msg}) — is this a drill export?") from None
    except RecursionError:
        raise UsageError(f"{where}: nested too deeply — is this a drill export?") from None
    if not isinstance(record, dict) or "type" not in record:
        raise UsageError(f"{where}: expected a JSON object with a \"type\" field")
    kind = record["type"]
    if kind != "history" and (not isinstance(kind, str) or kind not in FIELDS):
        shown = clean(kind, one_line=True) if isinstance(kind, str) else json.dumps(kind)
        shown = shown if len(shown) <= 40 else shown[:39] + "…"
        raise UsageError(f"{where}: unknown record type '{shown}' — expected one of: {', '.join(FIELDS)}")
    return record


def _check_header(record: dict, where: str) -> None:
    if record.get("format") != FORMAT:
        raise UsageError(f"{where}: not a drill history export (format {record.get('format')!r})")
    version = record.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version > VERSION:
        raise UsageError(f"{where}: export version {version} is newer than this drill understands ({VERSION}) "
                         "— upgrade drill")


# ---- import: merging -----------------------------------------------------------------------


def _values(record: dict, fields: tuple[str, ...]) -> tuple:
    out = []
    for name in fields:
        value = record.get(name)
        if name in JSON_COLUMNS and value is not None:
            value = json.dumps(value, ensure_ascii=False)
        elif name in BOOL_COLUMNS:
            value = int(bool(value))
        out.append(value)
    return tuple(out)


def _insert(db, table: str, fields: tuple[str, ...], values: tuple, verb: str = "INSERT") -> None:
    db.execute(f"{verb} INTO {table} ({', '.join(fields)}) VALUES ({', '.join('?' * len(fields))})", values)


ANSWER_KEY = ("position", "kind", "submitted_at", "prompt", "answer")
SCORE_KEY = ("position", "scorer", "rubric_version", "score", "scored_at", "feedback")
TEST_RESULT_KEY = ("position", "test_index", "ran_at")
ASK_KEY = ("position", "asked_at", "question")


class _Merge:
    """One import inside its transaction: what it added, what was already there, which cards to rebuild."""

    def __init__(self, db, records: list[tuple[int, dict]]):
        self.db = db
        self.records = records
        self.by_type = {kind: [r for _, r in records if r["type"] == kind] for kind in FIELDS}
        self.in_file = {r["id"]: r for r in self.by_type["session"]}
        self.new_sessions: set[str] = set()
        self.added = dict.fromkeys(FIELDS, 0)
        self.present = dict.fromkeys(FIELDS, 0)
        self.keys: dict[tuple[str, str], set] = {}
        self.touched: set[tuple[str, str, str]] = set()

    def check_sessions(self, shown: str) -> None:
        """Every answer, score, draft and review belongs to a session in the file or already here."""
        known = set(self.in_file)
        for number, record in self.records:
            session_id = record.get("session_id")
            if session_id is None or session_id in known:
                continue
            if not self.db.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone():
                raise UsageError(f"{shown}:{number}: {record['type']} for unknown session '{session_id}' — "
                                 "the file is incomplete; export again")
            known.add(session_id)

    def sessions(self) -> None:
        for record in self.by_type["session"]:
            if self.db.execute("SELECT 1 FROM sessions WHERE id = ?", (record["id"],)).fetchone():
                self.present["session"] += 1
                continue
            options = {k: v for k, v in record["options"].items() if k not in VOICE_SESSION_OPTIONS}
            _insert(self.db, "sessions", SESSION_FIELDS, _values({**record, "options": options}, SESSION_FIELDS))
            self.new_sessions.add(record["id"])
            self.added["session"] += 1

    def _known(self, table: str, key_fields: tuple[str, ...], record: dict) -> bool:
        """Is an identical row (same natural key) already there? Remembers this one."""
        session_id = record["session_id"]
        cache = self.keys.get((table, session_id))
        if cache is None:
            cache = self.keys[(table, session_id)] = set() if session_id in self.new_sessions else {
                tuple(row) for row in self.db.execute(
                    f"SELECT {', '.join(key_fields)} FROM {table} WHERE session_id = ?", (session_id,))}
        key = _values(record, key_fields)
        if key in cache:
            return True
        cache.add(key)
        return False

    def rows(self, kind: str, table: str, fields: tuple[str, ...], key: tuple[str, ...]) -> None:
        """Answers, scores, test results or asks: each added unless an identical one is there."""
        for record in self.by_type[kind]:
            if self._known(table, key, record):
                self.present[kind] += 1
                continue
            _insert(self.db, table, fields, _values(record, fields))
            self.added[kind] += 1
            if kind == "score":
                self._take_rescore(record["session_id"])

    def _take_rescore(self, session_id: str) -> None:
        """A session re-scored on the other machine: take its newer overall and status."""
        other = self.in_file.get(session_id)
        if session_id in self.new_sessions or other is None:
            return
        self.db.execute("UPDATE sessions SET status = ?, overall = ?, scorer = ?, finished_at = ? WHERE id = ?",
                        (other["status"], other.get("overall"), other.get("scorer"), other.get("finished_at"),
                         session_id))

    def phases(self) -> None:
        for record in self.by_type["answer_phase"]:
            before = self.db.total_changes
            _insert(self.db, "answer_phases", ANSWER_PHASE_FIELDS, _values(record, ANSWER_PHASE_FIELDS),
                    verb="INSERT OR IGNORE")
            (self.added if self.db.total_changes > before else self.present)["answer_phase"] += 1

    def deliveries(self, shown: str) -> None:
        """How spoken answers were delivered, each attached to its answer (found by session, position, kind
        and time); a recording's local path does not travel."""
        stored = tuple(name for name in DELIVERY_FIELDS if not name.startswith("answer_"))
        for record in self.by_type["delivery"]:
            found = self.db.execute(
                "SELECT id FROM answers WHERE session_id = ? AND position = ? AND kind = ? AND submitted_at = ?"
                " ORDER BY id LIMIT 1", (record["session_id"], record["position"], record["answer_kind"],
                                         record["answer_submitted_at"])).fetchone()
            if found is None:
                raise UsageError(f"{shown}: delivery for an answer that is not in the file (session "
                                 f"'{record['session_id']}', position {record['position']}) — export again")
            before = self.db.total_changes
            _insert(self.db, "answer_delivery", ("answer_id", *stored),
                    (found[0], *_values(record, stored)), verb="INSERT OR IGNORE")
            (self.added if self.db.total_changes > before else self.present)["delivery"] += 1

    def drafts(self) -> None:
        for record in self.by_type["draft"]:
            before = self.db.total_changes
            self.db.execute(
                f"INSERT INTO drafts ({', '.join(DRAFT_FIELDS)}) VALUES (?,?,?,?,?) ON CONFLICT(session_id, position,"
                " kind) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at"
                " WHERE excluded.updated_at > drafts.updated_at", _values(record, DRAFT_FIELDS))
            (self.added if self.db.total_changes > before else self.present)["draft"] += 1

    def reviews(self) -> None:
        """Reviews are keyed by (session, position): a different one replaces the old; cards follow."""
        for record in self.by_type["review"]:
            values = _values(record, REVIEW_FIELDS)
            row = self.db.execute(f"SELECT {', '.join(REVIEW_FIELDS)} FROM reviews WHERE session_id = ? AND"
                                  " position = ?", (record["session_id"], record["position"])).fetchone()
            if row is not None and tuple(row) == values:
                self.present["review"] += 1
                continue
            if row is not None:
                self.touched.add((row["company_slug"], row["role_slug"], row["question_id"]))
                self.db.execute("DELETE FROM reviews WHERE session_id = ? AND position = ?",
                                (record["session_id"], record["position"]))
            _insert(self.db, "reviews", REVIEW_FIELDS, values)
            self.touched.add((record["company_slug"], record["role_slug"], record["question_id"]))
            self.added["review"] += 1

    def cards(self) -> None:
        """A card with reviews follows from them (rebuilt if they changed or it is missing); others are copied."""
        where = "company_slug = ? AND role_slug = ? AND question_id = ?"
        for record in self.by_type["card"]:
            key = (record["company_slug"], record["role_slug"], record["question_id"])
            if self.db.execute(f"SELECT 1 FROM reviews WHERE {where} LIMIT 1", key).fetchone():
                if not self.db.execute(f"SELECT 1 FROM cards WHERE {where}", key).fetchone():
                    self.touched.add(key)
                continue
            before = self.db.total_changes
            _insert(self.db, "cards", CARD_FIELDS, _values(record, CARD_FIELDS), verb="INSERT OR IGNORE")
            self.added["card"] += self.db.total_changes - before

    def summary(self) -> dict:
        return {"added": self.added, "already_present": self.present, "cards_rebuilt": len(self.touched)}


def import_records(store: Store, records: list[tuple[int, dict]], shown: str) -> dict:
    """Merge validated records (see read_records) in one transaction: a bad one imports nothing."""
    from interview_cli.history.scheduling import rebuild_card

    with store.transaction() as db:
        merge = _Merge(db, records)
        merge.check_sessions(shown)
        merge.sessions()
        merge.rows("answer", "answers", ANSWER_FIELDS, ANSWER_KEY)
        merge.rows("score", "scores", SCORE_FIELDS, SCORE_KEY)
        link_unattached_scores(db)
        merge.rows("test_result", "test_results", TEST_RESULT_FIELDS, TEST_RESULT_KEY)
        merge.rows("ask", "asks", ASK_FIELDS, ASK_KEY)
        merge.phases()
        merge.deliveries(shown)
        merge.drafts()
        merge.reviews()
        merge.cards()
        for key in sorted(merge.touched):
            rebuild_card(db, *key)
    return merge.summary()


def import_path(store: Store, path: str) -> dict:
    import sys

    shown = "stdin" if path == "-" else path
    try:
        data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except FileNotFoundError:
        raise UsageError(f"no such file: {path} — make one with: drill export --output {path}") from None
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise UsageError(f"{shown}:{line}: is not UTF-8 text (byte 0x{data[exc.start]:02x}) — "
                         "import a file written by drill export") from None
    records = read_records(text, shown)
    if not records:
        raise UsageError(f"{shown} holds no history records — make one with: drill export --output FILE")
    return import_records(store, records, shown)
