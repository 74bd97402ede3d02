"""Choosing a round when `drill COMPANY ROLE` was given no --round (terminal only)."""

from __future__ import annotations

from interview_cli.banks.model import Bank
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
    from prompt_toolkit.validation import Validator

    ids = [rid for rid, _ in rounds]

    def pick(text: str) -> str | None:
        text = text.strip().lower()
        if text.isdigit() and 1 <= int(text) <= len(rounds):
            return ids[int(text) - 1]
        return text if text in ids else None

    validator = Validator.from_callable(lambda t: pick(t) is not None,
                                        error_message=f"type a number from 1 to {len(rounds)}",
                                        move_cursor_to_end=True)
    try:
        answer = prompt(f"Round [1-{len(rounds)}]: ", validator=validator, validate_while_typing=False)
    except EOFError:
        raise UsageError(f"no round chosen — pass --round, one of: {', '.join(ids)}") from None
    term.show(Text())
    return pick(answer)
