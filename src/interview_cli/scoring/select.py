"""Which scorer a run uses.

The model comes from, first match wins:
    1. the --model argument
    2. the model a resumed session was started with
    3. the DRILL_MODEL environment variable
    4. `model = "..."` in $DRILL_HOME/config.toml
    5. nothing: the offline scorer
`offline` (any of the three places) asks for the offline scorer explicitly, e.g. to override
a model set in config.toml for one run.

The api_base (for a server litellm cannot infer: llama.cpp, vLLM, LM Studio, a proxy) comes
from --api-base, then DRILL_API_BASE, then the api_base stored with a resumed session or
config.toml's `api_base` — each only with the model that came from the same place, so that `--model anthropic/...` is never sent to the local
server configured for the config's model.

DRILL_LLM_TIMEOUT and DRILL_LLM_RETRY_SECONDS tune the LLM scorer's per-request timeout
(default 120 s) and retry budget (default 60 s).

Nothing here imports litellm; the LLM scorer imports it when it first calls a model.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from interview_cli.errors import UsageError
from interview_cli.scoring.base import Scorer

OFFLINE = "offline"


@dataclass(frozen=True)
class ModelChoice:
    model: str | None  # None: the offline scorer
    api_base: str | None
    source: str  # "--model", "DRILL_MODEL", "<path to config.toml>" or "default"


def read_config(path: Path | None = None) -> dict[str, Any]:
    """config.toml as a dict ({} when absent); UsageError naming the file and line when malformed."""
    if path is None:
        from interview_cli.paths import config_path

        path = config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}:1: cannot read the config file ({exc.__class__.__name__}) — fix or delete it") from None
    try:
        data = tomllib.loads(text)
    except RecursionError:
        raise UsageError(f"{path}:1: nested too deeply — fix the TOML or delete the file") from None
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line = match.group(1) if match else "1"
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc)) or "invalid TOML"
        raise UsageError(f"{path}:{line}: {reason} — fix the TOML or delete the file") from None
    for key in ("model", "api_base"):
        if key in data and not isinstance(data[key], str):
            raise UsageError(
                f"{path}:{_line_of(text, key)}: `{key}` must be a string in quotes, e.g. "
                f'{key} = "{"openai/gpt-4o-mini" if key == "model" else "http://127.0.0.1:8080/v1"}"'
            )
    return data


def _line_of(text: str, key: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(rf"\s*{re.escape(key)}\s*=", line):
            return number
    return 1


def _clean(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None


def resolve_model(model: str | None = None, api_base: str | None = None, *, session_model: str | None = None,
                  session_api_base: str | None = None) -> ModelChoice:
    """Apply the precedence rules (the one place they live); reads config.toml only when it has to."""
    explicit_base = _clean(api_base) or _clean(os.environ.get("DRILL_API_BASE"))
    candidates = ((model, None, "--model"), (session_model, session_api_base, "the session"),
                  (os.environ.get("DRILL_MODEL"), None, "DRILL_MODEL"))
    for value, base, source in candidates:
        if _clean(value):
            return _choice(_clean(value), explicit_base or _clean(base), source)
    from interview_cli.paths import config_path

    path = config_path()
    config = read_config(path)
    if _clean(config.get("model")):
        return _choice(_clean(config["model"]), explicit_base or _clean(config.get("api_base")), str(path))
    return ModelChoice(None, None, "default")


def _choice(model: str | None, api_base: str | None, source: str) -> ModelChoice:
    if model is not None and model.lower() == OFFLINE:
        return ModelChoice(None, None, source)
    return ModelChoice(model, api_base, source)


def preflight_choice(model: str | None = None, api_base: str | None = None) -> ModelChoice:
    """The model this run will use, checked before any question is asked: UsageError (exit 2) in well
    under a second when its key is missing or nothing listens at its local server."""
    choice = resolve_model(model, api_base)
    if choice.model is not None:
        from interview_cli.scoring.preflight import preflight

        preflight(choice.model, choice.api_base)
    return choice


def choose_scorer(
    model: str | None = None,
    api_base: str | None = None,
    *,
    concurrency: int = 4,
    samples: int = 1,
    progress=None,
    session_model: str | None = None,
    session_api_base: str | None = None,
) -> Scorer:
    """The scorer for this run: the LLM scorer for a model, else the offline scorer."""
    if concurrency < 1:
        raise UsageError(f"--concurrency must be at least 1, not {concurrency}")
    if samples < 1:
        raise UsageError(f"--samples must be at least 1, not {samples}")
    choice = resolve_model(model, api_base, session_model=session_model, session_api_base=session_api_base)
    if choice.model is None:
        from interview_cli.scoring.offline.scorer import OfflineScorer

        return OfflineScorer()
    from interview_cli.scoring.llm import LLMScorer

    return LLMScorer(
        choice.model,
        choice.api_base,
        concurrency=concurrency,
        samples=samples,
        progress=progress,
        **llm_timing_from_env(),
    )


def llm_timing_from_env() -> dict[str, float]:
    """DRILL_LLM_TIMEOUT (seconds one request may take, default 120) and DRILL_LLM_RETRY_SECONDS
    (how long to keep retrying 429/5xx/timeouts/refused connections, default 60)."""
    timing = {}
    for env, key in (("DRILL_LLM_TIMEOUT", "timeout"), ("DRILL_LLM_RETRY_SECONDS", "retry_budget")):
        raw = os.environ.get(env, "").strip()
        if not raw:
            continue
        try:
            value = float(raw)
        except ValueError:
            value = -1.0
        if not value >= 0 or (key == "timeout" and value == 0):
            raise UsageError(f"{env}={raw!r} is not a number of seconds — set it to e.g. 60, or unset it")
        timing[key] = value
    return timing
