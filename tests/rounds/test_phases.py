"""The phase clock, time use and the answer box's phase commands as pure functions."""

from __future__ import annotations

from interview_cli.banks.model import Phase
from interview_cli.clock import format_clock
from interview_cli.history.time_use import (
    PhaseUse,
    time_use,
    time_use_summary,
    unreached_note,
)
from interview_cli.rounds.phases import (
    PhaseClock,
    nudge,
    phase_texts,
    plan_phases,
    toolbar_label,
)
from interview_cli.ui.editor import ask_line, split_ask, toolbar_lines

PHASES = [Phase(id="requirements", title="Requirements", minutes=5), Phase(id="api-and-data", title="API and data", minutes=5),
          Phase(id="high-level-design", title="High-level design", minutes=10),
          Phase(id="deep-dive", title="Deep dive", minutes=15), Phase(id="wrap-up", title="Wrap-up", minutes=5)]


def test_phases_scale_to_the_question_time():
    plan = plan_phases(PHASES, 20 * 60)
    assert [p.seconds for p in plan] == [150.0, 150.0, 300.0, 450.0, 150.0]


def test_the_clock_moves_on_at_each_budget_and_the_last_phase_runs_to_the_end():
    clock = PhaseClock(plan_phases(PHASES, 40 * 60))
    assert not clock.due(299.0) and clock.due(300.0)
    assert clock.advance(300.0).id == "api-and-data"
    assert clock.ends_at() == 600.0
    assert clock.advance(400.0).id == "high-level-design"  # /next, early: its budget starts now
    assert clock.ends_at() == 1000.0
    clock.advance(1000.0)
    clock.advance(2800.0)
    assert clock.is_last and clock.ends_at() is None and clock.advance(2900.0) is None
    assert clock.left_in_phase(2850.0, 150.0) == 150.0


def test_toolbar_label_and_nudge_in_the_interviewer_voice():
    clock = PhaseClock(plan_phases(PHASES, 40 * 60), [0.0, 300.0, 600.0])
    label = toolbar_label(clock, 788.0, 1720.0, format_clock)
    assert label == "High-level design · 6:52 left in phase · 28:40 in total"
    assert nudge(720.0, clock.plan[2]) == "We're 12 minutes in; let's move on to the high-level design."
    assert nudge(300.0, clock.plan[1], "tough") == "We're 5 minutes in. Move on to the API and data now."
    lines = toolbar_lines(1720.0, 2400.0, 120, label=label)
    assert lines[0][1].startswith(" High-level design · 6:52 left in phase · 28:40 in total · Esc Enter: submit")


def test_text_per_phase_from_the_text_at_each_phase_start():
    assert phase_texts(["", "reqs\n", "reqs\napi\n"], "reqs\napi\nboxes") == ["reqs", "api", "boxes"]
    assert phase_texts(["", "edited earlier"], "rewritten") == ["edited earlier", "rewritten"]


def test_time_use_flags_the_overrun_and_what_it_cost():
    plan = plan_phases(PHASES, 40 * 60)
    uses = time_use(plan, [0.0, 840.0, 1080.0, 2220.0], 2400.0)
    assert [round(u.used) for u in uses[:4]] == [840, 240, 1140, 180] and uses[4].used is None
    assert uses[0].overran and not uses[1].overran
    assert time_use_summary(uses) == "requirements took 14 min of a 5-min budget; the deep dive got 3"
    assert unreached_note(uses) == ("The answer never reached the wrap-up; interviewers read that as a design "
                                    "left unfinished.")
    on_time = [PhaseUse("requirements", "Requirements", 300.0, 310.0)]
    assert time_use_summary(on_time) is None and unreached_note(on_time) is None


def test_ask_is_a_command_with_a_question_on_its_own_line():
    assert ask_line("/ask How many members?") == "How many members?"
    assert ask_line("  /ASK  peak QPS? ") == "peak QPS?"
    assert ask_line("/ask") is None and ask_line("/asking around") is None
    assert split_ask("my design\n/ask How many regions?\n") == ("How many regions?", "my design")
    assert split_ask("no command here") == (None, "no command here")
