"""The answer editor, in-process: the real prompt-toolkit application driven by key bytes, no terminal."""

from __future__ import annotations

import time

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from interview_cli.ui import editor as ed
from interview_cli.ui.editor import AnswerEditor, Clock, EditorResult

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


def test_a_draft_that_cannot_be_saved_warns_in_the_toolbar_and_keeps_the_text(monkeypatch):
    notes: list[str] = []
    monkeypatch.setattr(ed._Run, "say", lambda self, note, seconds=4.0: notes.append(note))

    def disk_full(text: str) -> None:
        raise RuntimeError("the disk is full")

    result = run_editor("typed on a full disk", seconds=0.8, on_draft=disk_full, draft_every=0.1)
    assert result == EditorResult("timeout", "typed on a full disk")
    assert notes and set(notes) == {
        "draft not saved: the disk is full — your text is still here; it is saved when you submit"}
