"""Rich rendering for `drill history`, `drill stats` and `drill plan`, readable without colour."""

from __future__ import annotations

import math
from datetime import date, timedelta

from rich import box
from rich.table import Table
from rich.text import Text

from interview_cli.clock import local_time
from interview_cli.ui.views import scores
from interview_cli.ui.views.result import score_style

BARS = " ▁▂▃▄▅▆▇█"


def score_text(value: float | None) -> Text:
    return Text(scores.fmt_score(value), style=score_style(value))


def fmt_trend(value: float | None) -> Text:
    if value is None:
        return Text("–", style="dim")
    if value >= 0.5:
        return Text(f"↑ +{value:.1f}", style="green")
    if value <= -0.5:
        return Text(f"↓ {value:.1f}", style="red")
    return Text(f"→ {value:+.1f}", style="dim")


def _table(*columns: tuple[str, dict]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, padding=(0, 1), collapse_padding=True)
    for name, options in columns:
        table.add_column(name, **options)
    return table


# ---- history -------------------------------------------------------------------------------


def single_bank(rows: list[dict], company: str = "company_slug", role: str = "role_slug") -> str | None:
    """'acme/backend' when every row is from one bank (the table then shows rounds only)."""
    banks = {(row[company], row[role]) for row in rows}
    return "/".join(banks.pop()) if len(banks) == 1 else None


def history_table(rows: list[dict], width: int) -> Table:
    narrow = width < 80
    bank = single_bank(rows)
    coded = any(row.get("tests_total") for row in rows)  # a Tests column only once code has been run
    columns = [
        ("Date", {"no_wrap": True}),
        ("Round" if bank else "Bank · round", {}),
        ("Qs", {"justify": "right", "no_wrap": True}),
        ("Score", {"justify": "right", "no_wrap": True}),
        ("Status", {"no_wrap": True}),
        ("ID", {"no_wrap": True, "style": "dim"}),
    ]
    if coded:
        columns.insert(4, ("Tests", {"justify": "right", "no_wrap": True}))
    table = _table(*columns)
    if bank:
        table.title = bank
        table.title_justify = "left"
    for row in rows:
        cells = [
            local_time(row["started_at"], with_time=not narrow),
            row["round"] if bank else f"{row['company_slug']}/{row['role_slug']} · {row['round']}",
            f"{row['answered']}/{row['planned']}",
            score_text(row["overall"]),
            "abandoned" if row.get("abandoned") else row["status"].replace("_", " "),
            row["id"],
        ]
        if coded:
            cells.insert(4, f"{row['tests_passed']}/{row['tests_total']}" if row.get("tests_total") else "–")
        table.add_row(*cells)
    return table


# ---- stats ---------------------------------------------------------------------------------


def _trend_table(name: str, count: str) -> Table:
    """Columns shared by the per-round and per-topic stats: name, count, mean, latest, trend."""
    number = {"justify": "right", "no_wrap": True}
    return _table((name, {}), (count, number), ("Mean", number), ("Latest", number), ("Trend", number))


def rounds_table(rounds: list[dict]) -> Table:
    bank = single_bank(rounds, "company", "role")
    table = _trend_table("Round", "Sessions")
    for r in rounds:
        name = r["round"] if bank else f"{r['company']}/{r['role']} · {r['round']}"
        table.add_row(name, str(r["sessions"]), score_text(r["mean"]), score_text(r["latest"]), fmt_trend(r["trend"]))
    return table


def topics_table(topics: list[dict]) -> Table:
    """Skipped answers get their own column (shown only when there are some): they are not scores of 0."""
    table = _trend_table("Topic", "Answers")
    skips = any(t.get("skipped") for t in topics)
    if skips:
        table.add_column("Skipped", justify="right", no_wrap=True)
    for t in topics:
        cells = [Text(t["topic"]), str(t["answers"]), score_text(t["mean"]), score_text(t["latest"]),
                 fmt_trend(t["trend"])]
        table.add_row(*cells, *([str(t.get("skipped") or 0)] if skips else []))
    return table


def weakest_lines(weakest: list[dict]) -> list[Text]:
    lines = []
    for number, t in enumerate(weakest, 1):
        line = Text(f"{number}. {t['topic']}  ")
        line.append(f"{t['recent']:.1f}", style=score_style(t["recent"]))
        line.append(f" over the last {min(t['answers'], 5)} answer{'s' if min(t['answers'], 5) != 1 else ''}",
                    style="dim")
        lines.append(line)
    return lines


def score_chart(timeline: list[dict], width: int, height: int = 6) -> list[str]:
    """Mean overall score per time bucket as a column chart of block characters, 0-10 on the y axis.

    Plain text (no colour needed) and at most `width` columns wide.
    """
    if not timeline:
        return []
    days = [(date.fromisoformat(p["date"]), p["mean"], p["sessions"]) for p in timeline if p["mean"] is not None]
    if not days:
        return []
    first, last = days[0][0], days[-1][0]
    span = (last - first).days + 1
    columns = max(10, width - 4)
    if span <= columns:
        step, unit = 1, "day"
    elif math.ceil(span / 7) <= columns:
        step, unit = 7, "week"
    else:
        step = math.ceil(span / columns)
        unit = f"{step} days"
    if step == 7:  # weeks start on Monday
        first = first - timedelta(days=first.weekday())
    buckets: dict[int, list[float]] = {}
    for day, mean, sessions in days:
        index = (day - first).days // step
        total, count = buckets.get(index, [0.0, 0])
        buckets[index] = [total + mean * sessions, count + sessions]
    count = max(buckets) + 1
    means = [buckets[i][0] / buckets[i][1] if i in buckets else None for i in range(count)]
    eighths = [None if m is None else max(1, round(m / 10 * height * 8)) for m in means]
    rows = []
    for level in range(height, 0, -1):
        label = "10" if level == height else (" 5" if level == (height + 1) // 2 else "  ")
        cells = []
        for e in eighths:
            if e is None:
                cells.append(" ")
            else:
                filled = e - (level - 1) * 8
                cells.append(BARS[max(0, min(8, filled))])
        rows.append(f"{label} ┤{''.join(cells)}".rstrip())
    rows.append(" 0 └" + "─" * count)
    start, end = first.isoformat(), (first + timedelta(days=step * (count - 1))).isoformat()
    gap = count - len(start) - len(end)
    axis = start + " " * gap + end if gap >= 1 else start
    rows.append("    " + axis)
    rows.insert(0, f"Overall score over time (mean per {unit})")
    return rows


# ---- plan ----------------------------------------------------------------------------------


def plan_table(items: list[dict], width: int) -> Table:
    narrow = width < 80
    show_bank = single_bank(items, "company", "role") is None
    table = _table(
        ("#", {"justify": "right", "no_wrap": True}),
        ("Question", {}),
        ("Why", {}),
        ("Due", {"no_wrap": True}),
    )
    if not show_bank:
        table.title = single_bank(items, "company", "role")
        table.title_justify = "left"
    for number, item in enumerate(items, 1):
        where = f"{item['company']}/{item['role']} · {item['round']}" if show_bank else item["round"]
        question = Text(item["id"], style="bold")
        question.append(f"\n{where}", style="dim")
        if not narrow:
            question.append(f"\n{_shorten(item['prompt'], 60)}")
        due = "now" if item["due"] is None else local_time(item["due"], with_time=False)
        table.add_row(str(number), question, _why(item), due)
    return table


def _why(item: dict) -> Text:
    style = {"weak": "red", "scheduled": "yellow", "unseen": "cyan", "early": "dim"}.get(item["kind"], "")
    return Text(item["reason"], style=style)


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def delivery_lines(delivery: dict) -> list[Text]:
    """`  filler words: 9.1/min → 4.2/min over 3 weeks`, and the same for pace and the longest pause."""
    first, latest, weeks = delivery["first"], delivery["latest"], delivery["span_weeks"]
    span = f" over {weeks} week{'s' if weeks != 1 else ''}" if len(delivery["weeks"]) > 1 else " (one week so far)"
    rows = [("filler words", "fillers_per_minute", "/min"), ("pace", "words_per_minute", " words/min"),
            ("longest pause", "longest_pause_seconds", " s")]
    lines = []
    for label, key, unit in rows:
        if latest[key] is None:
            continue
        if len(delivery["weeks"]) > 1 and first[key] is not None:
            lines.append(Text(f"  {label}: {first[key]:g}{unit} → {latest[key]:g}{unit}{span}"))
        else:
            lines.append(Text(f"  {label}: {latest[key]:g}{unit}{span}"))
    return lines
