"""`drill resume`: continue an unfinished interactive session."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from interview_cli.cli.completion import session_completer
from interview_cli.cli.options import BanksOption, JsonOption, catalog, round_context, terminal
from interview_cli.cli.round import ApiBaseOption, ModelOption


def resume(
    session_id: Annotated[str | None, typer.Argument(help="Session id (default: the newest unfinished one; see: drill history).", autocompletion=session_completer(("in_progress", "unfinished")))] = None,
    model: ModelOption = None,
    api_base: ApiBaseOption = None,
    answers: Annotated[Path | None, typer.Option("--answers", metavar="FILE", help="YAML mapping of question id to answer: finish the session without a terminal.")] = None,
    banks: BanksOption = None,
    json_out: JsonOption = False,
) -> None:
    """Continue an interrupted round where it stopped.

    Starts at its next unanswered question, with your draft restored.

    Picks the newest session that is in progress or was quit, unless SESSION_ID is given.
    Needs a terminal, unless --answers FILE gives the remaining answers (questions already
    answered keep theirs, so the file that started a killed --answers run can finish it).
    Exits 2 when there is nothing to resume or the session is finished.
    The session's model and --api-base are used again unless you pass others (or set
    DRILL_API_BASE); a user:password in the stored --api-base was not kept, so pass it again.

    \b
    Example: drill resume 3f9a1c2e
    Example: drill resume 3f9a1c2e --answers answers.yaml --json
    Exit codes: 0 finished and scored; 1 scoring failed (answers kept); 2 nothing to resume;
                130 quit again (resume later).
    """
    from interview_cli.rounds import interview

    term = terminal(quiet=json_out)
    found = catalog(banks, term)
    with round_context(term) as ctx:
        raise typer.Exit(interview.resume(ctx, session_id, found, model=model, api_base=api_base, answers=answers,
                                          json_out=json_out))


def discard(
    session_id: Annotated[str, typer.Argument(metavar="SESSION_ID", help="Session id or a unique prefix (see: drill history).")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask (for scripts).")] = False,
) -> None:
    """Delete a session and everything saved with it.

    Removes its answers, drafts, scores, reviews and kept recordings (e.g. of a round
    abandoned mid-way).

    Asks first on a terminal; scripts pass --yes. Cards the session's reviews
    touched are rescheduled from the reviews that remain.

    \b
    Example: drill discard 3f9a1c2e --yes
    Exit codes: 0 discarded (or kept, when you answer no); 2 no such session, or no terminal and no --yes.
    """
    from interview_cli.errors import UsageError
    from interview_cli.history.db import Store
    from interview_cli.rounds import recovery

    term = terminal()
    with Store() as store:
        session = store.session(session_id)
        answered = store.answered_counts([session.id]).get(session.id, 0)
        if not yes:
            if not term.interactive:
                raise UsageError(f"drill discard asks before deleting, and there is no terminal — "
                                 f"pass --yes: drill discard {session.id} --yes")
            question = (f"Discard session {session.id} ({session.company} · {session.role} · {session.round_title}, "
                        f"{answered} of {len(session.plan)} answered)? Its answers and scores are deleted. [y/N] ")
            if not term.confirm(question):
                term.result(f"Kept session {session.id}.")
                return
        store.discard(session.id)
    recovery.forget_session(session.id)
    from interview_cli.voice.keep import remove_session_audio

    removed = remove_session_audio(session.id)
    term.result(f"Discarded session {session.id}" + (f" and its {removed} kept recording(s)." if removed else "."))
