"""The interviewer, drawn with rich: the opening, each question, follow-ups and the closing lines.

Everything wraps to the terminal's width (panels wrap, never truncate), colour is
restrained (one accent for question panels, dim for asides), and NO_COLOR or a pipe
gives plain text through Terminal.
"""

from __future__ import annotations

from rich.console import Group
from rich.panel import Panel
from rich.text import Text

from interview_cli.banks.model import Bank, Question, Round
from interview_cli.sanitize import terminal_safe
from interview_cli.ui.terminal import Terminal

ACCENT = "cyan"
TIMES_UP = "Time's up — I've taken what you wrote."
TIMES_UP_EMPTY = "Time's up — nothing was written for this one, so let's move on."


def describe_seconds(seconds: float) -> str:
    """'45 minutes', '1 minute', '2 min 30 s', '6 seconds'."""
    whole = max(1, round(seconds))
    minutes, secs = divmod(whole, 60)
    if minutes == 0:
        return f"{secs} second{'s' if secs != 1 else ''}"
    if secs == 0:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{minutes} min {secs} s"


def _topics(question: Question) -> str:
    return ", ".join(t.replace("-", " ") for t in question.topics)


def _say(term: Terminal, text: str | Text, *, style: str | None = None) -> None:
    """A line the interviewer speaks: always shown (even with --quiet), wrapped to the width."""
    term.result(text if isinstance(text, Text) else Text(text, style=style or ""), soft_wrap=False)


def _aside(term: Terminal, text: str) -> None:
    term.show(Text(text, style="dim"), soft_wrap=False)


def opening(term: Terminal, bank: Bank, round_id: str, rnd: Round | None, limits: list[float],
            follow_ups: bool) -> None:
    """Who we are, what this round is, and how the answer box works."""
    title = rnd.title if rnd else round_id.replace("-", " ").capitalize()
    heading = Text(terminal_safe(f"{bank.company} · {bank.role}"), style="bold")
    if bank.about:
        term.show(Panel(Text(terminal_safe(" ".join(bank.about.split()))), title=heading, title_align="left",
                        border_style="dim", padding=(0, 1)))
    else:
        term.show(heading)
    count = len(limits)
    term.result(Text.assemble(("Round: ", "bold"), (title, f"bold {ACCENT}")), soft_wrap=False)
    if rnd and rnd.about:
        term.show(Text(terminal_safe(" ".join(rnd.about.split()))), soft_wrap=False)
    term.show(Text())
    plan = (f"Hi, thanks for making the time today. I have {count} question{'s' if count != 1 else ''} "
            f"for you, with {_limits_phrase(limits)}.")
    if follow_ups:
        plan += " After each answer I'll ask one short follow-up."
    _say(term, plan)
    _aside(term, "Write your answer below the question: Enter starts a new line; Esc then Enter (or Ctrl-D) "
                 "submits. On a line of its own, /hint asks for a hint, /skip moves on, /repeat shows the "
                 "question again and /quit stops. Ctrl-X Ctrl-E opens your $EDITOR; the clock pauses "
                 "while it is open.")
    term.show(Text())


def _limits_phrase(limits: list[float]) -> str:
    distinct = sorted(set(round(x) for x in limits))
    if len(distinct) == 1:
        each = describe_seconds(distinct[0])
        return f"{each} for it" if len(limits) == 1 else f"{each} for each"
    return f"between {describe_seconds(distinct[0])} and {describe_seconds(distinct[-1])} for each"


def welcome_back(term: Terminal, bank: Bank, title: str, number: int, total: int, stage: str,
                 has_draft: bool) -> None:
    where = f"question {number} of {total}" if stage == "main" else f"the follow-up to question {number} of {total}"
    _say(term, Text.assemble((f"{bank.company} · {bank.role} · {title}", "bold")))
    draft = " Your draft is back in the answer box." if has_draft else ""
    _say(term, f"Welcome back. Let's pick up where we stopped: {where}.{draft} The clock starts again for it.")
    term.show(Text())


def question_panel(number: int, total: int, question: Question, seconds: float) -> Panel:
    meta = Text(style="dim")
    if question.topics:
        meta.append(f"Topic: {_topics(question)}")
        meta.append(" · ")
    meta.append(f"Time: {describe_seconds(seconds)}")
    return Panel(Group(Text(terminal_safe(" ".join(question.prompt.split()))), Text(""), meta),
                 title=Text(f"Question {number} of {total}", style="bold"), title_align="left",
                 border_style=ACCENT, padding=(0, 1))


def ask(term: Terminal, number: int, total: int, question: Question, seconds: float) -> None:
    term.result(question_panel(number, total, question, seconds))


def follow_up_panel(text: str, seconds: float, number: int) -> Panel:
    meta = Text(f"Time: {describe_seconds(seconds)}", style="dim")
    return Panel(Group(Text(terminal_safe(" ".join(text.split()))), Text(""), meta),
                 title=Text(f"Follow-up to question {number}", style="bold"), title_align="left",
                 border_style="dim", padding=(0, 1))


def follow_up(term: Terminal, text: str, seconds: float, number: int, *, again: bool = False) -> None:
    if not again:
        term.result(Text())
    term.result(follow_up_panel(text, seconds, number))


def hint(term: Terminal, text: str | None, used: int, total: int) -> None:
    if text is None:
        _say(term, "I don't have any more hints for this one — go with what you know." if total
             else "I don't have a hint for this one — go with what you know.", style="italic")
        return
    line = Text("Hint", style="bold")
    line.append(f" ({used} of {total}): " if total > 1 else ": ")
    line.append(" ".join(text.split()))
    _say(term, line)


def no_hint_for_follow_up(term: Terminal) -> None:
    _say(term, "No hints for follow-ups — answer as best you can.", style="italic")


def times_up(term: Terminal, wrote_something: bool) -> None:
    _say(term, TIMES_UP if wrote_something else TIMES_UP_EMPTY, style="bold")


def skipped(term: Terminal) -> None:
    _say(term, "No problem, let's move on.", style="italic")


def acknowledged(term: Terminal, last: bool) -> None:
    _say(term, "Thanks." if last else "Thanks. Next one.", style="italic")
    term.show(Text())


def thinking(term: Terminal, note: str) -> None:
    _aside(term, note)


def stopped(term: Terminal, session_id: str) -> None:
    _say(term, "Let's stop here. Everything you submitted is saved, and so is your draft.")
    _say(term, f"Pick up where you left off with: drill resume {session_id}", style="bold")


def closing(term: Terminal) -> None:
    term.show(Text())
    _say(term, "That's all the questions I have. Thanks for talking it through with me — "
               "give me a moment to go over your answers.")
