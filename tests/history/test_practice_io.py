"""`drill export` / `drill import`: lossless round trip, idempotent import, merge, CSV, errors."""

from __future__ import annotations

import csv
import io
import json

import pytest
from practice_helpers import NOW, STRONG, WEAK, Env, seed_history

from interview_cli.history.transfer import ANSWER_PHASE_FIELDS, ASK_FIELDS, SCORE_FIELDS, TEST_RESULT_FIELDS

TABLES = ("sessions", "answers", "scores", "scorings", "test_results", "asks", "answer_phases", "answer_delivery",
          "drafts", "reviews", "cards")


def counts(env: Env) -> dict[str, int]:
    return {t: env.rows(f"SELECT COUNT(*) FROM {t}")[0][0] for t in TABLES}


def add_unfinished_work(env: Env) -> None:
    """A draft, a coding run's test results, an /ask and an answer's phases, for bbbb0001."""
    with env.store() as store:
        store.save_draft("bbbb0001", 1, "main", "half-written answer")
        store.save_test_results("bbbb0001", 0, "lru-cache", [
            {"test_index": 0, "hidden": False, "status": "passed", "seconds": 0.01, "args": "[2]", "expected": "1",
             "got": "1", "error": None},
            {"test_index": 1, "hidden": True, "status": "timed_out", "seconds": 2.0, "args": "[9]", "expected": "3",
             "got": None, "error": "took over 2 s"}], isolated=True)
        store.add_ask("bbbb0001", position=0, question="How many keys?", reply="About a million.", source="fact",
                      phase="requirements", at_seconds=12.5)
        store.save_phases("bbbb0001", 0, [
            {"phase": "requirements", "title": "Requirements", "budget_seconds": 120.0, "started_seconds": 0.0,
             "used_seconds": 95.0, "text": "a million keys"},
            {"phase": "design", "title": "Design", "budget_seconds": 300.0, "started_seconds": None,
             "used_seconds": None, "text": ""}])
        store.add_answer("bbbb0001", position=1, question_id="top-k", kind="follow_up", prompt="p",
                         answer="um, a heap of size k", submitted_at="2025-03-12T08:05:00+00:00", delivery={
                             "stt_model": "openai/whisper-1", "timing": "words", "words": 6, "speaking_seconds": 3.0,
                             "limit_seconds": 60.0, "words_per_minute": 120.0, "fillers": {"um": 1},
                             "filler_count": 1, "fillers_per_minute": 20.0, "longest_pause_seconds": 0.8,
                             "longest_pause_at": 0.4, "last_minute_share": None,
                             "audio_path": "/home/me/.local/share/drill/audio/bbbb0001/1.wav"})


@pytest.fixture
def source(tmp_path):
    env = Env(tmp_path / "a")
    seed_history(env)
    first = env.drill_round({"lru-cache": STRONG["lru-cache"], "top-k": WEAK["top-k"]})
    env.drill_round({"url-shortener": "base62 ids <b>&</b> ünïcode", "news-feed": STRONG["news-feed"]},
                    name="second.yaml")
    assert env.run_fake("score", first["session_id"], "--json").returncode == 0  # a re-score: 2 score rows each
    add_unfinished_work(env)
    return env


def test_round_trip_is_lossless(source, tmp_path):
    exported = tmp_path / "history.jsonl"
    done = source.run("export", "--output", str(exported))
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{exported}\n"
    assert done.stderr == "exported 6 sessions\n"
    records = [json.loads(line) for line in exported.read_text(encoding="utf-8").splitlines()]
    assert records[0] == {"type": "history", "format": "drill-history", "version": 2}
    assert {r["type"] for r in records} == {"history", "session", "answer", "score", "test_result", "ask",
                                            "answer_phase", "delivery", "draft", "review", "card"}
    scored = [r for r in records if r["type"] == "score" and r["session_id"] == first_id(records)]
    assert scored and all("breakdown" in r["details"] for r in scored)

    target = Env(tmp_path / "b")
    done = target.run("import", str(exported), "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["added"] == {"session": 6, "answer": 11, "score": 11, "test_result": 2, "ask": 1,
                                "answer_phase": 2, "delivery": 1, "draft": 1, "review": 9, "card": 0}
    assert summary["already_present"] == {k: 0 for k in summary["already_present"]}
    assert counts(target) == counts(source)
    for table, columns in (("scores", SCORE_FIELDS), ("test_results", TEST_RESULT_FIELDS), ("asks", ASK_FIELDS),
                           ("answer_phases", ANSWER_PHASE_FIELDS)):  # all but local row ids
        query = f"SELECT {', '.join(columns)} FROM {table} ORDER BY {', '.join(columns)}"
        assert target.rows(query) == source.rows(query)
    delivery = "SELECT a.answer, d.words, d.fillers, d.audio_path FROM answer_delivery d JOIN answers a ON a.id = d.answer_id"
    assert target.rows(delivery) == [("um, a heap of size k", 6, '{"um": 1}', None)]  # a local path does not travel

    again = target.run("export")
    assert again.stdout == exported.read_text(encoding="utf-8")
    # the same plan and stats come out on the other machine
    for args in (("stats", "--json"), ("plan", "--json", "-n", "5"), ("history", "--json", "--limit", "0")):
        assert target.run(*args, extra={"DRILL_NOW": NOW}).stdout == source.run(*args, extra={"DRILL_NOW": NOW}).stdout
    for sid in ("aaaa0001", "bbbb0001"):
        assert target.run("report", sid, "-f", "json").stdout == source.run("report", sid, "-f", "json").stdout


def first_id(records: list[dict]) -> str:
    """The session that was scored by a fake offline scorer twice: the one whose scores carry details."""
    return next(r["session_id"] for r in records if r["type"] == "score" and r["details"])


def test_a_version_1_export_still_imports(source, tmp_path):
    """Exports from before test results, asks, phases and score details were carried."""
    records = [json.loads(line) for line in source.run("export").stdout.splitlines()]
    old = [{"type": "history", "format": "drill-history", "version": 1}]
    old += [{k: v for k, v in r.items() if k != "details"} for r in records[1:]
            if r["type"] not in ("test_result", "ask", "answer_phase", "delivery")]
    target = Env(tmp_path / "b")
    done = target.run("import", "-", "--json", input="".join(json.dumps(r) + "\n" for r in old))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["added"]["score"] == 11
    assert {row[0] for row in target.rows("SELECT details FROM scores")} == {
        '{"breakdown": "", "red_flags": [], "unsure": false}'}


def test_an_imported_session_resumes_in_text_whatever_voice_settings_it_names(source, tmp_path):
    """A file must not choose the servers a resumed round sends the candidate's voice and questions to."""
    records = [json.loads(line) for line in source.run("export").stdout.splitlines()]
    unfinished = next(r for r in records if r["type"] == "session" and r["status"] == "unfinished")
    unfinished["options"].update({"listen": True, "speak": True, "keep_audio": True, "stt_model": "openai/whisper-1",
                                  "tts_model": "openai/tts-1", "stt_api_base": "http://203.0.113.5:8000/v1"})
    target = Env(tmp_path / "b")
    done = target.run("import", "-", input="".join(json.dumps(r) + "\n" for r in records))
    assert done.returncode == 0, done.stderr
    (options,) = target.rows(f"SELECT options FROM sessions WHERE id = '{unfinished['id']}'")[0]
    assert not {"listen", "speak", "keep_audio", "stt_model", "tts_model", "stt_api_base"} & json.loads(options).keys()


def test_import_twice_adds_nothing(source, tmp_path):
    exported = tmp_path / "history.jsonl"
    source.run("export", "-o", str(exported))
    target = Env(tmp_path / "b")
    assert target.run("import", str(exported)).returncode == 0
    before = counts(target)
    done = target.run("import", str(exported))
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"Nothing new: all 6 sessions in {exported} are already here.\n"
    assert counts(target) == before
    # importing into the machine it came from changes nothing either
    assert source.run("import", str(exported), "--quiet").stdout == ""
    assert counts(source) == before


def test_import_merges_with_local_history(source, tmp_path):
    exported = tmp_path / "history.jsonl"
    source.run("export", "-o", str(exported))
    target = Env(tmp_path / "b")
    local = target.drill_round({"lru-cache": WEAK["lru-cache"]})
    done = target.run("import", str(exported), "--json")
    assert json.loads(done.stdout)["added"]["session"] == 6
    ids = {row[0] for row in target.rows("SELECT id FROM sessions")}
    assert local["session_id"] in ids and len(ids) == 7
    # lru-cache's card now replays the reviews of both machines, in time order
    (reviews,) = target.rows("SELECT reviews FROM cards WHERE question_id = 'lru-cache'")[0]
    assert reviews == 4


def test_import_from_stdin(source, tmp_path):
    target = Env(tmp_path / "b")
    done = target.run("import", "-", "--json", input=source.run("export").stdout)
    assert json.loads(done.stdout)["added"]["session"] == 6


def test_csv_export_one_row_per_answer(source):
    done = source.run("export", "--format", "csv")
    assert done.returncode == 0, done.stderr
    rows = list(csv.reader(io.StringIO(done.stdout)))
    assert rows[0] == ["session_id", "started_at", "company", "role", "round", "status", "overall", "position",
                       "question_id", "kind", "prompt", "answer", "skipped", "seconds", "submitted_at", "score",
                       "scorer", "feedback"]
    assert len(rows) - 1 == source.rows("SELECT COUNT(*) FROM answers")[0][0]
    first = dict(zip(rows[0], rows[1], strict=True))
    assert (first["session_id"], first["question_id"], first["score"], first["overall"]) == (
        "aaaa0001", "lru-cache", "2.0", "4.2")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("session_id,started_at\nabc,2025\n",
         "error: {f} is not a drill JSONL export (CSV exports are for spreadsheets and cannot be imported) — "
         "export with: drill export --format jsonl --output FILE\n"),
        ('{"type": "history", "format": "drill-history", "version": 1}\n{"type": "session", "id": "x"\n',
         "error: {f}:2: not valid JSON (Expecting ',' delimiter) — is this a drill export?\n"),
        ('{"type": "session", "id": "x"}\n', "error: {f}:1: session record is missing 'company'\n"),
        ('{"type": "note"}\n', "error: {f}:1: unknown record type 'note' — expected one of: session, answer, score, "
                               "test_result, ask, answer_phase, delivery, draft, review, card\n"),
        ('{"type": "history", "format": "drill-history", "version": 9}\n',
         "error: {f}:1: export version 9 is newer than this drill understands (2) — upgrade drill\n"),
        ("", "error: {f} holds no history records — make one with: drill export --output FILE\n"),
    ],
)
def test_import_rejects_bad_files(tmp_path, content, message):
    env = Env(tmp_path)
    bad = tmp_path / "bad.jsonl"
    bad.write_text(content, encoding="utf-8")
    done = env.run("import", str(bad))
    assert (done.returncode, done.stderr, done.stdout) == (2, message.format(f=bad), "")


def test_import_orphan_rows_roll_back(tmp_path):
    env = Env(tmp_path)
    bad = tmp_path / "orphan.jsonl"
    answer = {"type": "answer", "session_id": "zz", "position": 0, "question_id": "q", "kind": "main",
              "prompt": "p", "answer": "a", "skipped": False, "auto_submitted": False, "hints": [],
              "seconds": None, "submitted_at": "2025-01-01T00:00:00+00:00"}
    bad.write_text(json.dumps(answer) + "\n", encoding="utf-8")
    done = env.run("import", str(bad))
    assert done.returncode == 2
    assert done.stderr == f"error: {bad}:1: answer for unknown session 'zz' — the file is incomplete; export again\n"
    assert env.rows("SELECT COUNT(*) FROM answers") == [(0,)]


def test_import_missing_file(tmp_path):
    done = Env(tmp_path).run("import", "nope.jsonl")
    assert (done.returncode, done.stderr) == (
        2, "error: no such file: nope.jsonl — make one with: drill export --output nope.jsonl\n")


def test_round_trip_keeps_the_order_of_simultaneous_answers(tmp_path):
    """Ties in time are broken by session id, never by local row ids (which differ after an import)."""
    from practice_helpers import T0, add_scored_session

    from interview_cli.history import scheduling
    from interview_cli.scoring.base import AnswerScore

    source = Env(tmp_path / "a")
    bank = source.bank()
    with source.store() as store:
        add_scored_session(store, bank, {"lru-cache": 2.0}, T0, session_id="zzzz0001")
        add_scored_session(store, bank, {"top-k": 8.0}, T0, session_id="aaaa0009")  # same second, same topic
        store.save_scores("zzzz0001", [(0, AnswerScore("lru-cache", 9.0, (), "", "fake", "1"))], 9.0, "fake")
        scheduling.record_reviews(store, "zzzz0001", bank)  # the re-score gives zzzz0001 the newest row id
    exported = tmp_path / "h.jsonl"
    source.run("export", "-o", str(exported))
    target = Env(tmp_path / "b")
    target.run("import", str(exported))
    mine, theirs = (json.loads(e.run("stats", "--json").stdout) for e in (source, target))
    assert mine == theirs
    latest = {t["topic"]: t["latest"] for t in mine["topics"]}
    assert latest["data-structures"] == 9.0  # zzzz0001 sorts after aaaa0009 at the same time


# ---- import validates every value before inserting anything ---------------------------------------


@pytest.fixture(scope="module")
def exported_records(tmp_path_factory) -> list[dict]:
    """A real export of the seeded history, plus a draft: one record of every type."""
    env = Env(tmp_path_factory.mktemp("export"))
    seed_history(env)
    add_unfinished_work(env)
    done = env.run("export")
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert {r["type"] for r in records} == {"history", "session", "answer", "score", "test_result", "ask",
                                            "answer_phase", "delivery", "draft", "review", "card"}
    return records


def write_jsonl(path, records: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


ISO_HINT = "must be an ISO 8601 time with a time zone, e.g. 2025-03-01T20:00:00+00:00"


@pytest.mark.parametrize(
    ("kind", "field", "value", "message"),
    [
        ("session", "started_at", "9999", f"session 'started_at' {ISO_HINT} (got \"9999\")"),
        ("session", "started_at", "2025-03-01T20:00:00", f"session 'started_at' {ISO_HINT} (got \"2025-03-01T20:00:00\")"),
        ("session", "finished_at", 20250301, f"session 'finished_at' {ISO_HINT} (got 20250301)"),
        ("session", "id", ["x"], "session 'id' must be an id like 3f9a1c2e: lowercase letters and digits "
                                 "(got [\"x\"])"),
        ("session", "id", "../../x", "session 'id' must be an id like 3f9a1c2e: lowercase letters and digits "
                                     "(got \"../../x\")"),
        ("session", "status", "done", "session 'status' must be 'in_progress', 'unfinished', 'unscored' or 'scored' "
                                      "(got \"done\")"),
        ("session", "overall", 11, "session 'overall' must be a number from 0 to 10 (got 11)"),
        ("session", "plan", "lru-cache", "session 'plan' must be a list (got \"lru-cache\")"),
        ("session", "company_slug", "Acme Corp", "session 'company_slug' must be a slug: lowercase letters (of any "
                                                 "script), digits and '-' (got \"Acme Corp\")"),
        ("answer", "position", -1, "answer 'position' must be a whole number from 0 to 1,000,000 (got -1)"),
        ("answer", "skipped", "no", "answer 'skipped' must be true or false (got \"no\")"),
        ("answer", "kind", "bonus", "answer 'kind' must be 'main' or 'follow_up' (got \"bonus\")"),
        ("answer", "question_id", 7, "answer 'question_id' must be kebab-case: lowercase letters, digits and '-' "
                                     "(got 7)"),
        ("answer", "hints", [1], "answer 'hints.0' must be a string (got 1)"),
        ("score", "score", "NaN!", "score 'score' must be a number from 0 to 10 (got \"NaN!\")"),
        ("score", "details", [], "score 'details' must be an object (got [])"),
        ("test_result", "status", "exploded", "test_result 'status' must be 'passed', 'failed', 'error', 'timed_out' "
                                              "or 'crashed' (got \"exploded\")"),
        ("test_result", "ran_at", "yesterday", f"test_result 'ran_at' {ISO_HINT} (got \"yesterday\")"),
        ("ask", "at_seconds", -3, "ask 'at_seconds' must be a number of at least 0 (got -3)"),
        ("delivery", "fillers", {"um": -1}, "delivery 'fillers.um' must be a whole number from 0 to 1,000,000 (got -1)"),
        ("delivery", "fillers", {"hmm": 1}, "delivery 'fillers' keys must be 'um', 'uh', 'basically', 'like', "
                                            "'you know' or 'sort of' (got \"hmm\")"),
        ("delivery", "words_per_minute", 1e308, "delivery 'words_per_minute' must be a rate from 0 to 1,000 a minute "
                                                "(got 1e+308)"),
        ("delivery", "last_minute_share", 2, "delivery 'last_minute_share' must be a share from 0 to 1 (got 2)"),
        ("delivery", "speaking_seconds", 1e9, "delivery 'speaking_seconds' must be a number of seconds from 0 to "
                                              "86,400 (got 1000000000.0)"),
        ("delivery", "filler_count", 5, "delivery record: filler_count must be the sum of fillers, and no more than "
                                        "words"),
        ("score", "details", {"breakdown": 5}, "score 'details.breakdown' must be a string (got 5)"),
        ("score", "details", {"red_flags": "abc"}, "score 'details.red_flags' must be a list (got \"abc\")"),
        ("score", "details", {"red_flags": [1]}, "score 'details.red_flags.0' must be an object (got 1)"),
        ("delivery", "timing", "guessed", "delivery 'timing' must be 'words', 'segments', 'energy' or 'none' "
                                          "(got \"guessed\")"),
        ("answer_phase", "phase", "Big Design", "answer_phase 'phase' must be kebab-case: lowercase letters, digits "
                                                "and '-' (got \"Big Design\")"),
        ("score", "score", float("nan"), "score 'score' must be a number from 0 to 10 (got NaN)"),
        ("score", "score", -0.5, "score 'score' must be a number from 0 to 10 (got -0.5)"),
        ("score", "points", [{"point": "x", "weight": 1.0}], "score record is missing 'points.0.covered'"),
        ("score", "samples", [float("inf")], "score 'samples.0' must be a number from 0 to 10 (got Infinity)"),
        ("draft", "kind", "other", "draft 'kind' must be 'main', 'follow_up', 'follow_up_prompt', 'hints', "
                                   "'clock:main' or 'clock:follow_up' (got \"other\")"),
        ("review", "rating", 7, "review 'rating' must be 1, 2, 3 or 4 (got 7)"),
        ("review", "topics", "caching", "review 'topics' must be a list (got \"caching\")"),
        ("card", "card", {"state": 2}, "card record is missing 'card.card_id'"),
        ("card", "due", "soon", f"card 'due' {ISO_HINT} (got \"soon\")"),
        ("card", "reviews", 1.5, "card 'reviews' must be a whole number of at least 0 (got 1.5)"),
    ],
)
def test_import_rejects_bad_values(exported_records, kind, field, value, message):
    from interview_cli.errors import UsageError
    from interview_cli.history import transfer as history_io

    records = [dict(r) for r in exported_records]
    number = next(n for n, r in enumerate(records, 1) if r["type"] == kind)
    records[number - 1][field] = value
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    with pytest.raises(UsageError) as caught:
        history_io.read_records(text, "bad.jsonl")
    assert str(caught.value) == f"bad.jsonl:{number}: {message}"


@pytest.mark.parametrize(("kind", "field", "value"), [("session", "started_at", "9999"), ("score", "score", "NaN!"),
                                                      ("session", "id", ["x"])])
def test_a_bad_value_imports_nothing(tmp_path, exported_records, kind, field, value):
    """These used to import with exit 0, and history, stats and report then crashed on every run."""
    records = [dict(r) for r in exported_records]
    number = next(n for n, r in enumerate(records, 1) if r["type"] == kind)
    records[number - 1][field] = value
    bad = tmp_path / "bad.jsonl"
    write_jsonl(bad, records)
    env = Env(tmp_path / "target")
    done = env.run("import", str(bad))
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith(f"error: {bad}:{number}: {kind} '{field}' must be ")
    assert counts(env) == {t: 0 for t in TABLES}


def test_import_reports_a_required_null_as_missing(tmp_path, exported_records):
    records = [dict(r) for r in exported_records]
    records[1]["round_title"] = None
    bad = tmp_path / "bad.jsonl"
    write_jsonl(bad, records)
    done = Env(tmp_path / "t").run("import", str(bad))
    assert (done.returncode, done.stderr) == (2, f"error: {bad}:2: session record is missing 'round_title'\n")


def test_import_stores_times_in_utc(tmp_path, exported_records):
    records = [dict(r) for r in exported_records if r["type"] in ("history", "session")][:2]
    records[1]["started_at"] = "2025-03-01T21:30:00+01:30"
    source = tmp_path / "tz.jsonl"
    write_jsonl(source, records)
    env = Env(tmp_path / "t")
    done = env.run("import", str(source))
    assert done.returncode == 0, done.stderr
    assert env.rows("SELECT started_at FROM sessions") == [("2025-03-01T20:00:00+00:00",)]


def test_import_loads_pydantic_only_when_importing():
    import subprocess
    import sys

    code = ("import sys; from interview_cli.history import transfer, stats, report, plan; from interview_cli.ui.views import html; "
            "print('pydantic' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout == "False\n"


def test_import_summary_plurals(tmp_path, exported_records):
    keep = {"aaaa0002"}
    records = [r for r in exported_records if r["type"] == "history" or r.get("id") in keep
               or r.get("session_id") in keep or (r["type"] == "card" and r["question_id"] == "url-shortener")]
    source = tmp_path / "one.jsonl"
    write_jsonl(source, records)
    env = Env(tmp_path / "t")
    done = env.run("import", str(source))
    assert done.returncode == 0, done.stderr
    assert done.stdout == "Imported 1 session, 1 answer, 1 score, 1 review; 1 card rescheduled.\n"
    again = env.run("import", str(source))
    assert again.stdout == f"Nothing new: the 1 session in {source} is already here.\n"


# ---- CSV cells cannot run as spreadsheet formulas --------------------------------------------------


def test_csv_export_defuses_formulas(tmp_path):
    env = Env(tmp_path)
    risky = ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2", "@SUM(A1)", "\tcmd", "\rcmd", "a = b", "plain"]
    with env.store() as store:
        store.create_session(company="=Acme", role="Backend", company_slug="acme", role_slug="backend",
                             round_id="coding", round_title="Coding", bank_path=None, plan=["lru-cache"],
                             session_id="cafe0001", started_at="2025-03-01T20:00:00+00:00")
        for position, text in enumerate(risky):
            store.add_answer("cafe0001", position=position, question_id="lru-cache", kind="main", prompt="-p",
                             answer=text, submitted_at="2025-03-01T20:00:00+00:00")
    target = tmp_path / "out.csv"
    done = env.run("export", "--format", "csv", "--output", str(target))
    assert done.returncode == 0, done.stderr
    with target.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["answer"] for row in rows] == [
        "'=HYPERLINK(\"http://x\",\"y\")", "'+1+1", "'-2", "'@SUM(A1)", "'\tcmd", "cmd", "a = b", "plain"]  # control characters are removed
    assert {row["company"] for row in rows} == {"'=Acme"} and {row["prompt"] for row in rows} == {"'-p"}
    assert rows[0]["started_at"] == "2025-03-01T20:00:00+00:00" and rows[0]["position"] == "0"


def test_a_time_in_the_first_millisecond_of_a_second_imports_as_itself(source, tmp_path):
    """`…:05.000` (drill writes milliseconds, and about one event in a thousand lands on .000) must not come back as
    `…:05`, or importing into the machine it came from would add its scores again."""
    with source.store() as store:
        store.db.execute("UPDATE scores SET scored_at = '2026-03-01T10:00:05.000+00:00'")
        store.db.commit()
    exported = tmp_path / "h.jsonl"
    source.run("export", "-o", str(exported))
    before = counts(source)
    assert source.run("import", str(exported), "--quiet").returncode == 0
    assert counts(source) == before
