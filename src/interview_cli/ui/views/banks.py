"""How banks are shown: tables and panels for people, plain dicts for --json."""

from __future__ import annotations

from pathlib import Path

from rich.table import Table
from rich.text import Text

from interview_cli.banks.model import Bank
from interview_cli.sanitize import terminal_safe
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


def short_path(path: Path | None) -> str:
    if path is None:
        return "-"
    try:
        return "~/" + str(path.relative_to(Path.home()))
    except ValueError:
        return str(path)


def banks_table(banks: list[Bank]) -> Table:
    table = Table(show_lines=True, expand=False)
    table.add_column("company / role", overflow="fold")
    table.add_column("rounds (questions)", overflow="fold")
    table.add_column("source", overflow="fold")
    for bank in banks:
        rounds = "\n".join(f"{rid} ({len(r.questions)})" for rid, r in bank.rounds.items())
        table.add_row(f"{bank.company_slug}\n{bank.role_slug}", rounds, f"{bank.origin}\n{short_path(bank.path)}")
    if not banks:
        table.add_row("no banks found", "-", "create one: drill banks new COMPANY ROLE")
    return table


def render_bank(term: Terminal, bank: Bank) -> None:
    term.result(Text(terminal_safe(f"{bank.company} — {bank.role}"), style="bold"))
    if bank.about:
        term.result(Text(terminal_safe(bank.about.strip())))
    for rid, rnd in bank.rounds.items():
        minutes = f", {rnd.minutes:g} min" if rnd.minutes else ""
        count = len(rnd.questions)
        term.result(Text(f"\n{rnd.title} [{rid}{minutes}, {count} question{'s' * (count != 1)}]", style="bold"))
        for q in rnd.questions:
            line = Text("  ")
            line.append(q.id, style="cyan")
            line.append(terminal_safe(f"  {q.prompt.strip()}"))
            term.result(line)
    term.result(Text(f"\nsource: {bank.origin}: {short_path(bank.path)}", style="dim"))
