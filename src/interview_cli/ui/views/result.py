"""Scored sessions drawn with rich: a panel per question, then the overall score."""

from __future__ import annotations

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from interview_cli.ui.terminal import Terminal
from interview_cli.ui.views.scores import failing_tests, fmt_score, score_band, tests_line, unsure_note

_STYLES = {"good": "green", "mid": "yellow", "bad": "red", "none": "dim"}
PANEL_FAILING_TESTS = 3  # failing tests listed in the result panel; reports list them all


def score_style(score: float | None) -> str:
    """The rich style of a score's band (reports.score_band)."""
    return _STYLES[score_band(score)]


def rubric_grid(points: list[dict], red_flags: list[dict] | None = None) -> Table:
    """One row per rubric point: ✓ or ✗, the point (wrapped under itself) and the evidence quoted;
    then a ✗ row per red flag the answer said."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column()
    for point in points:
        text = Text(point["point"])
        if point.get("weight", 1) != 1:
            text.append(f"  (×{point['weight']:g})", style="dim")
        if point["covered"] and point.get("evidence"):
            text.append(f"\n“{point['evidence']}”", style="dim italic")
        mark = Text(" ✓" if point["covered"] else " ✗", style="green" if point["covered"] else "red")
        grid.add_row(mark, text)
    for flag in red_flags or []:
        text = Text("red flag: ", style="red")
        text.append(flag["point"])
        if flag.get("evidence"):
            text.append(f"\n“{flag['evidence']}”", style="dim italic")
        grid.add_row(Text(" ✗", style="red"), text)
    return grid


def _minutes(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def time_use_grid(phases: list[dict]) -> Table:
    """One row per phase: its title, the time used against the budget, and a flag when it overran."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True, justify="right")
    grid.add_column()
    for phase in phases:
        used = _minutes(phase["used_seconds"]) if phase["reached"] else "–"
        if phase["overran"]:
            flag = Text("over budget", style="yellow")
        else:
            flag = Text("" if phase["reached"] else "not reached", style="dim")
        grid.add_row(Text(f"  {phase['title']}"), Text(f"{used} of {_minutes(phase['budget_seconds'])}"), flag)
    return grid


def asks_text(asks: list[dict]) -> Text:
    text = Text()
    for ask in asks:
        text.append("\n  You asked: ", style="dim")
        text.append(" ".join(ask["question"].split()), style="dim")
        text.append("\n  Interviewer: ")
        text.append(" ".join(ask["reply"].split()))
    return text


def tests_block(tests: dict) -> Text:
    """`Tests: passed 7/9 (2 hidden failed)`, then each failing case's input."""
    text = Text("Tests: ", style="bold")
    text.append(tests_line(tests), style="green" if tests["passed"] == tests["total"] else "red")
    for line in failing_tests(tests, most=PANEL_FAILING_TESTS):
        text.append("\n  ✗ ", style="red")
        text.append(line)
    if not tests.get("isolated"):
        text.append("\n  (ran without network and file isolation)", style="dim")
    text.append("\n")
    return text


def delivery_block(delivery: dict) -> Group:
    """`Delivery (spoken; not part of the score)`, its figures, then a `!` line per threshold crossed."""
    from interview_cli.voice.delivery import summary

    title = Text("\nDelivery", style="bold")
    title.append(" (spoken; not part of the score)", style="dim")
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column()
    grid.add_row(Text(" "), Text(summary(delivery)))
    for note in delivery.get("notes", []):
        grid.add_row(Text(" !", style="yellow"), Text(note, style="yellow"))
    return Group(title, grid)


def scored_question_panel(number: int, q: dict, session_id: str = "ID") -> Panel:
    body: list = [rubric_grid(q["points"], q.get("red_flags", []))] if q["points"] else []
    if q.get("tests"):
        body.insert(0, tests_block(q["tests"]))
    if q.get("breakdown"):
        body.append(Text(f"\nScore: {q['breakdown']}", style="dim"))
    if q.get("phases"):
        body.append(Text("\nTime use", style="bold"))
        body.append(time_use_grid(q["phases"]))
        for said in [q.get("time_use"), *q.get("time_notes", [])]:
            if said:
                body.append(Text(f"  {said[:1].upper()}{said[1:]}", style="italic"))
    if q.get("delivery"):
        body.append(delivery_block(q["delivery"]))
    if q.get("asks"):
        body.append(Text(f"\nClarifying questions ({len(q['asks'])})", style="bold"))
        body.append(asks_text(q["asks"]))
    if q.get("samples") and len(q["samples"]) > 1:
        low, high = min(q["samples"]), max(q["samples"])
        body.append(Text(f"\n  {len(q['samples'])} samples: {', '.join(f'{s:.1f}' for s in q['samples'])}"
                         f" (spread {high - low:.1f})", style="dim"))
    if q.get("feedback"):
        body.append(Text("\n" + q["feedback"]))
    if q.get("unsure"):
        body.append(Text("\n" + unsure_note(session_id), style="yellow"))
    if q.get("skipped"):
        body.insert(0, Text("skipped", style="dim"))
    score = q.get("score")
    shown = "not scored" if score is None else f"{score:.1f}/10"
    title = Text(f"Q{number} · {q['id']} · ")
    title.append(shown, style=f"bold {score_style(score)}")
    return Panel(Group(*body) if body else Text("no rubric result"), title=title, title_align="left",
                 border_style="dim")


def render_result(term: Terminal, result: dict) -> None:
    for number, q in enumerate(result["questions"], 1):
        term.result(scored_question_panel(number, q, result["session_id"]))
    overall = result.get("overall")
    line = Text("Overall: ")
    line.append("not scored" if overall is None else f"{overall:.1f}/10", style=f"bold {score_style(overall)}")
    previous = result.get("previous")
    if previous:
        line.append(f"   (before: {fmt_score(previous['overall'])}/10 by {previous['scorer']})", style="bold")
    line.append(f"   scorer: {result.get('scorer') or '–'}   session: {result['session_id']}", style="dim")
    term.result(line)
