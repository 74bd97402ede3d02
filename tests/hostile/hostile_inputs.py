"""Hostile inputs, generated on demand into a folder: the files an attacker (or bad luck) hands drill.

Each generator returns the path it wrote. Nothing here is big on disk except `huge_*`, which
write a few megabytes at most.

    bank_*      a bank file (`banks validate`, `banks list/show`, rounds, `plan`, `score`)
    answers_*   an --answers file (`drill COMPANY ROLE --answers`, `drill resume ID --answers`)
    export_*    a JSONL file for `drill import`
    stdin_*     bytes to pipe into `drill COMPANY ROLE`
    config_*    a config.toml (`drill COMPANY ROLE`, `drill score`)
"""

from __future__ import annotations

import json
from pathlib import Path

# Terminal escape sequences: each would do something to a terminal if printed raw.
ESCAPES = {
    "csi_clear": "\x1b[2J\x1b[H",
    "osc_title": "\x1b]0;PWNED-TITLE\x07",
    "osc_title_st": "\x1b]2;PWNED-TITLE\x1b\\",
    "osc8_link": "\x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\",
    "osc52_clipboard": "\x1b]52;c;cm0gLXJmIH4=\x07",
    "dcs": "\x1bPq#0;2;0;0;0\x1b\\",
    "c1_csi": "\x9b31mred\x9b0m",
    "c1_osc": "\x9d0;PWNED-TITLE\x9c",
    "bell_backspace": "\x07\x08\x08\x08",
    "reset": "\x1bc",
    "cursor_up_erase": "\x1b[1A\x1b[2K",
    "private_mode": "\x1b[?1049h\x1b[?25l",
}
MARKUP = {
    "link": "[link=http://evil.example/]click me[/link]",
    "blink": "[blink]BLINK[/blink]",
    "bold_red": "[bold red]ALERT[/]",
    "emoji": ":skull:",
}
REMOTE_IMAGE = "![pixel](http://evil.example/track.png)"
PAYLOAD = "".join(ESCAPES.values()) + " " + " ".join(MARKUP.values()) + " " + REMOTE_IMAGE
FORBIDDEN_OUTPUT = ("\x1b", "\x9b", "\x9d", "\x9c", "\x90", "\x07", "\x08")  # none may reach stdout or stderr

VALID_BANK = """\
company: Hostile
role: Backend
rounds:
  coding:
    title: Coding
    questions:
      - id: q1
        prompt: Say something.
        topics: [t1]
        rubric: [one point]
"""


def _write(folder: Path, name: str, data: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


# ---- banks -------------------------------------------------------------------------------


def bank_yaml_bomb(folder: Path) -> Path:
    """The billion-laughs bank: 342 bytes that expand to 9**9 strings."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{','.join(['*' + prev] * 9)}]")
    lines.append("company: *i")
    return _write(folder, "bomb/backend.yaml", "\n".join(lines) + "\n")


def bank_deep(folder: Path, depth: int) -> Path:
    """`company: [[[[…]]]]` `depth` deep (1,000: RecursionError; 30,000: a C-stack segfault)."""
    return _write(folder, f"deep{depth}/backend.yaml", "company: " + "[" * depth + "]" * depth + "\nrole: x\n")


def bank_deep_block(folder: Path, depth: int) -> Path:
    """The same depth in block style (one more indent per level)."""
    body = "".join(f"{' ' * i}k{i}:\n" for i in range(depth)) + " " * depth + "v: 1\n"
    return _write(folder, f"deepblock{depth}/backend.yaml", body)


def bank_binary(folder: Path) -> Path:
    return _write(folder, "binary/backend.yaml", bytes(range(256)) * 64)


def bank_utf16(folder: Path) -> Path:
    return _write(folder, "utf16/backend.yaml", VALID_BANK.encode("utf-16"))


def bank_latin1(folder: Path) -> Path:
    return _write(folder, "latin1/backend.yaml", VALID_BANK.replace("Hostile", "Café").encode("latin-1"))


def bank_utf8_bom(folder: Path) -> Path:
    """Valid: a UTF-8 byte-order mark is allowed."""
    return _write(folder, "bom/backend.yaml", b"\xef\xbb\xbf" + VALID_BANK.replace("Hostile", "Bom").encode())


def bank_huge(folder: Path, megabytes: int = 12) -> Path:
    """A bank larger than drill's size limit."""
    filler = "# " + "x" * 1000 + "\n"
    return _write(folder, "huge/backend.yaml", VALID_BANK + filler * (megabytes * 1000))


def bank_escapes(folder: Path) -> Path:
    """A valid bank whose every text field carries escape sequences and rich markup."""
    p = json.dumps
    text = f"""\
company: {p("Esc " + PAYLOAD)}
role: Backend
about: {p(PAYLOAD)}
source: {p(PAYLOAD)}
rounds:
  coding:
    title: {p("Coding " + PAYLOAD)}
    about: {p(PAYLOAD)}
    questions:
      - id: q1
        prompt: {p("Prompt " + PAYLOAD)}
        topics: [{p("topic " + PAYLOAD)}]
        rubric: [{p("point " + PAYLOAD)}]
        follow_ups: [{p("follow " + PAYLOAD)}]
        hints: [{p("hint " + PAYLOAD)}]
"""
    return _write(folder, "esc/backend.yaml", text)


def bank_invalid_escapes(folder: Path) -> Path:
    """An invalid bank whose bad values (echoed by validation messages) carry escape sequences."""
    return _write(folder, "escbad/backend.yaml",
                  f"company: Bad\nrole: x\n{json.dumps('unknown' + ESCAPES['csi_clear'])}: 1\n"
                  f"rounds:\n  {json.dumps('Bad' + ESCAPES['osc_title'])}:\n    title: t\n")


def bank_empty_slug(folder: Path) -> Path:
    return _write(folder, "bang/backend.yaml", VALID_BANK.replace("company: Hostile", "company: '!!!'"))


# ---- answers files -----------------------------------------------------------------------


def answers_bomb(folder: Path) -> Path:
    return _write(folder, "answers-bomb.yaml", bank_yaml_bomb(folder).read_text().replace("company:", "q1:"))


def answers_deep(folder: Path, depth: int = 40_000) -> Path:
    return _write(folder, f"answers-deep{depth}.yaml", "q1: " + "[" * depth + "]" * depth + "\n")


def answers_huge(folder: Path, megabytes: int = 3) -> Path:
    """One answer of a few megabytes: longer than any interview answer drill accepts."""
    return _write(folder, "answers-huge.yaml", "q1: " + json.dumps("word " * (megabytes * 200_000)) + "\n")


def answers_binary(folder: Path) -> Path:
    return _write(folder, "answers-binary.yaml", b"q1: \xff\xfe\x00\x01" + bytes(range(256)))


def answers_utf16(folder: Path) -> Path:
    return _write(folder, "answers-utf16.yaml", "q1: an answer\n".encode("utf-16"))


def answers_escapes(folder: Path) -> Path:
    return _write(folder, "answers-esc.yaml", "q1: " + json.dumps("answer " + PAYLOAD) + "\n")


# ---- import files ------------------------------------------------------------------------


HEADER = '{"type":"history","format":"drill-history","version":1}\n'


def _session(**over) -> dict:
    record = {"type": "session", "id": "aaaa0001", "company": "Hostile", "role": "Backend",
              "company_slug": "hostile", "role_slug": "backend", "round": "coding", "round_title": "Coding",
              "bank_path": None, "plan": ["q1"], "started_at": "2025-01-01T10:00:00+00:00",
              "finished_at": "2025-01-01T10:10:00+00:00", "status": "scored", "scorer": "fake", "overall": 5.0,
              "options": {}}
    record.update(over)
    return record


def _answer(**over) -> dict:
    record = {"type": "answer", "session_id": "aaaa0001", "position": 0, "question_id": "q1", "kind": "main",
              "prompt": "Say something.", "answer": "something", "skipped": False, "auto_submitted": False,
              "hints": [], "seconds": 3.0, "submitted_at": "2025-01-01T10:05:00+00:00"}
    record.update(over)
    return record


def _jsonl(folder: Path, name: str, *records: dict | str) -> Path:
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    return _write(folder, name, HEADER + "\n".join(lines) + "\n")


def export_huge_position(folder: Path) -> Path:
    return _jsonl(folder, "huge-position.jsonl", _session(), _answer(position=2**70))


def export_year_9999(folder: Path) -> Path:
    return _jsonl(folder, "year-9999.jsonl", _session(), _answer(submitted_at="9999-12-31T23:59:59-05:00"))


def export_deep_json(folder: Path, depth: int = 100_000) -> Path:
    return _jsonl(folder, "deep.jsonl", _session(), '{"type":"answer","hints":' + "[" * depth + "]" * depth + "}")


def export_duplicate_answers(folder: Path) -> Path:
    return _jsonl(folder, "duplicates.jsonl", _session(), _answer(), _answer())


def export_escapes(folder: Path) -> Path:
    """Valid records whose text carries escape sequences and markup (topics reach `drill stats`)."""
    review = {"type": "review", "session_id": "aaaa0001", "position": 0, "company_slug": "hostile",
              "role_slug": "backend", "question_id": "q1", "round": "coding", "topics": ["topic " + PAYLOAD],
              "score": 5.0, "rating": 2, "reviewed_at": "2025-01-01T10:05:00+00:00"}
    score = {"type": "score", "session_id": "aaaa0001", "position": 0, "question_id": "q1", "scorer": "fake",
             "rubric_version": "v1", "score": 5.0, "max_score": 10.0,
             "points": [{"point": "point " + PAYLOAD, "weight": 1.0, "covered": True}],
             "feedback": "feedback " + PAYLOAD, "samples": [5.0], "scored_at": "2025-01-01T10:06:00+00:00"}
    return _jsonl(folder, "escapes.jsonl", _session(company="Hostile " + PAYLOAD, round_title="Coding " + PAYLOAD),
                  _answer(answer="answer " + PAYLOAD, prompt="prompt " + PAYLOAD), score, review)


def export_bad_type_escapes(folder: Path) -> Path:
    """An unknown record type that would be echoed raw by the error message."""
    return _jsonl(folder, "bad-type.jsonl", {"type": "evil" + ESCAPES["osc_title"] + ESCAPES["csi_clear"]})


def export_binary(folder: Path) -> Path:
    return _write(folder, "binary.jsonl", b"{\xff\xfe" + bytes(range(256)))


def export_utf16(folder: Path) -> Path:
    return _write(folder, "utf16.jsonl", (HEADER + json.dumps(_session()) + "\n").encode("utf-16"))


def export_latin1(folder: Path) -> Path:
    return _write(folder, "latin1.jsonl", (HEADER + json.dumps(_session(company="Café"), ensure_ascii=False)
                                           + "\n").encode("latin-1"))


def export_huge_line(folder: Path, megabytes: int = 12) -> Path:
    return _jsonl(folder, "huge-line.jsonl", _session(), _answer(answer="x" * (megabytes * 1_000_000)))


# ---- stdin and config ----------------------------------------------------------------------


def stdin_binary() -> bytes:
    return b"\xff\xfe\x00" + bytes(range(256))


def stdin_utf16() -> bytes:
    return "an answer\n---\nanother\n".encode("utf-16")


def stdin_escapes() -> bytes:
    return ("answer " + PAYLOAD + "\n").encode()


def config_deep(folder: Path, depth: int = 100_000) -> Path:
    return _write(folder, "config.toml", "model = " + "[" * depth + "]" * depth + "\n")


def config_binary(folder: Path) -> Path:
    return _write(folder, "config.toml", bytes(range(256)))
