"""How banks are shown: tables and panels for people, plain dicts for --json."""

from __future__ import annotations

from pathlib import Path

from rich.cells import cell_len
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
        term.result(question_lines(bank, rnd.questions, term.out.width), soft_wrap=True)
    term.result(Text(f"\nsource: {bank.origin}: {short_path(bank.path)}", style="dim"), soft_wrap=True)


def question_lines(bank: Bank, questions, width: int) -> Text:
    """Each question's id, then its prompt and topics wrapped under the prompt's first line. Laid out here
    rather than in a rich table: measuring a table of 50 prompts took a quarter of `banks show`."""
    id_width = max(cell_len(q.id) for q in questions) if questions else 0
    indent = " " * (id_width + 4)
    room = max(10, width - len(indent))
    text = Text()
    for q in questions:
        prompt = wrap_cells(" ".join(q.prompt.split()), room) or [""]
        text.append("  ")
        text.append(q.id + " " * (id_width - cell_len(q.id)), style="cyan")
        text.append("  " + "\n".join([prompt[0], *(indent + line for line in prompt[1:])]) + "\n")
        if q.topics:
            for line in wrap_cells(", ".join(bank.topic_title(t) for t in q.topics), room):
                text.append(indent)
                text.append(line + "\n", style="dim")
    text.rstrip()
    return text


def wrap_cells(text: str, width: int) -> list[str]:
    """Greedy word wrap by terminal cells (a CJK character takes two); a word wider than a line is cut."""
    lines: list[str] = []
    line, used = "", 0
    for word in text.split(" "):
        size = cell_len(word)
        while size > width:  # fold an overlong word
            if line:
                lines.append(line)
                line, used = "", 0
            cut = len(word)
            while cell_len(word[:cut]) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
            size = cell_len(word)
        if line and used + 1 + size > width:
            lines.append(line)
            line, used = "", 0
        line, used = (f"{line} {word}", used + 1 + size) if line else (word, size)
    if line:
        lines.append(line)
    return lines
