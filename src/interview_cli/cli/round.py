"""`drill COMPANY ROLE ...` (the default command) and `drill score`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from interview_cli.cli.completion import complete_company, complete_model, complete_role, complete_round, session_completer
from interview_cli.cli.options import (
    BanksOption,
    JsonOption,
    QuietOption,
    catalog,
    command_names,
    round_context,
    terminal,
)
from interview_cli.errors import UsageError, closest
from interview_cli.rounds.persona import Persona

ModelOption = Annotated[str | None, typer.Option("--model", "-m", autocompletion=complete_model, help="LLM to score with, e.g. openai/gpt-4o-mini or ollama/llama3 (default: DRILL_MODEL, config.toml, else offline).")]
ApiBaseOption = Annotated[str | None, typer.Option("--api-base", metavar="URL", help="Base URL of an OpenAI-compatible server; also DRILL_API_BASE.")]
ConcurrencyOption = Annotated[int, typer.Option("--concurrency", min=1, max=64, help="Answers scored at once by an LLM.")]
SttModelOption = Annotated[str | None, typer.Option("--stt-model", metavar="MODEL", help="Transcribe spoken answers: whispercpp:/path/to/ggml-base.en.bin (offline) or a litellm model, e.g. openai/whisper-1 (see: drill voice setup).")]
SttApiBaseOption = Annotated[str | None, typer.Option("--stt-api-base", metavar="URL", help="OpenAI-compatible transcription server (default: --api-base).")]
SamplesOption = Annotated[int, typer.Option("--samples", min=1, max=20, help="Score each answer N times; show mean and spread.")]


def run(
    company: Annotated[str, typer.Argument(help="Company, e.g. netflix (see: drill banks list).", autocompletion=complete_company)],
    role: Annotated[str | None, typer.Argument(help="Role, e.g. backend.", autocompletion=complete_role)] = None,
    round_id: Annotated[str | None, typer.Option("--round", "-r", help="Round id, e.g. system-design.", autocompletion=complete_round)] = None,
    answers: Annotated[Path | None, typer.Option("--answers", metavar="FILE", help="YAML mapping of question id to answer: run without prompts.")] = None,
    count: Annotated[int | None, typer.Option("--count", "-n", min=1, help="How many questions (default per round).")] = None,
    minutes: Annotated[float | None, typer.Option("--minutes", min=0.01, help="Per-question time limit; decimals allowed (0.1 = 6 s).")] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Reproducible question choice.")] = None,
    follow_ups: Annotated[bool, typer.Option("--follow-ups/--no-follow-ups", help="Ask one follow-up after each answer.")] = True,
    due: Annotated[bool, typer.Option("--due", help="Ask the questions due for review (see: drill plan).")] = False,
    model: ModelOption = None,
    api_base: ApiBaseOption = None,
    concurrency: ConcurrencyOption = 4,
    samples: SamplesOption = 1,
    banks: BanksOption = None,
    json_out: JsonOption = False,
    quiet: QuietOption = False,
    persona: Annotated[Persona, typer.Option("--persona", case_sensitive=False, help="Interviewer's tone and how hard follow-ups push.")] = Persona.NEUTRAL,
    about: Annotated[bool, typer.Option("--about", help="Show the company's notes in full again.")] = False,
    answers_audio: Annotated[Path | None, typer.Option("--answers-audio", metavar="DIR", help="Folder of recorded answers named by question id (.wav; .mp3/.m4a with ffmpeg): transcribe and score without prompts.")] = None,
    stt_model: SttModelOption = None,
    stt_api_base: SttApiBaseOption = None,
    keep_audio: Annotated[bool, typer.Option("--keep-audio", help="Keep the recordings under DRILL_HOME/audio (drill discard removes them).")] = False,
    listen: Annotated[bool, typer.Option("--listen", help="Answer out loud: Ctrl-T in the answer box starts and stops recording; the transcript lands in the box to correct (needs --stt-model).")] = False,
    speak: Annotated[bool, typer.Option("--speak", help="Read each question, follow-up and nudge aloud (espeak-ng, or --tts-model).")] = False,
    tts_model: Annotated[str | None, typer.Option("--tts-model", metavar="MODEL", help="Speak through a litellm speech model, e.g. openai/tts-1.")] = None,
) -> None:
    """Run a timed interview round.

    COMPANY and ROLE name a bank (see: drill banks list); --round picks the round.
    In a terminal the interviewer asks and times each question; without one, answers
    come from --answers FILE (YAML: question id -> answer) or from stdin, separated by
    lines of '---'.

    A system-design answer runs in phases (requirements, API and data, high-level
    design, deep dive, wrap-up) with a phase clock; on a line of its own,
    /ask QUESTION asks the interviewer about scale or requirements and /next moves
    to the next phase. The round's minutes include its follow-ups.

    \b
    Examples:
      drill netflix backend --round system-design
      drill netflix backend -r system-design --persona tough
      drill netflix backend -r behavioral --count 2 --minutes 5 --speak
      drill netflix backend -r coding --answers answers.yaml --json
      drill acme backend -r design --answers-audio ~/answers --stt-model whispercpp:~/models/ggml-base.en.bin
      drill netflix backend -r behavioral --listen --speak --stt-model openai/whisper-1

    \b
    Exit codes: 0 scored; 1 scoring failed (answers kept: drill score ID), or a
                recording could not be transcribed (nothing stored); 2 usage or input
                error; 130 quit or Ctrl-C (resume with: drill resume).
    """
    from interview_cli.rounds.options import RoundOptions
    from interview_cli.rounds.start import run_round

    if role is None:
        missing_role(company, command_names())
    term = terminal(quiet=quiet or json_out)
    found = catalog(banks, term)
    bank = found.find(company, role)
    options = RoundOptions(
        round_id=round_id, answers=answers, count=count, minutes=minutes, seed=seed, follow_ups=follow_ups,
        due=due, model=model, api_base=api_base, concurrency=concurrency, samples=samples, json_out=json_out,
        persona=persona, about=about, answers_audio=answers_audio, stt_model=stt_model, stt_api_base=stt_api_base,
        keep_audio=keep_audio, speak=speak or tts_model is not None, tts_model=tts_model, listen=listen,
    )
    with round_context(term) as ctx:
        raise typer.Exit(run_round(ctx, bank, options))


def score(
    session_id: Annotated[str | None, typer.Argument(help="Session id or a unique prefix (default: the newest finished session; see: drill history).", autocompletion=session_completer(("unscored", "scored", "in_progress", "unfinished")))] = None,
    model: ModelOption = None,
    api_base: ApiBaseOption = None,
    concurrency: ConcurrencyOption = 4,
    samples: SamplesOption = 1,
    banks: BanksOption = None,
    json_out: JsonOption = False,
    quiet: QuietOption = False,
) -> None:
    """Score, or re-score, a saved session.

    SESSION_ID is the id shown by drill history (a unique prefix is enough); without it,
    the newest finished session, named on stderr.

    \b
    Examples:
      drill score 3f9a1c2e --model ollama_chat/llama3.1
      drill score                      # the newest finished session

    \b
    Exit codes: 0 scored; 1 scoring failed (answers kept); 2 usage error.
    """
    from interview_cli.rounds.finish import rescore
    from interview_cli.rounds.options import RoundOptions

    term = terminal(quiet=quiet or json_out)
    options = RoundOptions(model=model, api_base=api_base, concurrency=concurrency, samples=samples, json_out=json_out)
    found = catalog(banks, term)
    with round_context(term) as ctx:
        if session_id is None:
            session_id = _newest_finished(ctx.store, term)
        raise typer.Exit(rescore(ctx, session_id, found, options))


def _newest_finished(store, term) -> str:
    """The newest session `drill score` can score, named on stderr."""
    from interview_cli.errors import UsageError
    from interview_cli.history.report import FINISHED, describe_session

    session_id = store.newest_session(FINISHED)
    if session_id is None:
        raise UsageError("no finished session to score yet — run a round first: drill COMPANY ROLE")
    term.note(f"Scoring the newest finished session: {describe_session(store.session(session_id))}")
    return session_id


def missing_role(company: str, commands: list[str]) -> None:
    """`drill histroy` lands here as a company with no role: suggest the command instead."""
    guess = closest(company, commands)
    if guess:
        raise UsageError(f"unknown command '{company}' — did you mean 'drill {guess}'? (see: drill --help)")
    raise UsageError(f"missing ROLE — usage: drill {company} ROLE [--round ROUND] (see: drill banks list)")
