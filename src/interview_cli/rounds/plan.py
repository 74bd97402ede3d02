"""Which questions a round asks: --round, --count, --seed, or the ones due for review (--due)."""

from __future__ import annotations

from interview_cli.banks.snapshot import Bank
from interview_cli.errors import UsageError
from interview_cli.history.db import Store
from interview_cli.rounds import session as runner
from interview_cli.rounds.options import RoundOptions


def planned_questions(store: Store, bank: Bank, options: RoundOptions, count: int | None = None):
    """The round id and questions for a run, honouring --round, --count, --seed and --due."""
    if options.due:
        return due_round(store, bank, options.round_id, count or options.count or 3)
    if not options.round_id:
        raise UsageError(f"--round is required here — choose one of: {', '.join(bank.rounds)}")
    rnd = bank.round(options.round_id)
    seen = store.last_asked(bank.company_slug, bank.role_slug)
    return options.round_id, runner.choose_questions(rnd, count or options.count, options.seed, seen)


def due_round(store: Store, bank, round_id: str | None, count: int):
    """`drill COMPANY ROLE --due`: (round label, the `count` most due questions of the bank)."""
    from interview_cli.history.index import IndexedBank
    from interview_cli.history.scheduling import rank_due

    if round_id is not None:
        bank.round(round_id)
    items = rank_due(store, IndexedBank.from_bank(bank).candidates(round_id))[:count]
    questions = [bank.find_question(item.candidate.question_id)[1] for item in items]
    return round_id or "due", questions
