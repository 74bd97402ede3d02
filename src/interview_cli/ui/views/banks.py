"""How banks are shown: tables and panels for people, plain dicts for --json."""

from __future__ import annotations

from pathlib import Path

from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from interview_cli.banks.snapshot import Bank
from interview_cli.ui.terminal import Terminal


def bank_summary(bank: Bank) -> dict:
    return {
        "company": bank.company,
        "company_slug": bank.company_slug,
        "role": bank.role,
        "role_slug": bank.role_slug,
        "aliases": list(bank.aliases),
        "rounds": {rid: len(r.questions) for rid, r in bank.rounds.items()},
        "questions": sum(len(r.questions) for r in bank.rounds.values()),
        "origin": bank.origin,
        "path": str(bank.path) if bank.path else None,
    }


def bank_detail(bank: Bank) -> dict:
    return {
        **bank_summary(bank),
        "about": bank.about,
        "source": bank.source,
        "topic_titles": {t: bank.topic_title(t) for t in sorted({t for _, q in bank.questions() for t in q.topics})},
        "rounds": {
            rid: {
                "title": r.title,
                "minutes": r.minutes,
                "about": r.about,
                "questions": [{"id": q.id, "prompt": q.prompt, "minutes": q.minutes, "topics": list(q.topics)}
                              for q in r.questions],
            }
            for rid, r in bank.rounds.items()
        },
    }


def short_path(path: Path | None, width: int | None = None) -> str:
    """`~/…` under the home folder; longer than `width`, shortened from the left: `…/netflix/backend.yaml`."""
    if path is None:
        return "-"
    try:
        text = "~/" + str(path.relative_to(Path.home()))
    except ValueError:
        text = str(path)
    return text if width is None else shorten_left(text, width)


def shorten_left(text: str, width: int) -> str:
    """`text` in at most `width` characters, keeping its end: whole path parts after `…/` where they fit."""
    if len(text) <= width:
        return text
    parts = text.split("/")
    kept = parts[-1]
    for part in reversed(parts[:-1]):
        if len(f"…/{part}/{kept}") > width:
            break
        kept = f"{part}/{kept}"
    shown = f"…/{kept}"
    return shown if len(shown) <= width else "…" + text[-(width - 1):]


def banks_table(banks: list[Bank], width: int = 80) -> Table:
    """One row per bank; cells never wrap (a path is shortened from the left instead)."""
    names = [f"{b.company_slug}\n{b.role_slug}" for b in banks]
    rounds = ["\n".join(f"{rid} ({len(r.questions)})" for rid, r in b.rounds.items()) for b in banks]
    used = sum(max([len(h), *(len(line) for cell in cells for line in cell.split("\n"))]) for h, cells in
               (("company / role", names), ("rounds (questions)", rounds)))
    path_width = max(20, width - used - 10)  # 10: the table's borders and padding
    table = Table(show_lines=True, expand=False)
    table.add_column("company / role", no_wrap=True)
    table.add_column("rounds (questions)", no_wrap=True)
    table.add_column("source", no_wrap=True)
    for bank, name, rounds_cell in zip(banks, names, rounds):
        table.add_row(name, rounds_cell, f"{bank.origin}\n{short_path(bank.path, path_width)}")
    if not banks:
        table.add_row("no banks found", "-", "create one: drill banks new COMPANY ROLE")
    return table


def render_bank(term: Terminal, bank: Bank) -> None:
    term.result(Text(f"{bank.company} — {bank.role}", style="bold"))
    if bank.about:
        term.result(Text(" ".join(bank.about.split())))
    for rid, rnd in bank.rounds.items():
        minutes = f", {rnd.minutes:g} min" if rnd.minutes else ""
        count = len(rnd.questions)
        term.result(Text(f"\n{rnd.title} [{rid}{minutes}, {count} question{'s' * (count != 1)}]", style="bold"))
        questions = Table.grid(padding=(0, 2))  # a wrapped prompt stays indented under its first line
        questions.add_column(no_wrap=True, style="cyan")
        questions.add_column()
        for q in rnd.questions:
            prompt = Text(" ".join(q.prompt.split()))
            if q.topics:
                prompt.append(f"\n{', '.join(bank.topic_title(t) for t in q.topics)}", style="dim")
            questions.add_row(Text(q.id), prompt)
        term.result(Padding(questions, (0, 0, 0, 2)))
    term.result(Text(f"\nsource: {bank.origin}: {short_path(bank.path)}", style="dim"), soft_wrap=True)
