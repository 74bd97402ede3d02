"""The interview loop with a scripted editor: what each step shows and what lands in SQLite."""

from __future__ import annotations

import io
from dataclasses import asdict
from pathlib import Path

import pytest
from fake_scorer import FakeScorer

from interview_cli.banks.loader import discover
from interview_cli.clock import Clock
from interview_cli.errors import ExitStatus, UsageError
from interview_cli.history.db import Store
from interview_cli.history.rows import AnswerKind, DraftKind
from interview_cli.redact import storable_url
from interview_cli.rounds import interview
from interview_cli.rounds.context import RoundContext
from interview_cli.rounds.options import RoundOptions
from interview_cli.rounds.start import run_round
from interview_cli.rounds.ui import EditorResult
from interview_cli.ui.round_ui import TerminalRoundUI
from interview_cli.ui.terminal import Terminal

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
        return store.session(sid), [asdict(r) for r in store.answers(sid)]


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
    assert main["hints"] == first.hints[:1]
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
        asked = store.draft(session.id, 0, DraftKind.FOLLOW_UP_PROMPT)
        assert store.draft(session.id, 0, "follow_up") == "follow draft"
    assert interview.resume_point(Store().transcript(session.id), True) == (0, "follow_up")

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
    assert limit(q, None, None, AnswerKind.FOLLOW_UP) == 240  # 40% of the question's time ...
    short = Question(id="s", prompt="p", minutes=100 / 60, rubric=["x"])
    assert limit(short, None, None, AnswerKind.FOLLOW_UP) == 60  # ... at least a minute ...
    assert limit(q, None, 0.1, AnswerKind.FOLLOW_UP) == pytest.approx(6)  # ... unless --minutes says so
    untimed = Question(id="u", prompt="p", rubric=["x"])
    assert limit(untimed, None, None) == 600


def test_untimed_questions_share_the_round_by_the_one_default(monkeypatch):
    from interview_cli.banks.model import Question, Round

    untimed = [Question(id=f"u{i}", prompt="p", rubric=["x"]) for i in range(6)]
    rnd = Round(title="Untimed", minutes=20, questions=untimed)
    assert interview.time_limit(untimed[0], rnd, None) == 600  # 20 minutes / (20 // 10) questions
    from interview_cli.banks import snapshot

    monkeypatch.setattr(snapshot, "DEFAULT_QUESTION_MINUTES", 5.0)
    monkeypatch.setattr(interview, "DEFAULT_QUESTION_MINUTES", 5.0)
    # The round's share follows the one default (RoundTiming, shared by model and snapshot), not one of its own.
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

    def pick(q, points, answer="", candidates=None):
        seen["missed"] = [p.point for p in points if not p.covered]
        seen["asked about"] = answer
        return q.follow_ups[1]

    monkeypatch.setattr(offline.OfflineScorer, "coverage", coverage)
    monkeypatch.setattr(offline.OfflineScorer, "embedder", lambda self: None)
    monkeypatch.setattr(offline, "pick_follow_up", pick)
    term, _ = plain_terminal()
    follow_ups = interview.FollowUps(TerminalRoundUI(term), RoundOptions())
    assert follow_ups.offline(question, "Invalidation on writes") == question.follow_ups[1]
    assert seen == {"answer": "Invalidation on writes", "missed": ["TTL to bound staleness", "Hit ratio measured"],
                    "asked about": "Invalidation on writes"}

    # no bank follow-up fits this answer: none is asked, rather than one about something it never said
    monkeypatch.setattr(offline, "pick_follow_up", lambda q, points, answer="", candidates=None: None)
    assert interview.FollowUps(TerminalRoundUI(term), RoundOptions()).offline(question, "x") is None


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
    assert interview.resume_point(Store().transcript(session.id), True) == (1, "main")


def test_session_options_keep_no_credentials_and_no_derivable_count():
    options = RoundOptions(round_id="design", count=2, model="openai/x",
                                         api_base="http://bob:sk-proj-SECRET123@127.0.0.1:9/v1")
    saved = interview.session_options(options)
    assert saved["api_base"] == "http://127.0.0.1:9/v1"
    assert "count" not in saved  # len(plan) says it
    assert storable_url("https://[::1]:8080/v1?api_key=abcdef123") == "https://[::1]:8080/v1?api_key=***"
    assert storable_url("http://localhost:8080/v1") == "http://localhost:8080/v1"
    assert storable_url(None) is None


def test_resume_prefers_an_explicit_api_base_over_the_stored_one(monkeypatch):
    with Store() as store:
        sid = store.create_session(company="Acme", role="Backend Engineer", company_slug="acme",
                                   role_slug="backend-engineer", round_id="design", round_title="System design",
                                   bank_path=None, plan=["cache-basics"],
                                   options={"model": "openai/x", "api_base": "http://stored:1/v1", "minutes": 2,
                                            "follow_ups": False})
        stored = store.session(sid)
    from interview_cli.scoring.select import resolve_model

    def chosen(options):
        choice = resolve_model(options.model, options.api_base, session_model=options.session_model,
                               session_api_base=options.session_api_base)
        return choice.model, choice.api_base

    same = interview.options_from_session(stored)
    assert (same.minutes, same.follow_ups) == (2, False)
    assert chosen(same) == ("openai/x", "http://stored:1/v1")
    assert chosen(interview.options_from_session(stored, api_base="http://flag:2/v1")) == ("openai/x", "http://flag:2/v1")
    monkeypatch.setenv("DRILL_API_BASE", "http://env:3/v1")
    assert chosen(interview.options_from_session(stored)) == ("openai/x", "http://env:3/v1")
    assert chosen(interview.options_from_session(stored, api_base="http://flag:2/v1")) == ("openai/x", "http://flag:2/v1")
    monkeypatch.delenv("DRILL_API_BASE")
    # Another --model never goes to the stored model's server.
    assert chosen(interview.options_from_session(stored, model="anthropic/claude")) == ("anthropic/claude", None)


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


def test_due_round_names_each_questions_round_and_its_time_range(acme):
    term, out = plain_terminal()
    editor = ScriptedEditor([EditorResult("submit", "an answer") for _ in range(4)])
    options = RoundOptions(due=True, count=4, follow_ups=False)
    assert run_interactive(term, acme, options, editor=editor, confirm=lambda: False) == 0
    text = " ".join(out.getvalue().split())
    assert "Round: Due for review" in text
    assert "I have 4 questions for you, with 1 to 2 minutes each." in text  # the tiny bank: 2, 2, 2 and 1 minutes
    assert "Round: System design · Topic: Caching · Time: 2 minutes" in text  # cache-basics: unseen, first
    assert "Round: Behavioral · Time: 1 minute" in text
    plain = RoundOptions(round_id="design", count=1, seed=1, follow_ups=False, minutes=1)
    term, out = plain_terminal()
    run_interactive(term, acme, plain, editor=ScriptedEditor([EditorResult("submit", "x")]),
                              confirm=lambda: False)
    assert "Round: System design ·" not in out.getvalue()  # one round: its name is in the opening only
