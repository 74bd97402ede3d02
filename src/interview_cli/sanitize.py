"""One sanitiser for untrusted text on its way to a terminal.

Answers, bank text, imported history and model output can carry escape sequences that
recolour the terminal, move the cursor, set the window title or hide text (an ANSI CSI or
OSC sequence, a bare ESC, a carriage return that overwrites a line, a backspace).
`terminal_safe` removes whole escape sequences and every other control character except
newline and tab; printable text, Unicode included, is left alone. JSON output needs none
of this: json.dumps writes control characters as \\u escapes.
"""

from __future__ import annotations

import re
from typing import Any

# ESC [ ... final byte (CSI), ESC ] ... BEL or ESC \ (OSC), ESC P/X/^/_ ... ESC \ (DCS, SOS, PM, APC),
# the 8-bit forms of those introducers, and any other two-character ESC sequence
_ESCAPE_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|(?:\x1b\]|\x9d).*?(?:\x07|\x1b\\|\x9c|$)"
    r"|(?:\x1b[PX^_]|[\x90\x98\x9e\x9f]).*?(?:\x1b\\|\x9c|$)"
    r"|\x1b[@-Z\\-_ -/]*[0-~]?",
    re.DOTALL,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def terminal_safe(text: str) -> str:
    """`text` without escape sequences or control characters (newline and tab stay)."""
    if text.isprintable():
        return text
    text = text.replace("\r\n", "\n")
    return _CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", text))


def terminal_safe_data(value: Any) -> Any:
    """A copy of a dict/list tree (a session result, a report) with every string made terminal_safe."""
    if isinstance(value, str):
        return terminal_safe(value)
    if isinstance(value, dict):
        return {key: terminal_safe_data(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [terminal_safe_data(item) for item in value]
    return value
