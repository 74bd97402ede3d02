"""Issue 11, one regression test per numbered break, through the CLI where a user meets it.

Full-disk and read-only-home runs need a real small file system: see tests/hostile/test_full_disk.py.
Hostile files and the escape-sequence fuzz: tests/hostile/test_hostile_files.py and test_escape_fuzz.py.
"""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pexpect
import pytest
from fake_scorer import FakeScorer
from practice_helpers import BANK_YAML, DRILL, STRONG, Env, add_scored_session

from interview_cli.banks.loader import discover
from interview_cli.errors import DrillError
from interview_cli.files import WriteError
from interview_cli.history.db import StorageError, Store
from interview_cli.rounds import interview, recovery
from interview_cli.rounds.context import RoundContext
from interview_cli.rounds.options import RoundOptions
from interview_cli.ui.editor import EditorResult
from interview_cli.ui.round_ui import TerminalRoundUI
from interview_cli.ui.terminal import Terminal


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---- 2. a full disk during an interactive round (injected; the real one is in test_full_disk) ----------


class FullStore(Store):
    """A history on a disk that just filled up: drafts and answers cannot be written."""

    def save_draft(self, *args, **kwargs):
        raise StorageError("cannot write the history database: the disk is full", "the disk is full")

    def add_answer(self, *args, **kwargs):
        raise StorageError("cannot write the history database: the disk is full", "the disk is full")


class ScriptedEditor:
    def __init__(self, script: list[EditorResult], draft_first: bool = False):
        self.script = list(script)
        self.texts: list[str] = []
        self.draft_errors: list[str] = []
        self.draft_first = draft_first

    def ask(self, clock, text="", on_draft=None, on_ready=None) -> EditorResult:
        self.texts.append(text)
        result = self.script.pop(0)
        if self.draft_first and on_draft is not None:
            try:
                on_draft(result.text + " (typing)")
            except Exception as exc:  # noqa: BLE001 - what the real editor turns into its toolbar warning
                from interview_cli.ui.editor import draft_warning

                self.draft_errors.append(draft_warning(exc))
        return result


def interview_in(store: Store, editor: ScriptedEditor, out: io.StringIO):
    term = Terminal(stdin=io.StringIO(), stdout=out, stderr=io.StringIO(), width=100)
    return RoundContext(TerminalRoundUI(term, editor=editor, confirm=lambda: False), store, lambda o, p: FakeScorer())


def test_a_full_disk_keeps_the_typed_answer_in_a_recovery_file_and_resume_offers_it(tiny_bank, drill_home):
    bank = discover([tiny_bank]).find("acme", "backend")
    options = RoundOptions(round_id="design", count=1, seed=1, follow_ups=False, minutes=1)
    with Store() as store:  # the session starts while there is room
        session_id = interview.runner.start_session(store, bank, "design", [bank.rounds["design"].questions[0]],
                                                    interview.session_options(options))
    editor = ScriptedEditor([EditorResult("submit", "Invalidate on writes")], draft_first=True)
    with FullStore() as full, pytest.raises(DrillError) as caught:
        session = full.session(session_id)
        questions = [bank.find_question(q)[1] for q in session.plan]
        interview.Interview(*_ui_store(interview_in(full, editor, io.StringIO())), bank, session, questions,
                            options, lambda o, p: FakeScorer()).run()
    kept = drill_home / "recovered" / f"{session_id}-0-main.txt"
    assert str(caught.value) == (f"cannot save your answer: the disk is full — it is kept in {kept}; free some space, "
                                 f"then run: drill resume {session_id}")
    assert editor.draft_errors == ["draft not saved: the disk is full — your text is still here; it is saved when you "
                                   "submit"]
    assert kept.read_text(encoding="utf-8") == "Invalidate on writes"
    with Store() as store:
        assert store.answers(session_id) == [] and store.draft(session_id, 0, "main") is None

    out = io.StringIO()
    again = ScriptedEditor([EditorResult("submit", "Invalidate on writes, and a TTL")])
    with Store() as store:
        code = interview.resume(interview_in(store, again, out), session_id, discover([tiny_bank]))
    assert code == 0
    assert again.texts == ["Invalidate on writes"]  # offered back in the answer box
    said = f"Recovered your unsaved answer to question 1 from {kept}; it is back in the answer box."
    assert "".join(said.split()) in "".join(out.getvalue().split())  # wrapped to the terminal's width
    assert not kept.exists()
    with Store() as store:
        assert [r.answer for r in store.answers(session_id)] == ["Invalidate on writes, and a TTL"]
        assert store.session(session_id).status == "scored"


def _ui_store(ctx: RoundContext):
    return ctx.ui, ctx.store


def test_when_even_the_recovery_file_fails_the_answer_is_printed(tiny_bank, drill_home, monkeypatch):
    bank = discover([tiny_bank]).find("acme", "backend")
    options = RoundOptions(round_id="design", count=1, seed=1, follow_ups=False, minutes=1)
    with Store() as store:
        session_id = interview.runner.start_session(store, bank, "design", [bank.rounds["design"].questions[0]])

    def cannot_write(*args):
        raise WriteError("cannot write: No space left on device")

    monkeypatch.setattr(recovery, "keep", cannot_write)
    out = io.StringIO()
    editor = ScriptedEditor([EditorResult("submit", "My whole answer\nover two lines")])
    with FullStore() as full, pytest.raises(DrillError) as caught:
        session = full.session(session_id)
        questions = [bank.find_question(q)[1] for q in session.plan]
        ctx = interview_in(full, editor, out)
        interview.Interview(ctx.ui, full, bank, session, questions, options, ctx.make_scorer).run()
    assert str(caught.value) == (f"cannot save your answer: the disk is full — it is printed above; copy it, free "
                                 f"some space, then run: drill resume {session_id}")
    assert ("Your answer could not be saved anywhere; here it is, to copy:\nMy whole answer\nover two lines\n"
            "(end of your answer)\n") in out.getvalue()


# ---- 3. non-ASCII company and role names ------------------------------------------------------------


UNICODE_BANKS = {"kabushiki": "株式会社", "yandex": "Яндекс", "shalom": "שלום", "cafe": "Café Zoë"}


def test_unicode_names_get_their_own_slugs_run_and_round_trip(tmp_path):
    env = Env(tmp_path)
    for folder, company in UNICODE_BANKS.items():
        (env.banks / folder).mkdir()
        (env.banks / folder / "backend.yaml").write_text(BANK_YAML.replace("company: Acme", f"company: {company}"),
                                                        encoding="utf-8")
    listed = env.run("banks", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    slugs = {b["company_slug"] for b in json.loads(listed.stdout)}
    assert {"acme", "株式会社", "яндекс", "שלום", "cafe-zoe"} <= slugs
    answers = env.answers_file({"lru-cache": STRONG["lru-cache"]})
    done = env.run_fake("株式会社", "backend", "--answers", str(answers), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["company"] == "株式会社"
    assert env.run_fake("Cafe Zoe", "backend", "--answers", str(answers), "--json").returncode == 0
    assert env.rows("SELECT company, company_slug FROM sessions ORDER BY company_slug") == [
        ("Café Zoë", "cafe-zoe"), ("株式会社", "株式会社")]

    exported = tmp_path / "history.jsonl"
    assert env.run("export", "--output", str(exported)).returncode == 0
    other = Env(tmp_path / "other")
    imported = other.run("import", str(exported), "--json")
    assert imported.returncode == 0, imported.stderr
    assert json.loads(imported.stdout)["added"]["session"] == 2


def test_a_name_without_letters_is_an_error_in_validate_loading_and_banks_new(tmp_path):
    env = Env(tmp_path)
    (env.banks / "bang").mkdir()
    bad = env.banks / "bang" / "backend.yaml"
    bad.write_text(BANK_YAML.replace("company: Acme", "company: '!!!'"), encoding="utf-8")
    message = "company '!!!' needs at least one letter or digit (drill finds banks by it)"
    validated = env.run("banks", "validate", str(bad))
    assert (validated.returncode, validated.stdout) == (1, f"{bad}:1: {message}\n")
    listed = env.run("banks", "list", "--json")
    assert "" not in [b["company_slug"] for b in json.loads(listed.stdout)]
    assert listed.stderr == f"warning: skipped invalid bank {bad}:1: {message} — see: drill banks validate {bad}\n"
    created = env.run("banks", "new", "!!!", "backend")
    assert (created.returncode, created.stderr) == (2, f'error: {message} — e.g. drill banks new "Acme Corp" backend\n')
    assert not (env.home / "banks").exists()


# ---- 6. one index of a bank's questions ----------------------------------------------------------------


def test_find_question_builds_its_index_once(tmp_path, monkeypatch):
    from interview_cli.banks.snapshot import Bank

    questions = "\n".join(f"      - {{id: q{i}, prompt: p, rubric: [r]}}" for i in range(2000))
    path = tmp_path / "big.yaml"
    path.write_text(f"company: Big\nrole: Backend\nrounds:\n  r:\n    title: R\n    questions:\n{questions}\n")
    from interview_cli.banks.loader import load_bank

    bank = load_bank(path)
    calls = []
    original = Bank.questions
    monkeypatch.setattr(Bank, "questions", lambda self: calls.append(1) or original(self))
    assert [bank.find_question(f"q{i}")[1].id for i in range(0, 2000, 7)] == [f"q{i}" for i in range(0, 2000, 7)]
    assert bank.find_question("nope") is None
    assert len(calls) == 1


# ---- 7. a history written by a newer drill ------------------------------------------------------------


def test_a_newer_history_is_refused_and_left_untouched(tmp_path):
    env = Env(tmp_path)
    env.drill_round({"lru-cache": STRONG["lru-cache"]})
    db = sqlite3.connect(env.db_path)
    db.execute("INSERT INTO migrations (name, applied_at) VALUES ('0099_tenant', '2030-01-01T00:00:00+00:00')")
    db.commit()
    db.close()
    before = sha(env.db_path)
    files_before = sorted(p.name for p in env.home.iterdir())
    message = (f"error: this history was written by a newer drill (migration 0099_tenant); upgrade drill "
               f"(the file {env.db_path} was not changed)\n")
    answers = env.answers_file({"lru-cache": "x"})
    for args in (("history",), ("stats",), ("export",), ("acme", "backend", "--answers", str(answers))):
        done = env.run(*args)
        assert (done.returncode, done.stdout, done.stderr) == (2, "", message), args
    assert sha(env.db_path) == before
    assert sorted(p.name for p in env.home.iterdir()) == files_before


# ---- 10. abandoned sessions --------------------------------------------------------------------------


def _half_done_session(env: Env, started: str = "2025-03-01T20:00:00+00:00") -> str:
    bank = env.bank()
    with env.store() as store:
        sid = store.create_session(company="Acme", role="Backend", company_slug="acme", role_slug="backend",
                                   round_id="coding", round_title="Coding", bank_path=str(bank.path),
                                   plan=["lru-cache", "rate-limiter", "top-k"], session_id="cccc0001",
                                   started_at=started)
        store.add_answer(sid, position=0, question_id="lru-cache", kind="main", prompt="p",
                         answer=STRONG["lru-cache"], submitted_at="2025-03-01T20:05:00+00:00")
    return sid


def test_history_shows_a_session_idle_for_12_hours_as_abandoned(tmp_path):
    env = Env(tmp_path)
    sid = _half_done_session(env)
    fresh = env.run("history", "--json", extra={"DRILL_NOW": "2025-03-02T08:04:00+00:00"})
    stale = env.run("history", "--json", extra={"DRILL_NOW": "2025-03-02T08:05:00+00:00"})
    assert [(r["id"], r["status"], r["abandoned"]) for r in json.loads(fresh.stdout)] == [(sid, "in_progress", False)]
    assert [(r["id"], r["status"], r["abandoned"]) for r in json.loads(stale.stdout)] == [(sid, "in_progress", True)]
    table = env.run("history", extra={"DRILL_NOW": "2025-03-02T08:05:00+00:00"})
    assert "1/3      –  abandoned  cccc0001" in table.stdout


def test_discard_asks_on_a_terminal_and_needs_yes_in_scripts(tmp_path):
    env = Env(tmp_path)
    env.drill_round({"lru-cache": STRONG["lru-cache"]})  # a scored session: its card must be rebuilt
    sid = env.rows("SELECT id FROM sessions")[0][0]
    (env.home / "recovered").mkdir()
    (env.home / "recovered" / f"{sid}-1-main.txt").write_text("kept")
    scripted = env.run("discard", sid)
    assert (scripted.returncode, scripted.stderr) == (
        2, f"error: drill discard asks before deleting, and there is no terminal — pass --yes: drill discard {sid} --yes\n")

    child = pexpect.spawn(DRILL, ["discard", sid[:5]], env=env.vars, encoding="utf-8", timeout=20)
    child.expect_exact(f"Discard session {sid} (Acme · Backend · Coding, 1 of 1 answered)? Its answers and scores "
                       "are deleted. [y/N] ")
    child.sendline("n")
    child.expect_exact(f"Kept session {sid}.")
    child.expect(pexpect.EOF)
    assert env.rows("SELECT COUNT(*) FROM sessions") == [(1,)]
    child = pexpect.spawn(DRILL, ["discard", sid], env=env.vars, encoding="utf-8", timeout=20)
    child.expect_exact("[y/N] ")
    child.sendline("y")
    child.expect_exact(f"Discarded session {sid}.")
    child.expect(pexpect.EOF)
    for table in ("sessions", "answers", "scores", "reviews", "cards", "review_topics", "topic_totals"):
        assert env.rows(f"SELECT COUNT(*) FROM {table}") == [(0,)], table
    assert not (env.home / "recovered" / f"{sid}-1-main.txt").exists()
    gone = env.run("discard", sid, "--yes")
    assert (gone.returncode, gone.stderr) == (2, f"error: no session '{sid}' — list sessions with: drill history\n")


def test_resume_with_an_answers_file_finishes_a_killed_scripted_run(tmp_path):
    env = Env(tmp_path)
    sid = _half_done_session(env)
    answers = env.answers_file({"lru-cache": "ignored: already answered", "rate-limiter": STRONG["rate-limiter"]})
    done = env.run_fake("resume", sid, "--answers", str(answers), "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert [(q["id"], q["skipped"]) for q in result["questions"]] == [
        ("lru-cache", False), ("rate-limiter", False), ("top-k", True)]
    assert env.rows("SELECT position, answer FROM answers WHERE session_id = ? ORDER BY position", (sid,)) == [
        (0, STRONG["lru-cache"]), (1, STRONG["rate-limiter"]), (2, "")]
    assert env.rows("SELECT status FROM sessions") == [("scored",)]
    stray = env.answers_file({"url-shortener": "x"}, name="stray.yaml")
    refused = env.run_fake("resume", sid, "--answers", str(stray))
    assert refused.returncode == 2


# ---- 11. scores and reviews together ------------------------------------------------------------------


def test_a_scored_session_without_reviews_is_repaired_when_the_history_is_opened(tmp_path):
    env = Env(tmp_path)
    bank = env.bank()
    with env.store() as store:
        add_scored_session(store, bank, {"lru-cache": 8.0}, datetime(2025, 3, 1, 20, tzinfo=UTC),
                           session_id="dddd0001", record=False)
    raw = sqlite3.connect(env.db_path)
    raw.execute("DELETE FROM reviews")  # what a kill between the two writes left behind
    raw.commit()
    raw.close()
    stats = env.run("stats", "--json")
    assert stats.returncode == 0, stats.stderr
    assert {t["topic"]: t["answers"] for t in json.loads(stats.stdout)["topics"]} == {"caching": 1,
                                                                                     "data-structures": 1}
    assert env.rows("SELECT session_id, position, question_id, score FROM reviews") == [
        ("dddd0001", 0, "lru-cache", 8.0)]
    assert env.rows("SELECT question_id, reviews FROM cards") == [("lru-cache", 1)]


def test_scores_and_reviews_are_saved_in_one_transaction(tmp_path, monkeypatch):
    from interview_cli.history import scheduling
    from interview_cli.rounds import session as runner

    env = Env(tmp_path)
    env.drill_round({"lru-cache": STRONG["lru-cache"]})
    sid = env.rows("SELECT id FROM sessions")[0][0]

    def killed(*args, **kwargs):
        raise KeyboardInterrupt  # the process dies between the scores and the reviews

    monkeypatch.setattr(scheduling, "rebuild_card", killed)
    with env.store() as store, pytest.raises(KeyboardInterrupt):
        runner.score_session(store, sid, env.bank(), FakeScorer())
    assert env.rows("SELECT COUNT(*) FROM scores") == [(1,)]  # the second scoring left nothing behind
    assert env.rows("SELECT COUNT(*) FROM reviews") == [(1,)]


# ---- 12. skipped questions ---------------------------------------------------------------------------


def test_a_skip_is_shown_apart_and_does_not_lower_the_topic_mean(tmp_path):
    env = Env(tmp_path)
    env.drill_round({"lru-cache": STRONG["lru-cache"]})
    piped = env.run_fake("acme", "backend", "--round", "coding", "--count", "2", "--seed", "3", "--json",
                         input=STRONG["lru-cache"] + "\n---\n\n")
    assert piped.returncode == 0, piped.stderr
    result = json.loads(piped.stdout)
    skipped_id = result["questions"][1]["id"]
    assert result["questions"][1]["skipped"] is True
    assert env.rows("SELECT question_id, skipped FROM reviews WHERE session_id = ? ORDER BY position",
                    (result["session_id"],))[1] == (skipped_id, 1)
    topics = {t["topic"]: t for t in json.loads(env.run("stats", "--json").stdout)["topics"]}
    skipped_topics = {"lru-cache": ["data-structures", "caching"], "rate-limiter": ["concurrency", "api-design"],
                      "top-k": ["data-structures", "streaming"]}[skipped_id]
    for topic in skipped_topics:
        assert topics[topic]["skipped"] == 1
        assert topics[topic]["mean"] is None or topics[topic]["mean"] > 0
    only_skipped = [t for t in skipped_topics if topics[t]["answers"] == 0]
    for topic in only_skipped:
        assert (topics[topic]["mean"], topics[topic]["latest"], topics[topic]["recent"]) == (None, None, None)
    table = env.run("stats", extra={"COLUMNS": "100"}).stdout
    assert "Skipped" in table


# ---- 13. import ---------------------------------------------------------------------------------------


def test_duplicate_answer_lines_in_a_new_session_are_imported_once(tmp_path):
    from hostile.hostile_inputs import export_duplicate_answers

    env = Env(tmp_path)
    done = env.run("import", str(export_duplicate_answers(tmp_path)), "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert (summary["added"]["answer"], summary["already_present"]["answer"]) == (1, 1)
    assert env.rows("SELECT COUNT(*) FROM answers") == [(1,)]


def test_csv_export_neutralises_formulas_behind_spaces_newlines_and_full_width_signs(tmp_path):
    import csv

    env = Env(tmp_path)
    risky = [" =1+1", "\n=cmd", "＝1+1", "  \n @SUM(A1)", "＋1", "a = b", "x\x1b[2Jy"]
    for number, text in enumerate(risky):
        env.drill_round({"lru-cache": text}, name=f"a{number}.yaml")
    rows = list(csv.DictReader(io.StringIO(env.run("export", "--format", "csv").stdout)))
    assert [r["answer"] for r in rows] == [
        "' =1+1", "'\n=cmd", "'＝1+1", "'  \n @SUM(A1)", "'＋1", "a = b", "xy"]


def test_the_migration_turns_old_reviews_of_skipped_answers_into_skips(tmp_path, monkeypatch):
    from interview_cli.history import db as history_db
    from interview_cli.history import migrations

    path = tmp_path / "drill.db"
    monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:3])
    with history_db.Store(path) as store:
        store.create_session(company="Acme", role="Backend", company_slug="acme", role_slug="backend",
                             round_id="coding", round_title="Coding", bank_path=None, plan=["lru-cache", "top-k"],
                             session_id="eeee0001", started_at="2025-03-01T20:00:00+00:00")
        store.add_answer("eeee0001", position=0, question_id="lru-cache", kind="main", prompt="p", answer="a",
                         submitted_at="2025-03-01T20:01:00+00:00")
        store.add_answer("eeee0001", position=1, question_id="top-k", kind="main", prompt="p", answer="",
                         skipped=True, submitted_at="2025-03-01T20:02:00+00:00")
        store.db.executemany(
            "INSERT INTO reviews (session_id, position, company_slug, role_slug, question_id, round, topics, score,"
            " rating, reviewed_at) VALUES ('eeee0001', ?, 'acme', 'backend', ?, 'coding', '[\"data-structures\"]',"
            " ?, ?, ?)", [(0, "lru-cache", 8.0, 3, "2025-03-01T20:01:00+00:00"),
                          (1, "top-k", 0.0, 1, "2025-03-01T20:02:00+00:00")])
        store.db.execute("UPDATE sessions SET status = 'scored', overall = 4.0 WHERE id = 'eeee0001'")
    monkeypatch.undo()
    with history_db.Store(path) as store:
        assert [tuple(r) for r in store.db.execute("SELECT position, skipped FROM reviews ORDER BY position")] == [
            (0, 0), (1, 1)]
        assert [tuple(r) for r in store.db.execute("SELECT topic, answers, total, skips FROM topic_totals")] == [
            ("data-structures", 1, 8.0, 1)]
