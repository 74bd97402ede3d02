"""`drill voice setup`: which transcription engines work offline, where their model files go, and a check."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from interview_cli.cli.options import terminal

voice_app = typer.Typer(help="Practise out loud: set up transcription.\n\nExample: drill voice setup", no_args_is_help=True)

# whisper.cpp's English-only ggml models (https://huggingface.co/ggerganov/whisper.cpp), smallest first
MODELS = [
    ("ggml-tiny.en.bin", "75 MiB", "fastest; rough on technical words"),
    ("ggml-base.en.bin", "142 MiB", "a good start on a laptop CPU"),
    ("ggml-small.en.bin", "466 MiB", "better with jargon; about 3x slower than base"),
    ("ggml-medium.en.bin", "1.5 GiB", "the most accurate of these; slow without a GPU"),
]


def setup(
    model_file: Annotated[Path | None, typer.Argument(metavar="[MODEL_FILE]", help="A whisper.cpp model file to check.")] = None,
) -> None:
    """How to transcribe spoken answers offline, and a check of a model file.

    drill never downloads a model by itself: this says which whisper.cpp files work, their
    sizes and where to put them. Given a file, it checks that it is a whisper.cpp model and
    that pywhispercpp is installed.

    \b
    Examples:
      drill voice setup
      drill voice setup ~/.local/share/drill/models/ggml-base.en.bin
    Exit codes: 0 shown, or the file checks out; 2 the file or the engine is missing.
    """
    import importlib.util

    from interview_cli.errors import UsageError
    from interview_cli.voice.keep import models_dir
    from interview_cli.voice.stt import WHISPERCPP_INSTALL, whispercpp_problem

    term = terminal()
    if model_file is None:
        term.show(_guide(models_dir()), markup=False, highlight=False, soft_wrap=True)
        return
    model_file = model_file.expanduser()
    problem = whispercpp_problem(model_file)
    if problem:
        raise UsageError(problem)
    if importlib.util.find_spec("pywhispercpp") is None:
        raise UsageError(f"{model_file.name} looks right, but pywhispercpp is not installed — {WHISPERCPP_INSTALL}")
    size = model_file.stat().st_size / 2**20
    term.result(f"ok: {model_file} is a whisper.cpp model ({size:,.0f} MiB) and pywhispercpp is installed — "
                f"use it with: --stt-model whispercpp:{model_file}")


def _guide(folder: Path) -> str:
    from interview_cli.voice.stt import WHISPERCPP_INSTALL

    rows = "\n".join(f"  {name:<20} {size:>8}   {note}" for name, size, note in MODELS)
    example = folder / "ggml-base.en.bin"
    return f"""Offline transcription runs whisper.cpp through pywhispercpp with a model file you download once;
drill never downloads a model by itself.

{rows}

1. Download one of these files from https://huggingface.co/ggerganov/whisper.cpp (the .en models
   are English only and more accurate for their size) and put it in {folder}
2. Install the engine: {WHISPERCPP_INSTALL}
3. Check it: drill voice setup {example}
4. Use it: drill netflix backend --answers-audio DIR --stt-model whispercpp:{example}

Online instead: --stt-model openai/whisper-1 (OPENAI_API_KEY) or groq/whisper-large-v3 (GROQ_API_KEY);
or any OpenAI-compatible server (faster-whisper-server, whisper.cpp's server):
--stt-model MODEL --stt-api-base http://127.0.0.1:8000/v1"""
