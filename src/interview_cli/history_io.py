"""`drill export` and `drill import`: move history between machines with nothing lost.

JSONL (lossless, importable): one JSON object per line, each with a "type":
  history  {"type": "history", "format": "drill-history", "version": 1}   (first line)
  session  every sessions column (plan and options as JSON values)
  answer   every answers column but the local row id
  score    every scores column but the local row id (points and samples as JSON values)
  draft    every drafts column
  review   every reviews column but the local row id (topics as a JSON list)
  card     every cards column (card as the py-fsrs Card dict)
Records come grouped by type in that order; within a type, oldest session first.

CSV (for spreadsheets, not importable): one row per answer (follow-ups included) with its
session's columns and the answer's latest score.

Import is idempotent and merges: a session id already present keeps its row; its answers
and scores are added only when no identical one (same natural key) exists; reviews are
keyed by (session, position); cards are rebuilt from the merged reviews.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from .errors import UsageError
from .storage import Store

FORMAT = "drill-history"
VERSION = 1

SESSION_FIELDS = ("id", "company", "role", "company_slug", "role_slug", "round", "round_title", "bank_path", "plan",
                  "started_at", "finished_at", "status", "scorer", "overall", "options")
ANSWER_FIELDS = ("session_id", "position", "question_id", "kind", "prompt", "answer", "skipped", "auto_submitted",
                 "hints", "seconds", "submitted_at")
SCORE_FIELDS = ("session_id", "position", "question_id", "scorer", "rubric_version", "score", "max_score", "points",
                "feedback", "samples", "scored_at")
DRAFT_FIELDS = ("session_id", "position", "kind", "text", "updated_at")
REVIEW_FIELDS = ("session_id", "position", "company_slug", "role_slug", "question_id", "round", "topics", "score",
                 "rating", "reviewed_at")
CARD_FIELDS = ("company_slug", "role_slug", "question_id", "round", "card", "due", "last_review", "last_score",
               "reviews")

FIELDS = {"session": SESSION_FIELDS, "answer": ANSWER_FIELDS, "score": SCORE_FIELDS, "draft": DRAFT_FIELDS,
          "review": REVIEW_FIELDS, "card": CARD_FIELDS}
JSON_COLUMNS = {"plan", "options", "hints", "points", "samples", "topics", "card"}
BOOL_COLUMNS = {"skipped", "auto_submitted"}
# nullable columns may be absent or null in a record; all others are required
OPTIONAL = {"bank_path", "finished_at", "scorer", "overall", "seconds", "last_review", "last_score"}

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


def jsonl_records(store: Store) -> Iterator[dict]:
    yield {"type": "history", "format": FORMAT, "version": VERSION}
    db = store.db
    for row in db.execute("SELECT * FROM sessions ORDER BY started_at, rowid"):
        yield _record("session", row, SESSION_FIELDS)
    for row in db.execute(f"SELECT t.* FROM answers AS t {_SESSION_ORDER}, t.position, t.id"):
        yield _record("answer", row, ANSWER_FIELDS)
    for row in db.execute(f"SELECT t.* FROM scores AS t {_SESSION_ORDER}, t.position, t.id"):
        yield _record("score", row, SCORE_FIELDS)
    for row in db.execute(f"SELECT t.* FROM drafts AS t {_SESSION_ORDER}, t.position, t.kind"):
        yield _record("draft", row, DRAFT_FIELDS)
    for row in db.execute(f"SELECT t.* FROM reviews AS t {_SESSION_ORDER}, t.position"):
        yield _record("review", row, REVIEW_FIELDS)
    for row in db.execute("SELECT * FROM cards ORDER BY company_slug, role_slug, question_id"):
        yield _record("card", row, CARD_FIELDS)


def write_jsonl(store: Store, out: IO[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for record in jsonl_records(store):
        counts[record["type"]] = counts.get(record["type"], 0) + 1
        out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
    counts.pop("history", None)
    return counts


def write_csv(store: Store, out: IO[str]) -> dict[str, int]:
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    rows = store.db.execute(
        """
        SELECT s.id AS session_id, s.started_at, s.company, s.role, s.round, s.status, s.overall, a.position,
               a.question_id, a.kind, a.prompt, a.answer, a.skipped, a.seconds, a.submitted_at,
               CASE WHEN a.kind = 'main' THEN sc.score END AS score,
               CASE WHEN a.kind = 'main' THEN sc.scorer END AS scorer,
               CASE WHEN a.kind = 'main' THEN sc.feedback END AS feedback
        FROM answers AS a JOIN sessions AS s ON s.id = a.session_id
        LEFT JOIN scores AS sc ON sc.id = (SELECT MAX(id) FROM scores WHERE session_id = a.session_id
                                           AND position = a.position)
        ORDER BY s.started_at, s.rowid, a.position, a.id
        """
    )
    count = 0
    for row in rows:
        writer.writerow(["" if row[c] is None else row[c] for c in CSV_COLUMNS])
        count += 1
    return {"answer": count}


# ---- import ----------------------------------------------------------------------------


def read_records(text: str, shown: str) -> list[tuple[int, dict]]:
    """(line number, record) for every non-blank line; one actionable error for the first bad line."""
    stripped = text.lstrip("\ufeff").lstrip()
    if stripped and not stripped.startswith("{"):
        raise UsageError(f"{shown} is not a drill JSONL export (CSV exports are for spreadsheets and cannot be "
                         "imported) — export with: drill export --format jsonl --output FILE")
    records = []
    for number, line in enumerate(text.lstrip("\ufeff").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UsageError(f"{shown}:{number}: not valid JSON ({exc.msg}) — is this a drill export?") from None
        if not isinstance(record, dict) or "type" not in record:
            raise UsageError(f"{shown}:{number}: expected a JSON object with a \"type\" field")
        kind = record["type"]
        if kind == "history":
            if record.get("format") != FORMAT:
                raise UsageError(f"{shown}:{number}: not a drill history export (format {record.get('format')!r})")
            if not isinstance(record.get("version"), int) or record["version"] > VERSION:
                raise UsageError(f"{shown}:{number}: export version {record.get('version')} is newer than this drill "
                                 f"understands ({VERSION}) — upgrade drill")
            continue
        if kind not in FIELDS:
            raise UsageError(f"{shown}:{number}: unknown record type '{kind}' — expected one of: "
                             f"{', '.join(FIELDS)}")
        missing = [f for f in FIELDS[kind] if f not in OPTIONAL and record.get(f) is None]
        if missing:
            raise UsageError(f"{shown}:{number}: {kind} record is missing '{missing[0]}'")
        records.append((number, record))
    return records


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


def import_records(store: Store, records: list[tuple[int, dict]], shown: str) -> dict:
    from .scheduling import rebuild_card

    by_type: dict[str, list[tuple[int, dict]]] = {kind: [] for kind in FIELDS}
    for number, record in records:
        by_type[record["type"]].append((number, record))
    added = {kind: 0 for kind in FIELDS}
    present = {kind: 0 for kind in FIELDS}
    with store.transaction() as db:
        new_sessions: set[str] = set()
        session_rows: dict[str, dict] = {}
        for _, record in by_type["session"]:
            session_rows[record["id"]] = record
            if db.execute("SELECT 1 FROM sessions WHERE id = ?", (record["id"],)).fetchone():
                present["session"] += 1
                continue
            _insert(db, "sessions", SESSION_FIELDS, _values(record, SESSION_FIELDS))
            new_sessions.add(record["id"])
            added["session"] += 1

        def check_session(number: int, record: dict) -> None:
            if record["session_id"] not in session_rows and not db.execute(
                    "SELECT 1 FROM sessions WHERE id = ?", (record["session_id"],)).fetchone():
                raise UsageError(f"{shown}:{number}: {record['type']} for unknown session '{record['session_id']}' — "
                                 "the file is incomplete; export again")

        existing_keys: dict[tuple[str, str], set] = {}

        def known(table: str, key_fields: tuple[str, ...], record: dict) -> bool:
            session_id = record["session_id"]
            if session_id in new_sessions:
                return False
            cache = existing_keys.get((table, session_id))
            if cache is None:
                cache = {tuple(row) for row in db.execute(
                    f"SELECT {', '.join(key_fields)} FROM {table} WHERE session_id = ?", (session_id,))}
                existing_keys[(table, session_id)] = cache
            key = tuple(_values(record, key_fields))
            if key in cache:
                return True
            cache.add(key)
            return False

        for kind, table, fields, key in (("answer", "answers", ANSWER_FIELDS, ANSWER_KEY),
                                         ("score", "scores", SCORE_FIELDS, SCORE_KEY)):
            for number, record in by_type[kind]:
                check_session(number, record)
                if known(table, key, record):
                    present[kind] += 1
                    continue
                _insert(db, table, fields, _values(record, fields))
                added[kind] += 1
                if kind == "score" and record["session_id"] not in new_sessions:
                    # a session re-scored on the other machine: take its newer overall and status
                    other = session_rows.get(record["session_id"])
                    if other is not None:
                        db.execute("UPDATE sessions SET status = ?, overall = ?, scorer = ?, finished_at = ? "
                                   "WHERE id = ?", (other["status"], other["overall"], other["scorer"],
                                                    other["finished_at"], other["id"]))

        for number, record in by_type["draft"]:
            check_session(number, record)
            before = db.total_changes
            db.execute(
                f"INSERT INTO drafts ({', '.join(DRAFT_FIELDS)}) VALUES (?,?,?,?,?) ON CONFLICT(session_id, position,"
                " kind) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at"
                " WHERE excluded.updated_at > drafts.updated_at", _values(record, DRAFT_FIELDS))
            if db.total_changes > before:
                added["draft"] += 1
            else:
                present["draft"] += 1

        touched: set[tuple[str, str, str]] = set()
        for number, record in by_type["review"]:
            check_session(number, record)
            values = _values(record, REVIEW_FIELDS)
            row = db.execute("SELECT " + ", ".join(REVIEW_FIELDS) + " FROM reviews WHERE session_id = ? AND"
                             " position = ?", (record["session_id"], record["position"])).fetchone()
            if row is not None and tuple(row) == values:
                present["review"] += 1
                continue
            if row is not None:
                touched.add((row["company_slug"], row["role_slug"], row["question_id"]))
                db.execute("DELETE FROM reviews WHERE session_id = ? AND position = ?",
                           (record["session_id"], record["position"]))
            _insert(db, "reviews", REVIEW_FIELDS, values)
            touched.add((record["company_slug"], record["role_slug"], record["question_id"]))
            added["review"] += 1

        for _, record in by_type["card"]:
            key = (record["company_slug"], record["role_slug"], record["question_id"])
            has_reviews = db.execute("SELECT 1 FROM reviews WHERE company_slug = ? AND role_slug = ? AND"
                                     " question_id = ? LIMIT 1", key).fetchone()
            if has_reviews:  # the card follows from the reviews: rebuilt below if they changed or it is missing
                if not db.execute("SELECT 1 FROM cards WHERE company_slug = ? AND role_slug = ? AND question_id = ?",
                                  key).fetchone():
                    touched.add(key)
                continue
            before = db.total_changes
            _insert(db, "cards", CARD_FIELDS, _values(record, CARD_FIELDS), verb="INSERT OR IGNORE")
            added["card"] += db.total_changes - before
        for key in sorted(touched):
            rebuild_card(db, *key)
    return {"added": added, "already_present": present, "cards_rebuilt": len(touched)}


def import_path(store: Store, path: str) -> dict:
    import sys

    if path == "-":
        text, shown = sys.stdin.read(), "stdin"
    else:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise UsageError(f"no such file: {path} — make one with: drill export --output {path}") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"cannot read {path}: {exc}") from None
        shown = path
    records = read_records(text, shown)
    if not records:
        raise UsageError(f"{shown} holds no history records — make one with: drill export --output FILE")
    return import_records(store, records, shown)
