"""Keep secrets out of anything drill prints or stores.

`redact(text)` replaces
- the value of every environment variable whose name ends in _KEY, _TOKEN, _SECRET,
  _PASSWORD or _PASS (e.g. OPENAI_API_KEY, ANTHROPIC_API_KEY, HF_TOKEN), and
- any word that shares 8 or more consecutive characters with such a value (a model that echoes
  half a key, or the key cut or wrapped), masked whole, and
- anything that looks like a credential whatever its source: `sk-…` / `sk-ant-…` keys,
  `Bearer …` tokens, GitHub/Slack/Hugging Face/Groq/Google/AWS key shapes,
  `api_key=…`-style assignments, `?key=…` / `&token=…` in URLs, and the user info in
  `scheme://user:password@host` or `scheme://token@host`,
with `***`. Every error message the LLM scorer raises, and everything a model returns, goes
through it before it is stored or shown.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from urllib.parse import urlsplit, urlunsplit

MASK = "***"
SECRET_SUFFIXES = ("_KEY", "_TOKEN", "_SECRET", "_PASSWORD", "_PASS")
MIN_SECRET_LENGTH = 6  # shorter env values ("1", "true") would mangle ordinary text
PARTIAL_LENGTH = 8  # a word sharing this many consecutive characters with a secret is masked whole

_PATTERNS = [
    re.compile(r"\bsk-[A-Za-z0-9][A-Za-z0-9_\-]{7,}"),  # OpenAI / Anthropic (sk-ant-…) / many proxies
    re.compile(r"\b(?:ghp|gho|ghu|ghs|ghr|github_pat)_[A-Za-z0-9_]{16,}"),  # GitHub
    re.compile(r"\bxox[abposr]-[A-Za-z0-9\-]{10,}"),  # Slack
    re.compile(r"\bhf_[A-Za-z0-9]{16,}"),  # Hugging Face
    re.compile(r"\bgsk_[A-Za-z0-9]{16,}"),  # Groq
    re.compile(r"\bAIza[0-9A-Za-z_\-]{30,}"),  # Google
    re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),  # AWS access key id
    re.compile(r"(?i)\bBearer\s+[A-Za-z0-9._~+/=\-]{8,}"),
]
_ASSIGNMENT = re.compile(
    r"(?i)\b((?:api[_-]?key|access[_-]?token|auth[_-]?token|secret|password|passwd|token|x-api-key)"
    r"['\"]?\s*[:=]\s*['\"]?)([^\s'\",;&}]{4,})"
)
_URL_PASSWORD = re.compile(r"(://[^/\s:@]+:)([^/\s@]+)(@)")
_URL_TOKEN_USER = re.compile(r"(://)([^/\s:@]{16,})(@)")  # https://TOKEN@host
_URL_QUERY_SECRET = re.compile(
    r"(?i)([?&](?:key|api[_-]?key|apikey|token|access[_-]?token|auth|sig|signature|secret|password)=)([^&#\s]+)"
)
_WORD = re.compile(r"[^\s\"'`<>()\[\]{},;]+")


def secret_values(env: Mapping[str, str] | None = None) -> list[str]:
    """Values of secret-looking environment variables, longest first."""
    env = os.environ if env is None else env
    values = {
        value.strip()
        for name, value in env.items()
        if name.upper().endswith(SECRET_SUFFIXES) and len(value.strip()) >= MIN_SECRET_LENGTH
    }
    return sorted(values, key=len, reverse=True)


def redact(text: object, env: Mapping[str, str] | None = None) -> str:
    """`text` with every secret we know of, or can recognise, replaced by ***."""
    out = str(text)
    values = secret_values(env)
    for value in values:
        out = out.replace(value, MASK)
    out = _mask_partial(out, values)
    out = _URL_PASSWORD.sub(lambda m: m.group(1) + MASK + m.group(3), out)
    out = _URL_TOKEN_USER.sub(lambda m: m.group(1) + MASK + m.group(3), out)
    out = _URL_QUERY_SECRET.sub(lambda m: m.group(1) + MASK, out)
    out = _ASSIGNMENT.sub(lambda m: m.group(1) + MASK, out)
    for pattern in _PATTERNS:
        out = pattern.sub(lambda m: "Bearer " + MASK if m.group(0).lower().startswith("bearer") else MASK, out)
    return out


def storable_url(url: str | None) -> str | None:
    """`url` fit to store and export: no user:password@, and any other credential redacted."""
    url = url.strip() if url else None
    if not url:
        return None
    try:
        parts = urlsplit(url)
        if "@" in parts.netloc:
            url = urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))
    except ValueError:
        pass  # not a URL we can take apart: redact() still masks what looks secret
    return redact(url)

def _mask_partial(text: str, values: list[str]) -> str:
    """Every word of `text` that contains 8+ consecutive characters of a secret, replaced whole."""
    pieces = {value[i : i + PARTIAL_LENGTH] for value in values for i in range(len(value) - PARTIAL_LENGTH + 1)}
    if not pieces:
        return text

    def mask(match: re.Match[str]) -> str:
        word = match.group(0)
        if len(word) < PARTIAL_LENGTH:
            return word
        hit = any(word[i : i + PARTIAL_LENGTH] in pieces for i in range(len(word) - PARTIAL_LENGTH + 1))
        return MASK if hit else word

    return _WORD.sub(mask, text)
