"""The end of a round: score the saved answers (with their reviews) and show the result."""

from __future__ import annotations

from dataclasses import replace

from interview_cli.banks.snapshot import Bank, Catalog
from interview_cli.errors import ExitStatus, ScoringError, UsageError
from interview_cli.history.db import Store
from interview_cli.history.rows import RESUMABLE
from interview_cli.rounds import session as runner
from interview_cli.rounds.context import RoundContext, ScorerFactory
from interview_cli.rounds.options import RoundOptions
from interview_cli.rounds.ui import RoundUI
from interview_cli.scoring.select import OFFLINE, preflight_choice


def check_model(options: RoundOptions) -> None:
    """Fail before the round starts when the chosen model cannot work (missing key, server down)."""
    preflight_choice(options.model, options.api_base)


def finish_session(ui: RoundUI, store: Store, session_id: str, bank: Bank, options: RoundOptions,
                   make_scorer: ScorerFactory, *, finished: bool = True, offline_fallback: bool = True) -> ExitStatus:
    """Score a saved session (its reviews saved with the scores), show it, and return the exit status.

    When a model fails at the end of a round (`offline_fallback`), the answers are scored offline
    instead, so the user still gets a score, and the exit status is 1 so scripts notice.
    `finished=False` scores an unfinished session so far and leaves it resumable."""
    from interview_cli.history import report as reports

    previous = store.scorings(session_id)
    fallback_note = None
    try:
        _score(ui, store, session_id, bank, options, make_scorer, finished)
        code = ExitStatus.OK
    except runner.ScoringFailed as exc:
        code = ExitStatus.FAILED
        if not offline_fallback or exc.scorer == OFFLINE:
            ui.error(str(exc))
        else:
            try:
                offline = replace(options, model=OFFLINE, api_base=None)
                _score(ui, store, session_id, bank, offline, make_scorer, finished)
                fallback_note = f"the model failed ({exc.reason}); scored offline instead — retry with: {exc.retry}"
            except ScoringError as offline_exc:
                ui.error(f"{exc.reason}; scoring offline failed too ({offline_exc}) — your answers are saved; "
                         f"retry with: {exc.retry}")
    except ScoringError as exc:
        ui.error(str(exc))
        code = ExitStatus.FAILED
    result = reports.session_result(store, session_id)
    newest = store.scorings(session_id)
    if previous and newest and newest[0].id != previous[0].id:
        result["previous"] = {"scorer": previous[0].scorer, "overall": previous[0].overall}
    ui.result(result, options.json_out)
    if fallback_note:
        ui.error(fallback_note)
    return code


def _score(ui: RoundUI, store: Store, session_id: str, bank: Bank, options: RoundOptions,
           make_scorer: ScorerFactory, finished: bool) -> None:
    with ui.scoring_progress(options.json_out) as progress:
        runner.score_session(store, session_id, bank, make_scorer(options, progress), finished=finished)


def rescore(ctx: RoundContext, session_id: str, catalog: Catalog, options: RoundOptions) -> ExitStatus:
    """`drill score ID`: score a session again with the options' scorer; earlier scorings are kept. An
    unfinished one is scored on the questions answered so far and stays resumable."""
    store = ctx.store
    transcript = store.transcript(session_id)
    session = transcript.session
    answered = transcript.answered()
    unfinished = session.status in RESUMABLE and len(answered) < len(session.plan)
    if unfinished and not answered:
        raise UsageError(f"session {session.id} has no answers to score yet — continue it with: "
                         f"drill resume {session.id}")
    check_model(options)
    bank = runner.bank_for_session(session, catalog)
    code = finish_session(ctx.ui, store, session.id, bank, options, ctx.make_scorer, finished=not unfinished,
                          offline_fallback=False)
    if unfinished:
        ctx.ui.note(f"scored {len(answered)} of {len(session.plan)} questions; the session stays resumable "
                    f"(finish it with: drill resume {session.id})")
    return code
