"""Choosing a round when `drill COMPANY ROLE` was given no --round (terminal only)."""

from __future__ import annotations

from interview_cli.banks.snapshot import Bank
from interview_cli.errors import UsageError
from interview_cli.ui.terminal import Terminal


def choose_round(term: Terminal, bank: Bank) -> str:
    """A numbered choice of the bank's rounds (only ever called with a terminal)."""
    from rich.text import Text

    rounds = list(bank.rounds.items())
    if len(rounds) == 1:
        return rounds[0][0]
    term.result(Text(f"{bank.company} · {bank.role}: which round would you like to practise?", style="bold"))
    for number, (round_id, rnd) in enumerate(rounds, 1):
        line = Text(f"  {number}. {rnd.title}")
        count = rnd.default_count()
        line.append(f"  {round_id}, {count} question{'s' if count != 1 else ''}", style="dim")
        term.result(line)
    from prompt_toolkit import prompt

    ids = [rid for rid, _ in rounds]
    while True:  # each attempt starts from an empty line
        try:
            answer = prompt(f"Round [1-{len(rounds)}]: ")
        except EOFError:
            raise UsageError(f"no round chosen — pass --round, one of: {', '.join(ids)}") from None
        chosen = pick_round(answer, ids)
        if chosen is not None:
            term.show(Text())
            return chosen
        term.result(Text(f"  no round {' '.join(answer.split())!r} — type 1 to {len(ids)}, a round id or its start",
                         style="yellow"), soft_wrap=False)


def pick_round(text: str, ids: list[str]) -> str | None:
    """The round a typed choice names: its number, its id, or the start of exactly one id."""
    text = text.strip().lower()
    if text.isdigit():
        return ids[int(text) - 1] if 1 <= int(text) <= len(ids) else None
    if text in ids:
        return text
    starting = [rid for rid in ids if text and rid.startswith(text)]
    return starting[0] if len(starting) == 1 else None
