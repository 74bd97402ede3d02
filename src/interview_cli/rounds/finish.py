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
                   make_scorer: ScorerFactory) -> ExitStatus:
    """Score a saved session, show it, and return the exit status."""
    from interview_cli.history import report as reports

    try:
        with ui.scoring_progress(options.json_out) as progress:
            runner.score_session(store, session_id, bank, make_scorer(options, progress))
        code = ExitStatus.OK
    except ScoringError as exc:
        ui.error(str(exc))
        code = ExitStatus.FAILED
    ui.result(reports.session_result(store, session_id), options.json_out)
    if code == ExitStatus.OK:
        from interview_cli.history.scheduling import record_reviews

        record_reviews(store, session_id, bank)  # replaces this session's reviews on a re-score
    return code


def rescore(ctx: RoundContext, session_id: str, catalog: Catalog, options: RoundOptions) -> ExitStatus:
    """`drill score ID`: score a finished session again, with the options' scorer."""
    store = ctx.store
    transcript = store.transcript(session_id)
    session = transcript.session
    answered = transcript.answered()
    if session.status in RESUMABLE and len(answered) < len(session.plan):
        raise UsageError(f"session {session.id} is unfinished ({len(answered)} of {len(session.plan)} answered) "
                         f"— finish it first with: drill resume {session.id}")
    bank = runner.bank_for_session(session, catalog)
    return finish_session(ctx.ui, store, session.id, bank, options, ctx.make_scorer)
