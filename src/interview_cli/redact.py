"""Keep secrets out of anything drill prints or stores.

`redact(text)` replaces
- the value of every environment variable whose name ends in _KEY, _TOKEN, _SECRET,
  _PASSWORD or _PASS (e.g. OPENAI_API_KEY, ANTHROPIC_API_KEY, HF_TOKEN), and
- anything that looks like a credential whatever its source: `sk-…` / `sk-ant-…` keys,
  `Bearer …` tokens, GitHub/Slack/Hugging Face/Groq/Google/AWS key shapes,
  `api_key=…`-style assignments, and the password in `scheme://user:password@host`,
with `***`. Every error message the LLM scorer raises goes through it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from urllib.parse import urlsplit, urlunsplit

MASK = "***"
SECRET_SUFFIXES = ("_KEY", "_TOKEN", "_SECRET", "_PASSWORD", "_PASS")
MIN_SECRET_LENGTH = 6  # shorter env values ("1", "true") would mangle ordinary text

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
    for value in secret_values(env):
        out = out.replace(value, MASK)
    out = _URL_PASSWORD.sub(lambda m: m.group(1) + MASK + m.group(3), out)
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
