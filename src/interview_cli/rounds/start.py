"""What `drill COMPANY ROLE` does: choose how the answers come in, then run the round."""

from __future__ import annotations

from interview_cli.banks.snapshot import Bank
from interview_cli.errors import ExitStatus, UsageError
from interview_cli.rounds import interview, scripted, voice
from interview_cli.rounds.context import RoundContext
from interview_cli.rounds.finish import check_model
from interview_cli.rounds.options import RoundOptions


def run_round(ctx: RoundContext, bank: Bank, options: RoundOptions) -> ExitStatus:
    """`drill COMPANY ROLE`: from --answers, else in a terminal, else from answers piped on stdin."""
    check_model(options)
    voice.check_voice(options)
    if options.round_id:
        bank.round(options.round_id)
    if options.answers is not None and options.answers_audio is not None:
        raise UsageError("pass --answers FILE or --answers-audio DIR, not both")
    if options.answers is not None:
        return scripted.run_from_answers_file(ctx, bank, options)
    if options.answers_audio is not None:
        return voice.run_from_audio(ctx, bank, options)
    if ctx.ui.interactive:
        return voice.run_with_voice(ctx, options, lambda ctx: interview.run_interactive(ctx, bank, options))
    if not ctx.ui.stdin_is_tty:
        chunks = scripted.split_piped_answers(ctx.ui.read_all_stdin())
        if any(chunks):
            return scripted.run_from_pipe(ctx, bank, options, chunks)
    raise UsageError("no terminal to ask questions in — pass --answers FILE (YAML: question id -> answer), "
                     "or pipe answers on stdin separated by lines of '---'")
