"""The one sanitiser for text a terminal will show: answers, bank text, imported data, model output.

`clean(text)` removes every terminal escape sequence (CSI `ESC [`, OSC `ESC ]`, DCS/SOS/PM/APC
strings, two-byte escapes, and their 8-bit C1 forms such as U+009B) and every other C0 or C1
control character except newline and tab, so text cannot clear the screen, set the window
title, plant hyperlinks or move the cursor. `one_line=True` also folds newlines and tabs into
spaces. `escaped(text)` shows each control character as an inert backslash-x code instead, on
one line: for error messages, where the user must see what they typed.

`json_text(data)` is JSON that is safe on a terminal and still lossless: json.dumps escapes
C0 controls itself; this also escapes DEL and the C1 range, which ensure_ascii=False leaves raw.

Rich markup is a separate danger: views wrap data in rich.text.Text, and the Terminal's
consoles never parse markup in plain strings.
"""

from __future__ import annotations

import re
from typing import Any

_STRING_BODY = r"[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)"  # up to BEL or ST (ESC \ or U+009C); unterminated: ESC alone goes
_ESCAPES = re.compile(
    r"(?:\x1b\]|\x9d)" + _STRING_BODY  # OSC: window title, hyperlinks, clipboard
    + r"|(?:\x1b[PX^_]|[\x90\x98\x9e\x9f])" + _STRING_BODY  # DCS, SOS, PM, APC
    + r"|(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"  # CSI: cursor, erase, colour, mode changes
    + r"|\x1b[ -/]*[0-~]?"  # two-byte and nF escapes (ESC c reset, ESC ( B charset, ...)
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_FOLD = re.compile(r"[\n\t]+")
_JSON_UNSAFE = re.compile(r"[\x7f-\x9f\u2028\u2029]")


def clean(text: object, *, one_line: bool = False) -> str:
    """`text` with escape sequences and control characters removed (newline and tab kept)."""
    out = _CONTROLS.sub("", _ESCAPES.sub("", str(text)))
    return _FOLD.sub(" ", out) if one_line else out


def escaped(text: object) -> str:
    """`text` on one line with every control character (ESC included) shown as an inert `\\xNN`."""
    return _FOLD.sub(" ", _CONTROLS.sub(lambda m: f"\\x{ord(m.group(0)):02x}", str(text)))


def json_text(data: Any, **options: Any) -> str:
    """json.dumps(data, ensure_ascii=False, **options) with DEL and C1 controls escaped as \\u00XX."""
    import json

    raw = json.dumps(data, ensure_ascii=False, **options)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", raw)


def clean_data(value: Any) -> Any:
    """A copy of a dict/list tree (a session result, a report) with every string passed through clean()."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {key: clean_data(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [clean_data(item) for item in value]
    return value
