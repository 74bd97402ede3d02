"""The interviewer, drawn with rich: the opening, each question, follow-ups and the closing lines.

Everything wraps to the terminal's width (panels wrap, never truncate), colour is
restrained (one accent for question panels, dim for asides), and NO_COLOR or a pipe
gives plain text through Terminal.
"""

from __future__ import annotations

from rich.console import Group
from rich.panel import Panel
from rich.text import Text

from interview_cli.banks.snapshot import Bank, Question, Round, title_case
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


DUE_TITLE = "Due for review"  # the round of `drill COMPANY ROLE --due` without --round


def _say(term: Terminal, text: str | Text, *, style: str | None = None) -> None:
    """A line the interviewer speaks: always shown (even with --quiet), wrapped to the width."""
    term.result(text if isinstance(text, Text) else Text(text, style=style or ""), soft_wrap=False)


def _aside(term: Terminal, text: str) -> None:
    term.show(Text(text, style="dim"), soft_wrap=False)


def opening(term: Terminal, bank: Bank, round_id: str, rnd: Round | None, limits: list[float],
            follow_ups: bool, *, about_in_full: bool = True, budget: float | None = None,
            phases: list[tuple[str, float]] | None = None) -> None:
    """Who we are, what this round is, how its time splits, and how the answer box works.

    The company's `about` is shown in full the first time, then as one line. `budget` is the
    round's whole time when follow-ups come out of it; `phases` the first question's
    (title, seconds) when its answer has phases."""
    title = rnd.title if rnd else DUE_TITLE if round_id == "due" else round_id.replace("-", " ").capitalize()
    heading = Text(f"{bank.company} · {bank.role}", style="bold")
    if bank.about and about_in_full:
        term.show(Panel(Text(" ".join(bank.about.split())), title=heading, title_align="left",
                        border_style="dim", padding=(0, 1)))
    elif bank.about:
        term.show(heading)
        about_line(term, bank)
    else:
        term.show(heading)
    count = len(limits)
    term.result(Text.assemble(("Round: ", "bold"), (title, f"bold {ACCENT}")), soft_wrap=False)
    if rnd and rnd.about:
        term.show(Text(" ".join(rnd.about.split())), soft_wrap=False)
    term.show(Text())
    plan = (f"Hi, thanks for making the time today. I have {count} question{'s' if count != 1 else ''} "
            f"for you, with {_limits_phrase(limits)}.")
    if follow_ups and budget:
        plan += (f" We have {describe_seconds(budget)} in all: a follow-up after each answer takes its time "
                 f"from what is left, so finishing early buys you a longer one.")
    elif follow_ups:
        plan += " After each answer I'll ask one short follow-up."
    _say(term, plan)
    if phases:
        split = ", ".join(f"{t[:1].lower() + t[1:] if not t[1:2].isupper() else t} {describe_seconds(s)}"
                          for t, s in phases)
        _say(term, f"I'll keep time as we go through the design: {split}. Ask me anything about scale or "
                   f"requirements with /ask.")
    _aside(term, "Write your answer below the question: Enter starts a new line; Esc then Enter (or Ctrl-D) "
                 "submits. On a line of its own, /hint asks for a hint, /skip moves on, /repeat shows the "
                 "question again and /quit stops. Ctrl-X Ctrl-E opens your $EDITOR; the clock pauses "
                 "while it is open.")
    if phases:
        _aside(term, "/ask QUESTION asks the interviewer a clarifying question; /next moves on to the next "
                     "phase before its time is up.")
    term.show(Text())


ABOUT_LINE_CHARS = 110


def about_line(term: Terminal, bank: Bank) -> None:
    """The company's `about` cut to one line, for a user who has seen it in full before."""
    text = " ".join((bank.about or "").split())
    first = text.split(". ")[0].rstrip(".") + "."
    if len(first) > ABOUT_LINE_CHARS:
        first = first[: ABOUT_LINE_CHARS - 1].rsplit(" ", 1)[0] + "…"
    line = Text(first, style="dim")
    line.append("  (--about shows all of it)", style="dim italic")
    term.show(line, soft_wrap=False)


def nudge(term: Terminal, line: str) -> None:
    """The interviewer's one line at a phase's end, printed above the answer box."""
    _say(term, line, style="italic")


def phase_started(term: Terminal, title: str, prompt: str | None) -> None:
    said = Text(f"{title}. ", style="bold")
    said.append(" ".join((prompt or "Go ahead.").split()))
    _say(term, said)


def asked(term: Terminal, question: str, reply: str) -> None:
    """A clarifying question and the interviewer's reply, as an exchange in the transcript."""
    _say(term, Text.assemble(("You asked: ", "dim"), (" ".join(question.split()), "dim")))
    _say(term, Text.assemble(("Interviewer: ", "bold"), " ".join(reply.split())))


def _limits_phrase(limits: list[float]) -> str:
    distinct = sorted(set(round(x) for x in limits))
    if len(distinct) == 1:
        each = describe_seconds(distinct[0])
        return f"{each} for it" if len(limits) == 1 else f"{each} for each"
    low, high = describe_seconds(distinct[0]), describe_seconds(distinct[-1])
    if high.endswith(" minutes") and low.endswith((" minute", " minutes")):
        low = low.split()[0]  # "5 to 10 minutes each"
    return f"{low} to {high} each"


def welcome_back(term: Terminal, bank: Bank, title: str, number: int, total: int, at_follow_up: bool,
                 has_draft: bool, left: float | None = None) -> None:
    where = f"the follow-up to question {number} of {total}" if at_follow_up else f"question {number} of {total}"
    _say(term, Text.assemble((f"{bank.company} · {bank.role} · {title}", "bold")))
    draft = " Your draft is back in the answer box." if has_draft else ""
    clock = f" You have {describe_seconds(left)} left on it." if left else ""
    _say(term, f"Welcome back. Let's pick up where we stopped: {where}.{draft}{clock}")
    term.show(Text())


def question_panel(number: int, total: int, question: Question, seconds: float, bank: Bank | None = None,
                   round_title: str | None = None) -> Panel:
    """The question, then `Round: … · Topic: … · Time: …` (the round only when given: a --due round mixes them)."""
    meta = Text(style="dim")
    if round_title:
        meta.append(f"Round: {round_title} · ")
    if question.topics:
        title = bank.topic_title if bank is not None else title_case
        meta.append(f"Topic: {', '.join(title(t) for t in question.topics)}")
        meta.append(" · ")
    meta.append(f"Time: {describe_seconds(seconds)}")
    body = [Text(" ".join(question.prompt.split())), Text("")]
    if question.code is not None:
        body += [Text("Write Python: ", style="bold") + Text(question.code.signature),
                 Text("/run (or Ctrl-R) runs the visible tests; submitting runs the hidden ones too.", style="dim"),
                 Text("")]
    return Panel(Group(*body, meta),
                 title=Text(f"Question {number} of {total}", style="bold"), title_align="left",
                 border_style=ACCENT, padding=(0, 1))


def ask(term: Terminal, number: int, total: int, question: Question, seconds: float, bank: Bank | None = None,
        round_title: str | None = None) -> None:
    term.result(question_panel(number, total, question, seconds, bank, round_title))


def follow_up_panel(text: str, seconds: float, number: int) -> Panel:
    meta = Text(f"Time: {describe_seconds(seconds)}", style="dim")
    return Panel(Group(Text(" ".join(text.split())), Text(""), meta),
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


def tests_ran(term: Terminal, report) -> None:
    """After a coding answer is submitted: `Tests: passed 7/9 (2 hidden failed)`."""
    line = Text("Tests: ", style="bold")
    line.append(report.summary(), style="green" if report.all_passed else "red")
    if report.hidden_failed:
        line.append(" — the failing inputs are shown after the round", style="dim")
    term.result(line)


def unsaved(term: Terminal, text: str) -> None:
    """An answer nothing could save (a full disk): shown whole, so it can be copied."""
    term.result(Text("Your answer could not be saved anywhere; here it is, to copy:", style="bold"))
    term.result(Text(text))
    term.result(Text("(end of your answer)", style="dim"))
