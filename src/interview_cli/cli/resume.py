"""`drill resume`: continue an unfinished interactive session."""

from __future__ import annotations

from typing import Annotated

import typer

from interview_cli.cli.completion import session_completer
from interview_cli.cli.options import BanksOption, catalog, round_context, terminal
from interview_cli.cli.round import ApiBaseOption, ModelOption


def resume(
    session_id: Annotated[str | None, typer.Argument(help="Session id (default: the newest unfinished one; see: drill history).", autocompletion=session_completer(("in_progress", "unfinished")))] = None,
    model: ModelOption = None,
    api_base: ApiBaseOption = None,
    banks: BanksOption = None,
) -> None:
    """Continue an interrupted round at its next unanswered question, with your draft restored.

    Picks the newest session that is in progress or was quit, unless SESSION_ID is given.
    Needs a terminal. Exits 2 when there is nothing to resume or the session is finished.
    The session's model and --api-base are used again unless you pass others (or set
    DRILL_API_BASE); a user:password in the stored --api-base was not kept, so pass it again.

    \b
    Example: drill resume 3f9a1c2e
    Exit codes: 0 finished and scored; 1 scoring failed (answers kept); 2 nothing to resume.
    """
    from interview_cli.rounds import interview

    term = terminal()
    found = catalog(banks, term)
    with round_context(term) as ctx:
        raise typer.Exit(interview.resume(ctx, session_id, found, model=model, api_base=api_base))
