"""The end of a round: score the saved answers, show the result, record the reviews."""

from __future__ import annotations

from interview_cli.banks.snapshot import Catalog
from interview_cli.banks.snapshot import Bank
from interview_cli.errors import ExitStatus, ScoringError, UsageError
from interview_cli.history.db import Store
from interview_cli.history.rows import RESUMABLE
from interview_cli.rounds import session as runner
from interview_cli.rounds.context import RoundContext, ScorerFactory
from interview_cli.rounds.options import RoundOptions
from interview_cli.rounds.ui import RoundUI


def finish_session(ui: RoundUI, store: Store, session_id: str, bank: Bank, options: RoundOptions,
                   make_scorer: ScorerFactory, *, finished: bool = True) -> ExitStatus:
    """Score a saved session (with its reviews, replaced on a re-score), show it, and return the exit status."""
    from interview_cli.history import report as reports

    try:
        with ui.scoring_progress(options.json_out) as progress:
            runner.score_session(store, session_id, bank, make_scorer(options, progress), finished=finished)
        code = ExitStatus.OK
    except ScoringError as exc:
        ui.error(str(exc))
        code = ExitStatus.FAILED
    ui.result(reports.session_result(store, session_id), options.json_out)
    return code


def rescore(ctx: RoundContext, session_id: str, catalog: Catalog, options: RoundOptions) -> ExitStatus:
    """`drill score ID`: score a session (again) with the options' scorer. An unfinished one is scored on the
    questions answered so far and stays resumable."""
    store = ctx.store
    transcript = store.transcript(session_id)
    session = transcript.session
    answered = transcript.answered()
    bank = runner.bank_for_session(session, catalog)
    unfinished = session.status in RESUMABLE and len(answered) < len(session.plan)
    if unfinished and not answered:
        raise UsageError(f"session {session.id} has no answers to score yet — continue it with: "
                         f"drill resume {session.id}")
    code = finish_session(ctx.ui, store, session.id, bank, options, ctx.make_scorer, finished=not unfinished)
    if unfinished:
        ctx.ui.note(f"scored {len(answered)} of {len(session.plan)} questions; the session stays resumable "
                    f"(finish it with: drill resume {session.id})")
    return code
