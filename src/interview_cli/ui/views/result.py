"""Scored sessions drawn with rich: a panel per question, then the overall score."""

from __future__ import annotations

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from interview_cli.ui.terminal import Terminal
from interview_cli.ui.views.scores import fmt_score, score_band

_STYLES = {"good": "green", "mid": "yellow", "bad": "red", "none": "dim"}


def score_style(score: float | None) -> str:
    """The rich style of a score's band (reports.score_band)."""
    return _STYLES[score_band(score)]


def rubric_grid(points: list[dict]) -> Table:
    """One row per rubric point: ✓ or ✗, then the point, wrapped under itself."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column()
    for point in points:
        text = Text(point["point"])
        if point.get("weight", 1) != 1:
            text.append(f"  (×{point['weight']:g})", style="dim")
        mark = Text(" ✓" if point["covered"] else " ✗", style="green" if point["covered"] else "red")
        grid.add_row(mark, text)
    return grid


def scored_question_panel(number: int, q: dict) -> Panel:
    body: list = [rubric_grid(q["points"])] if q["points"] else []
    if q.get("samples") and len(q["samples"]) > 1:
        low, high = min(q["samples"]), max(q["samples"])
        body.append(Text(f"\n  {len(q['samples'])} samples: {', '.join(f'{s:.1f}' for s in q['samples'])}"
                         f" (spread {high - low:.1f})", style="dim"))
    if q.get("feedback"):
        body.append(Text("\n" + q["feedback"]))
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
        term.result(scored_question_panel(number, q))
    overall = result.get("overall")
    line = Text("Overall: ")
    line.append("not scored" if overall is None else f"{overall:.1f}/10", style=f"bold {score_style(overall)}")
    previous = result.get("previous")
    if previous:
        line.append(f"   (before: {fmt_score(previous['overall'])}/10 by {previous['scorer']})", style="bold")
    line.append(f"   scorer: {result.get('scorer') or '–'}   session: {result['session_id']}", style="dim")
    term.result(line)
