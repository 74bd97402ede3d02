"""Model output, answers and bank text are untrusted: keys masked, escape sequences stripped; and the
preflight's key table agrees with litellm's own."""

from __future__ import annotations

import os

import pytest

from interview_cli.redact import redact
from interview_cli.sanitize import clean, clean_data
from interview_cli.scoring import preflight

KEY = "sk-live-4f9a1c2e7b3d5a6f8e0c"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"the key is {KEY}.", "the key is ***."),
        (f"half of it: {KEY[8:20]} and more", "half of it: *** and more"),
        (f"wrapped: {KEY[:14]}\n{KEY[14:]}", "wrapped: ***\n***"),
        ("http://127.0.0.1:8080/v1?key=abc123&model=x", "http://127.0.0.1:8080/v1?key=***&model=x"),
        ("https://bob:hunter22@proxy.local/v1", "https://bob:***@proxy.local/v1"),
        ("https://ghtoken0123456789abcdef@host/v1", "https://***@host/v1"),
        ("an ordinary sentence about caches", "an ordinary sentence about caches"),
    ],
)
def test_keys_are_masked_whole_in_part_and_in_urls(text, expected):
    assert redact(text, {"OPENAI_API_KEY": KEY}) == expected


def test_a_word_sharing_fewer_than_8_characters_with_the_key_is_kept():
    assert redact(f"prefix {KEY[:7]}", {"OPENAI_API_KEY": KEY}) == f"prefix {KEY[:7]}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("red \x1b[31mtext\x1b[0m", "red text"),
        ("title\x1b]0;pwned\x07 after", "title after"),
        ("clear\x1b[2J\x1b[H screen", "clear screen"),
        ("overwrite\rline", "overwriteline"),
        ("bell\x07 and backspace\x08", "bell and backspace"),
        ("8-bit CSI \x9b31m", "8-bit CSI "),
        ("tabs\tand\nnewlines stay, Unicode too: é 漢", "tabs\tand\nnewlines stay, Unicode too: é 漢"),
    ],
)
def test_terminal_safe_strips_escape_sequences_and_control_characters(text, expected):
    assert clean(text) == expected


def test_clean_data_walks_a_result():
    data = {"feedback": "a\x1b[31mb", "points": [{"point": "c\x07d", "weight": 2}], "overall": 7.5}
    assert clean_data(data) == {"feedback": "ab", "points": [{"point": "cd", "weight": 2}], "overall": 7.5}


@pytest.mark.parametrize("provider", sorted(preflight.KEY_VARIABLES))
def test_the_key_table_agrees_with_litellm(provider, monkeypatch):
    for names in preflight.KEY_VARIABLES.values():
        for name in names:
            monkeypatch.delenv(name, raising=False)
    os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"
    import litellm

    missing = litellm.validate_environment(model=f"{provider}/some-model")["missing_keys"]
    assert preflight.KEY_VARIABLES[provider][0] in missing
    assert preflight.missing_key(f"{provider}/some-model", None) == preflight.KEY_VARIABLES[provider][0]
    monkeypatch.setenv(preflight.KEY_VARIABLES[provider][-1], "set")
    assert preflight.missing_key(f"{provider}/some-model", None) is None


@pytest.mark.parametrize(("model", "expected"), [("gpt-4o-mini", "OPENAI_API_KEY"), ("claude-3-5-haiku-latest", "ANTHROPIC_API_KEY"),
                                                  ("ollama_chat/llama3.1", None), ("openai/local", None)])
def test_missing_key_for_bare_names_and_local_servers(model, expected, monkeypatch):
    for name in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    api_base = "http://127.0.0.1:8080/v1" if model == "openai/local" else None
    assert preflight.missing_key(model, api_base) == expected
