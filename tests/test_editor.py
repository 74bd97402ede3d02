"""The answer editor and the interview loop, in-process: pipe input, DummyOutput, no terminal.

The editor tests drive the real prompt-toolkit application with key bytes; the
interview tests script the editor's results and check what lands in SQLite.
"""

from __future__ import annotations

import io
import json
import time
from pathlib import Path

import pytest
from fake_scorer import FakeScorer
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from interview_cli.banks.loader import discover
from interview_cli.errors import ExitStatus, UsageError
from interview_cli.rounds.start import run_round
from interview_cli.history.db import Store
from interview_cli.rounds import interview
from interview_cli.rounds.context import RoundContext
from interview_cli.rounds.options import RoundOptions
from interview_cli.ui import editor as ed
from interview_cli.ui.editor import AnswerEditor, Clock, EditorResult
from interview_cli.ui.round_ui import TerminalRoundUI
from interview_cli.ui.terminal import Terminal

ESC_ENTER = "\x1b\r"
CTRL_C = "\x03"
CTRL_D = "\x04"


def run_editor(keys: str, seconds: float = 30.0, text: str = "", **kwargs) -> EditorResult:
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        return AnswerEditor(input=pipe, output=DummyOutput(), **kwargs).ask(Clock(seconds), text)


# ---- keys -------------------------------------------------------------------------------


def test_enter_inserts_newline_and_esc_enter_submits():
    result = run_editor("first line\rsecond line" + ESC_ENTER)
    assert result == EditorResult("submit", "first line\nsecond line")


def test_ctrl_d_submits_a_non_empty_buffer():
    assert run_editor("an answer" + CTRL_D) == EditorResult("submit", "an answer")


def test_ctrl_d_and_esc_enter_on_an_empty_buffer_do_nothing():
    # Both are ignored while the buffer is empty (or blank); the later Ctrl-D submits.
    result = run_editor(CTRL_D + ESC_ENTER + "  \r" + CTRL_D + "late" + CTRL_D)
    assert result == EditorResult("submit", "  \nlate")


def test_default_text_is_kept_and_extended():
    assert run_editor(" and more" + ESC_ENTER, text="restored draft") == EditorResult(
        "submit", "restored draft and more")


def test_ctrl_c_returns_the_draft_for_a_quit_question():
    assert run_editor("half an answer" + CTRL_C) == EditorResult("interrupt", "half an answer")


@pytest.mark.parametrize("command", ["hint", "skip", "repeat", "quit"])
def test_command_alone_on_a_line_closes_the_editor_without_losing_text(command):
    assert run_editor(f"my idea\r/{command}\r") == EditorResult(command, "my idea")


def test_command_is_case_and_space_tolerant_and_needs_its_own_line():
    assert run_editor("  /HINT  \r") == EditorResult("hint", "")
    result = run_editor("I would /skip nothing\r" + ESC_ENTER)
    assert result == EditorResult("submit", "I would /skip nothing\n")


def test_command_on_the_last_line_works_with_the_submit_keys():
    assert run_editor("draft\r/skip" + ESC_ENTER) == EditorResult("skip", "draft")
    assert run_editor("draft\r/repeat" + CTRL_D) == EditorResult("repeat", "draft")


def test_deadline_auto_submits_whatever_was_typed():
    started = time.monotonic()
    result = run_editor("typed before the deadline", seconds=0.6)
    took = time.monotonic() - started
    assert result == EditorResult("timeout", "typed before the deadline")
    assert 0.55 <= took < 1.5


def test_expired_clock_returns_at_once():
    clock = Clock(0.0)
    assert AnswerEditor(output=DummyOutput()).ask(clock, "kept") == EditorResult("timeout", "kept")


def test_drafts_are_saved_periodically_only_when_changed():
    drafts: list[str] = []
    result = run_editor("draft text", seconds=0.8, on_draft=drafts.append, draft_every=0.1)
    assert result.action == "timeout"
    assert drafts == ["draft text"]  # saved once: it never changed after that


# ---- pure helpers -----------------------------------------------------------------------


def test_format_clock_rounds_up_to_reach_zero_at_the_deadline():
    assert ed.format_clock(300) == "5:00"
    assert ed.format_clock(299.2) == "5:00"
    assert ed.format_clock(59.01) == "1:00"
    assert ed.format_clock(0.4) == "0:01"
    assert ed.format_clock(0) == "0:00"
    assert ed.format_clock(-3) == "0:00"
    assert ed.format_clock(3600) == "60:00"


def test_warning_thresholds():
    # 10-minute question: a quarter at 2:30 left (yellow), one minute at 1:00 (red).
    assert ed.warning(151, 600) == (0, None)
    assert ed.warning(150, 600) == (1, ed.QUARTER_MESSAGE)
    assert ed.warning(61, 600) == (1, ed.QUARTER_MESSAGE)
    assert ed.warning(60, 600) == (2, ed.MINUTE_MESSAGE)
    # 2-minute question: one minute comes first, the quarter later; the level never drops.
    assert ed.warning(60, 120) == (2, ed.MINUTE_MESSAGE)
    assert ed.warning(30, 120) == (2, ed.QUARTER_MESSAGE)
    # Under a minute long: no one-minute warning, only the quarter.
    assert ed.warning(20, 60) == (0, None)
    assert ed.warning(15, 60) == (1, ed.QUARTER_MESSAGE)
    assert ed.warning(1.5, 6) == (1, ed.QUARTER_MESSAGE)


def test_split_command():
    assert ed.split_command("answer\n/hint\n\n") == ("/hint", "answer")
    assert ed.split_command("/quit") == ("/quit", "")
    assert ed.split_command("answer /hint") == (None, "answer /hint")
    assert ed.split_command("/hint\nanswer") == (None, "/hint\nanswer")
    assert ed.split_command("/hints") == (None, "/hints")
    assert ed.split_command("") == (None, "")


@pytest.mark.parametrize("width", [40, 60, 80, 100, 160])
def test_toolbar_fits_the_width_and_shows_clock_and_keys(width):
    long_note = "nothing to submit yet — write your answer, or type /skip on its own line"
    for remaining, limit, note in [(300, 300, None), (70, 300, None), (30, 300, None), (30, 300, "saved"),
                                   (300, 300, long_note), (30, 300, long_note)]:
        lines = ed.toolbar_lines(remaining, limit, width, note)
        assert all(len(line) <= width for _, line in lines), lines
        joined = " ".join(line for _, line in lines)
        assert f"{ed.format_clock(remaining)} left" in joined
        for key in ed.KEY_HELP:
            assert key in joined
        if note:  # notes wrap, never cut
            assert " ".join(note.split()) in " ".join(joined.split())
        assert "…" not in joined


def test_toolbar_style_changes_with_the_warnings():
    assert ed.toolbar_lines(300, 300, 80)[0][0] == "class:toolbar.keys"
    quarter = ed.toolbar_lines(70, 300, 80)
    assert quarter[0][0] == "class:toolbar.warn"
    assert "1:10 left — a quarter of your time is left" in quarter[0][1]
    minute = ed.toolbar_lines(59, 300, 80)
    assert minute[0] == ("class:toolbar.urgent", " 0:59 left — one minute left")


def test_clock_pauses_and_resumes():
    now = [100.0]
    clock = Clock(60, now=lambda: now[0])
    now[0] += 10
    assert clock.remaining() == 50
    clock.pause()
    now[0] += 30
    assert clock.remaining() == 50 and not clock.expired()
    clock.resume()
    now[0] += 49
    assert clock.remaining() == 1
    now[0] += 2
    assert clock.expired() and clock.remaining() == 0


@pytest.mark.parametrize("keys, expected", [("y", True), ("Y", True), ("n", False), ("\r", False),
                                            ("x\r", False), (CTRL_C, True)])
def test_confirm_quit_keys(keys, expected):
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        assert ed.confirm_quit("Quit? [y/N] ", input=pipe, output=DummyOutput()) is expected


# ---- the interview loop, with a scripted editor -------------------------------------------


class ScriptedEditor:
    """Stands in for AnswerEditor: returns the scripted results, records what it was given."""

    def __init__(self, script: list[EditorResult]):
        self.script = list(script)
        self.calls: list[tuple[float, str]] = []

    def ask(self, clock: Clock, text: str = "", on_draft=None, on_ready=None) -> EditorResult:
        self.calls.append((clock.limit, text))
        result = self.script.pop(0)
        if on_draft is not None and result.action in ("timeout",):
            on_draft(result.text)
        return result


def fake_scorer(options, progress):
    return FakeScorer()


def run_interactive(term, bank, options, *, editor, confirm=None):
    with Store() as store:
        ui = TerminalRoundUI(term, editor=editor, confirm=confirm)
        return interview.run_interactive(RoundContext(ui, store, fake_scorer), bank, options)


def resume(term, session_id, catalog, *, editor, confirm=None):
    with Store() as store:
        ui = TerminalRoundUI(term, editor=editor, confirm=confirm)
        return interview.resume(RoundContext(ui, store, fake_scorer), session_id, catalog)


@pytest.fixture
def acme(tiny_bank: Path):
    return discover([tiny_bank]).find("acme", "backend")


def plain_terminal() -> tuple[Terminal, io.StringIO]:
    out = io.StringIO()
    return Terminal(stdin=io.StringIO(), stdout=out, stderr=io.StringIO(), width=80), out


def rows(session_id: str | None = None):
    with Store() as store:
        sid = session_id or store.db.execute("SELECT id FROM sessions ORDER BY rowid DESC").fetchone()[0]
        return store.session(sid), [dict(r) for r in store.answers(sid)]


def test_interview_records_hints_skips_follow_ups_and_scores(acme):
    term, out = plain_terminal()
    script = [
        EditorResult("hint", "my idea"),  # q1: hint 1
        EditorResult("repeat", "my idea"),  # q1: question shown again
        EditorResult("submit", "Invalidation on writes, with a TTL"),  # q1 answered
        EditorResult("timeout", "measure hits"),  # q1 follow-up runs out of time
        EditorResult("skip", "not sure"),  # q2 skipped: no follow-up
    ]
    editor = ScriptedEditor(script)
    options = RoundOptions(round_id="design", count=2, seed=3, minutes=0.5)
    code = run_interactive(term, acme, options, editor=editor, confirm=lambda: False)
    assert code == 0
    session, answers = rows()
    text = out.getvalue()
    first = acme.find_question(session.plan[0])[1]
    assert session.status == "scored"
    assert [(a["position"], a["kind"]) for a in answers] == [(0, "main"), (0, "follow_up"), (1, "main")]
    main, follow, skipped = answers
    assert main["answer"] == "Invalidation on writes, with a TTL"
    assert json.loads(main["hints"]) == first.hints[:1]
    assert follow["prompt"] in first.follow_ups
    assert follow["answer"] == "measure hits" and follow["auto_submitted"] == 1
    assert skipped["skipped"] == 1 and skipped["answer"] == "not sure"
    assert text.count("Question 1 of 2") == 2  # drawn, then repeated
    assert "Time's up — I've taken what you wrote." in text
    assert "No problem, let's move on." in text
    assert "That's all the questions I have." in text
    # --minutes 0.5 gives 30 s to every question and to the follow-up.
    assert {limit for limit, _ in editor.calls} == {30.0}
    # The draft survives a /hint and a /repeat.
    assert [t for _, t in editor.calls[:3]] == ["", "my idea\n", "my idea\n"]
    assert session.options["minutes"] == 0.5 and session.options["follow_ups"] is True


def test_quit_keeps_the_draft_and_resume_finishes(acme, tiny_bank):
    term, out = plain_terminal()
    options = RoundOptions(round_id="design", count=2, seed=1, minutes=1, follow_ups=False)
    first = ScriptedEditor([EditorResult("submit", "answer one"), EditorResult("interrupt", "half of two")])
    code = run_interactive(term, acme, options, editor=first, confirm=lambda: True)
    assert code == ExitStatus.INTERRUPTED == 130
    session, answers = rows()
    assert session.status == "unfinished"
    assert [a["answer"] for a in answers] == ["answer one"]
    with Store() as store:
        assert store.draft(session.id, 1, "main") == "half of two"
    assert f"drill resume {session.id}" in out.getvalue()

    term, out = plain_terminal()
    second = ScriptedEditor([EditorResult("submit", "half of two, finished")])
    code = resume(term, None, discover([tiny_bank]), editor=second, confirm=lambda: False)
    assert code == 0
    assert second.calls == [(60.0, "half of two")]  # draft restored, same --minutes
    session, answers = rows(session.id)
    assert session.status == "scored"
    assert [a["answer"] for a in answers] == ["answer one", "half of two, finished"]
    assert "Welcome back" in out.getvalue() and "question 2 of 2" in out.getvalue()

    with pytest.raises(UsageError, match="already finished and scored"):
        resume(term, session.id, discover([tiny_bank]), editor=second)
    with pytest.raises(UsageError, match="nothing to resume"):
        resume(term, None, discover([tiny_bank]), editor=second)


def test_ctrl_c_answered_no_goes_back_to_the_same_draft(acme):
    term, _ = plain_terminal()
    options = RoundOptions(round_id="behavioral", minutes=1, follow_ups=False)
    editor = ScriptedEditor([EditorResult("interrupt", "draft"), EditorResult("submit", "draft done")])
    assert run_interactive(term, acme, options, editor=editor, confirm=lambda: False) == 0
    assert [t for _, t in editor.calls] == ["", "draft"]  # Ctrl-C, "no": same spot, no new line
    assert rows()[1][0]["answer"] == "draft done"


def test_resume_asks_the_saved_follow_up_when_killed_during_it(acme, tiny_bank):
    term, _ = plain_terminal()
    options = RoundOptions(round_id="design", count=1, seed=2, minutes=1)
    editor = ScriptedEditor([EditorResult("submit", "main answer"), EditorResult("quit", "follow draft")])
    assert run_interactive(term, acme, options, editor=editor) == ExitStatus.INTERRUPTED
    session, answers = rows()
    assert [a["kind"] for a in answers] == ["main"]
    with Store() as store:
        asked = store.draft(session.id, 0, interview.PROMPT_KIND)
        assert store.draft(session.id, 0, "follow_up") == "follow draft"
    assert interview.resume_point(Store(), session, True) == (0, "follow_up")

    term, out = plain_terminal()
    editor = ScriptedEditor([EditorResult("submit", "follow done")])
    assert resume(term, session.id, discover([tiny_bank]), editor=editor) == 0
    assert editor.calls == [(60.0, "follow draft")]
    session, answers = rows(session.id)
    assert [(a["kind"], a["prompt"] if a["kind"] == "follow_up" else "") for a in answers] == [
        ("main", ""), ("follow_up", asked)]
    assert "the follow-up to question 1 of 1" in out.getvalue()


def test_question_and_follow_up_times():
    from interview_cli.banks.model import Question

    limit = interview.time_limit
    q = Question(id="q", prompt="p", minutes=10, rubric=["x"])
    assert limit(q, None, None) == 600
    assert limit(q, None, 0.1) == pytest.approx(6)
    assert limit(q, None, None, interview.FOLLOW) == 240  # 40% of the question's time ...
    short = Question(id="s", prompt="p", minutes=100 / 60, rubric=["x"])
    assert limit(short, None, None, interview.FOLLOW) == 60  # ... at least a minute ...
    assert limit(q, None, 0.1, interview.FOLLOW) == pytest.approx(6)  # ... unless --minutes says so
    untimed = Question(id="u", prompt="p", rubric=["x"])
    assert limit(untimed, None, None) == 600


def test_untimed_questions_share_the_round_by_the_one_default(monkeypatch):
    from interview_cli.banks.model import Question, Round

    untimed = [Question(id=f"u{i}", prompt="p", rubric=["x"]) for i in range(6)]
    rnd = Round(title="Untimed", minutes=20, questions=untimed)
    assert interview.time_limit(untimed[0], rnd, None) == 600  # 20 minutes / (20 // 10) questions
    from interview_cli.banks import model as bank

    monkeypatch.setattr(bank, "DEFAULT_QUESTION_MINUTES", 5.0)
    monkeypatch.setattr(interview, "DEFAULT_QUESTION_MINUTES", 5.0)
    # The round's share follows the one default in bank.py, not a second default of its own.
    assert interview.time_limit(untimed[0], rnd, None) == 300  # 20 minutes / (20 // 5) questions


def test_no_round_without_a_terminal_is_a_usage_error(acme):
    term = Terminal(stdin=io.StringIO("an answer\n"), stdout=io.StringIO(), stderr=io.StringIO())
    with pytest.raises(UsageError, match="--round is required"), Store() as store:
        run_round(RoundContext(TerminalRoundUI(term), store, fake_scorer), acme, RoundOptions())


# ---- follow-ups: model first, offline pick as the fallback ------------------------------------


def test_follow_up_from_the_model_else_the_offline_pick(acme, monkeypatch):
    from interview_cli.errors import ScoringError
    from interview_cli.scoring import llm

    question = acme.find_question("cache-basics")[1]
    term, out = plain_terminal()
    calls = []

    def model_writes(model, api_base, q, answer, **kwargs):
        calls.append((model, api_base, q.id, answer))
        return "  Why not write-through?  "

    monkeypatch.setattr(llm, "write_follow_up", model_writes)
    options = RoundOptions(model="openai/test-model", api_base="http://127.0.0.1:9/v1")
    follow_ups = interview.FollowUps(TerminalRoundUI(term), options)
    assert follow_ups.write(question, "an answer") == "Why not write-through?"
    assert calls == [("openai/test-model", "http://127.0.0.1:9/v1", "cache-basics", "an answer")]

    def model_fails(*args, **kwargs):
        raise ScoringError("cannot reach openai/test-model")

    monkeypatch.setattr(llm, "write_follow_up", model_fails)
    picked = follow_ups.write(question, "Invalidation on writes when a price changes.")
    assert picked in question.follow_ups
    assert "couldn't get a follow-up from openai/test-model; asking one from the bank" in out.getvalue()


def test_offline_follow_up_probes_what_the_answer_missed(acme, monkeypatch):
    from interview_cli.scoring.base import PointResult
    from interview_cli.scoring.offline import scorer as offline

    question = acme.find_question("cache-basics")[1]
    seen = {}

    def coverage(self, q, answer):
        seen["answer"] = answer
        return [PointResult(p.point, p.weight, covered=p.point.startswith("Invalidation")) for p in q.rubric]

    def pick(q, points, scorer=None):
        seen["missed"] = [p.point for p in points if not p.covered]
        return q.follow_ups[1]

    monkeypatch.setattr(offline.OfflineScorer, "coverage", coverage)
    monkeypatch.setattr(offline.OfflineScorer, "embedder", lambda self: None)
    monkeypatch.setattr(offline, "pick_follow_up", pick)
    term, _ = plain_terminal()
    follow_ups = interview.FollowUps(TerminalRoundUI(term), RoundOptions())
    assert follow_ups.offline(question, "Invalidation on writes") == question.follow_ups[1]
    assert seen == {"answer": "Invalidation on writes", "missed": ["TTL to bound staleness", "Hit ratio measured"]}

    monkeypatch.setattr(offline, "pick_follow_up", lambda q, points, scorer=None: None)
    assert interview.FollowUps(TerminalRoundUI(term), RoundOptions()).offline(question, "x") == question.follow_ups[0]


def test_skipped_follow_up_is_committed_as_skipped_without_its_text(acme):
    term, out = plain_terminal()
    editor = ScriptedEditor([EditorResult("submit", "Invalidation on writes"),
                             EditorResult("skip", "half a thought I gave up on")])
    options = RoundOptions(round_id="design", count=1, seed=2, minutes=1)
    assert run_interactive(term, acme, options, editor=editor) == 0
    session, answers = rows()
    main, follow = answers
    assert (main["answer"], main["skipped"]) == ("Invalidation on writes", 0)
    assert (follow["kind"], follow["answer"], follow["skipped"]) == ("follow_up", "", 1)
    assert follow["prompt"] in acme.find_question(session.plan[0])[1].follow_ups
    assert "No problem, let's move on." in out.getvalue()
    with Store() as store:  # nothing of the follow-up is left in drafts
        assert store.db.execute("SELECT COUNT(*) FROM drafts").fetchone()[0] == 0
    assert interview.resume_point(Store(), session, True) == (1, "main")


def test_session_options_keep_no_credentials_and_no_derivable_count():
    options = RoundOptions(round_id="design", count=2, model="openai/x",
                                         api_base="http://bob:sk-proj-SECRET123@127.0.0.1:9/v1")
    saved = interview.session_options(options)
    assert saved["api_base"] == "http://127.0.0.1:9/v1"
    assert "count" not in saved  # len(plan) says it
    assert interview.storable_url("https://[::1]:8080/v1?api_key=abcdef123") == "https://[::1]:8080/v1?api_key=***"
    assert interview.storable_url("http://localhost:8080/v1") == "http://localhost:8080/v1"
    assert interview.storable_url(None) is None


def test_resume_prefers_an_explicit_api_base_over_the_stored_one(monkeypatch):
    with Store() as store:
        sid = store.create_session(company="Acme", role="Backend Engineer", company_slug="acme",
                                   role_slug="backend-engineer", round_id="design", round_title="System design",
                                   bank_path=None, plan=["cache-basics"],
                                   options={"model": "openai/x", "api_base": "http://stored:1/v1", "minutes": 2,
                                            "follow_ups": False})
        stored = store.session(sid)
    same = interview.options_from_session(stored)
    assert (same.model, same.api_base, same.minutes, same.follow_ups) == ("openai/x", "http://stored:1/v1", 2, False)
    assert interview.options_from_session(stored, api_base="http://flag:2/v1").api_base == "http://flag:2/v1"
    monkeypatch.setenv("DRILL_API_BASE", "http://env:3/v1")
    assert interview.options_from_session(stored).api_base == "http://env:3/v1"
    assert interview.options_from_session(stored, api_base="http://flag:2/v1").api_base == "http://flag:2/v1"
    monkeypatch.delenv("DRILL_API_BASE")
    # Another --model never goes to the stored model's server.
    other = interview.options_from_session(stored, model="anthropic/claude")
    assert (other.model, other.api_base) == ("anthropic/claude", None)


def test_warm_up_imports_litellm_only_when_a_model_is_configured(monkeypatch):
    from interview_cli.scoring import llm
    from interview_cli.scoring.offline import scorer as offline

    calls = []
    monkeypatch.setattr(llm, "warm_up", lambda: calls.append("warm_up") or True)
    monkeypatch.setattr(offline.OfflineScorer, "embedder", lambda self: None)
    term, _ = plain_terminal()
    for model, expected in ((None, []), ("openai/test-model", ["warm_up"])):
        calls.clear()
        follow_ups = interview.FollowUps(TerminalRoundUI(term), RoundOptions(model=model))
        follow_ups.warm()
        follow_ups._thread.join(10)
        assert calls == expected, model


def test_a_draft_that_cannot_be_saved_warns_in_the_toolbar_and_keeps_the_text(monkeypatch):
    notes: list[str] = []
    monkeypatch.setattr(ed._Run, "say", lambda self, note, seconds=4.0: notes.append(note))

    def disk_full(text: str) -> None:
        raise RuntimeError("the disk is full")

    result = run_editor("typed on a full disk", seconds=0.8, on_draft=disk_full, draft_every=0.1)
    assert result == EditorResult("timeout", "typed on a full disk")
    assert notes and set(notes) == {
        "draft not saved: the disk is full — your text is still here; it is saved when you submit"}
