"""Checks made before a round or a re-score starts, so a missing key or a stopped server is one
line and exit 2 in well under a second, not a minute of retries at the end of a round.

Nothing here imports litellm (its import alone takes seconds): the key each hosted provider
needs is in KEY_VARIABLES, which tests/test_llm_preflight.py checks against litellm's own
`validate_environment`. A local server (--api-base, or Ollama's URL) is checked with one TCP
connection.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from interview_cli.errors import UsageError
from interview_cli.redact import redact

CONNECT_TIMEOUT = 0.5  # seconds: a local server that is up accepts at once
OLLAMA_PROVIDERS = ("ollama", "ollama_chat")
OLLAMA_DEFAULT_BASE = "http://localhost:11434"

# provider prefix -> the environment variables that carry its key (any one of them will do)
KEY_VARIABLES: dict[str, tuple[str, ...]] = {
    "openai": ("OPENAI_API_KEY",),
    "anthropic": ("ANTHROPIC_API_KEY",),
    "gemini": ("GEMINI_API_KEY", "GOOGLE_API_KEY"),
    "groq": ("GROQ_API_KEY",),
    "mistral": ("MISTRAL_API_KEY",),
    "openrouter": ("OPENROUTER_API_KEY",),
    "deepseek": ("DEEPSEEK_API_KEY",),
    "together_ai": ("TOGETHERAI_API_KEY",),
    "xai": ("XAI_API_KEY",),
    "fireworks_ai": ("FIREWORKS_AI_API_KEY",),
    "perplexity": ("PERPLEXITYAI_API_KEY",),
    "cerebras": ("CEREBRAS_API_KEY",),
    "deepinfra": ("DEEPINFRA_API_KEY",),
    "huggingface": ("HUGGINGFACE_API_KEY",),
}
# model names litellm routes without a prefix
_BARE_PREFIXES = (("gpt-", "openai"), ("o1", "openai"), ("o3", "openai"), ("o4", "openai"),
                  ("chatgpt-", "openai"), ("claude-", "anthropic"), ("whisper-", "openai"), ("tts-", "openai"))


@dataclass(frozen=True)
class LocalServer:
    url: str
    hint: str  # how to start it


def provider_of(model: str) -> str | None:
    if "/" in model:
        return model.split("/", 1)[0].lower()
    for prefix, provider in _BARE_PREFIXES:
        if model.lower().startswith(prefix):
            return provider
    return None


def missing_key(model: str, api_base: str | None) -> str | None:
    """The variable to set when `model` needs a key that is not set; None when it needs none or has one.
    A model sent to --api-base is a local or self-hosted server: it decides about keys itself."""
    if api_base:
        return None
    names = KEY_VARIABLES.get(provider_of(model) or "", ())
    if not names or any(os.environ.get(name, "").strip() for name in names):
        return None
    return names[0]


def local_server(model: str, api_base: str | None) -> LocalServer | None:
    if provider_of(model) in OLLAMA_PROVIDERS:
        url = api_base or os.environ.get("OLLAMA_API_BASE") or OLLAMA_DEFAULT_BASE
        return LocalServer(url, "ollama serve")
    if api_base:
        return LocalServer(api_base, "")
    return None


def listening(url: str, timeout: float = CONNECT_TIMEOUT) -> bool:
    parts = urlsplit(url if "://" in url else f"http://{url}")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((parts.hostname or "localhost", port), timeout=timeout):
            return True
    except OSError:
        return False


def preflight(model: str, api_base: str | None) -> None:
    """UsageError (exit 2) naming what to fix when `model` cannot possibly work right now."""
    variable = missing_key(model, api_base)
    if variable:
        raise UsageError(f"{model} needs an API key: set {variable}, or score offline without --model")
    server = local_server(model, api_base)
    if server and not listening(server.url):
        hint = f" — start it with: {server.hint}" if server.hint else " — start the server or fix --api-base"
        raise UsageError(f"nothing is listening at {redact(server.url)}{hint}")
