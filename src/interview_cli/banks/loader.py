"""Loading, validating and discovering question banks.

Every problem is reported as `file:line: message`, all of them in one pass.
YAML is parsed with the safe loader only; node marks give line numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from interview_cli.banks.model import KNOWN_KEYS
from interview_cli.banks.model import Bank as BankModel
from interview_cli.banks.safe_yaml import MAX_BYTES, RefusedYAML, compose, duplicate_keys, safe_load
from interview_cli.banks.snapshot import Bank, BrokenBank, Catalog
from interview_cli.banks.sources import bank_files, bank_sources
from interview_cli.errors import UsageError, closest



@dataclass(frozen=True, order=True)
class BankProblem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class BankError(UsageError):
    """A bank file that does not load; carries every problem found."""

    def __init__(self, problems: list[BankProblem]):
        self.problems = sorted(problems)
        first = self.problems[0]
        more = f" (and {len(self.problems) - 1} more; run: drill banks validate {first.path})" if len(self.problems) > 1 else ""
        super().__init__(f"{first}{more}")


def _read(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BankError([BankProblem(str(path), 1, f"cannot read file: {exc.strerror or exc}")]) from None
    if len(data) > MAX_BYTES:
        raise BankError([BankProblem(str(path), 1, f"file too large ({len(data):,} bytes; the limit is {MAX_BYTES:,})")])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise BankError([BankProblem(str(path), line, f"not UTF-8 text (byte 0x{data[exc.start]:02x}) — "
                                                      "save the bank as UTF-8")]) from None


def load_bank(path: Path, origin: str = "file") -> Bank:
    """Load and validate one bank; raise BankError listing every problem in it."""
    return Bank.from_dict(load_bank_data(path), path, origin)


def load_bank_data(path: Path) -> dict:
    """One bank's validated data, as bank_snapshot.Bank.from_dict (and the bank index) take it."""
    shown = str(path)
    text = _read(path)
    try:
        data = safe_load(text)
    except yaml.YAMLError as exc:
        raise BankError([_syntax_problem(shown, exc)]) from None
    try:
        bank = BankModel.model_validate(data)
    except ValidationError:
        bank = None
    except (TypeError, ValueError, RecursionError) as exc:  # pathological input pydantic cannot walk
        raise BankError([BankProblem(shown, 1, f"not a valid bank: {exc.__class__.__name__}")]) from None
    if bank is not None and not _duplicate_ids(bank):
        return bank.model_dump(mode="json")
    raise BankError(validate_text(text, shown) or [BankProblem(shown, 1, "not a valid bank")])


def validate_file(path: Path) -> list[BankProblem]:
    try:
        return validate_text(_read(path), str(path))
    except BankError as exc:
        return exc.problems


def validate_text(text: str, shown: str) -> list[BankProblem]:
    """All problems in a bank's text, sorted by line."""
    try:
        root = compose(text)
        data = safe_load(text)
    except yaml.YAMLError as exc:
        return [_syntax_problem(shown, exc)]
    if root is None:
        return [BankProblem(shown, 1, "file is empty; a bank needs company, role and rounds")]
    lines = _LineIndex(root)
    problems = [BankProblem(shown, line, f"duplicate key '{key}' (first at line {first})")
                for line, key, first in duplicate_keys(root)]
    try:
        BankModel.model_validate(data)
    except ValidationError as exc:
        problems += [BankProblem(shown, *_describe(err, lines)) for err in exc.errors()]
    except (TypeError, ValueError, RecursionError) as exc:
        problems.append(BankProblem(shown, 1, f"not a valid bank: {exc.__class__.__name__}"))
    problems += [BankProblem(shown, *p) for p in _duplicate_id_problems(data, lines)]
    return sorted(set(problems))


def _syntax_problem(shown: str, exc: yaml.YAMLError) -> BankProblem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark else 1
    if isinstance(exc, RefusedYAML):
        return BankProblem(shown, line, exc.problem)
    reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context, context_mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    if context and context_mark and context_mark.line + 1 != line:
        reason += f" ({context} that starts at line {context_mark.line + 1})"
    return BankProblem(shown, line, f"YAML syntax error: {reason}")


class _LineIndex:
    """Maps a data path such as ('rounds', 'coding', 'questions', 0) to its line."""

    def __init__(self, root: yaml.Node):
        self.key_lines: dict[tuple, int] = {}
        self.value_lines: dict[tuple, int] = {}
        self._walk(root, ())

    def _walk(self, node: yaml.Node, where: tuple) -> None:
        self.value_lines[where] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
                self.key_lines.setdefault(where + (key,), key_node.start_mark.line + 1)
                self._walk(value_node, where + (key,))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self._walk(item, where + (index,))

    def line(self, where: tuple) -> int:
        while where:
            found = self.key_lines.get(where) or self.value_lines.get(where)
            if found:
                return found
            where = where[:-1]
        return self.value_lines.get((), 1)

    def value_line(self, where: tuple) -> int:
        return self.value_lines.get(where) or self.line(where)


def _kind_of(where: tuple) -> str:
    if not where:
        return "bank"
    if where[0] == "rounds":
        depth = len(where)
        if depth == 2:
            return "round"
        if depth == 4:
            return "phase" if where[2] == "phases" else "question"
        if depth == 6 and where[4] == "rubric":
            return "rubric point"
        if depth == 6 and where[4] == "red_flags":
            return "red flag"
        if depth == 5 and where[4] == "code":
            return "code block"
        if depth == 7 and where[4] == "code" and where[5] in ("tests", "hidden_tests"):
            return "code test"
        if depth == 6 and where[4] in ("phases", "facts"):
            return where[4][:-1]
    return "mapping"


def _dotted(where: tuple) -> str:
    out = ""
    for part in where:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "top level"


_TYPE_WORDS = {
    "string_type": "expected text",
    "float_parsing": "expected a number",
    "float_type": "expected a number",
    "list_type": "expected a list",
    "dict_type": "expected a mapping",
    "model_type": "expected a mapping",
    "model_attributes_type": "expected a mapping",
}


def _describe(err: dict, lines: _LineIndex) -> tuple[int, str]:
    loc = tuple(p for p in err["loc"] if p != "[key]")
    kind, etype = err["type"], err["type"]
    if kind == "extra_forbidden":
        parent, key = loc[:-1], loc[-1]
        what = _kind_of(parent)
        guess = closest(str(key), KNOWN_KEYS.get(what, []))
        hint = f" — did you mean '{guess}'?" if guess else f" (allowed: {', '.join(KNOWN_KEYS.get(what, []))})"
        return lines.line(loc), f"unknown key '{key}' in {what} at {_dotted(parent)}{hint}"
    if kind == "missing":
        parent, key = loc[:-1], loc[-1]
        return lines.value_line(parent), f"missing required key '{key}' in {_kind_of(parent)} at {_dotted(parent)}"
    if kind == "too_short" and loc and loc[-1] == "questions":
        return lines.line(loc), f"round '{loc[-2]}' has no questions; add at least one"
    if kind == "too_short" and loc and loc[-1] == "rounds":
        return lines.line(loc), "bank has no rounds; add at least one"
    if kind == "too_short" and loc and loc[-1] == "rubric":
        return lines.line(loc), f"{_dotted(loc)}: a question needs at least one rubric point"
    if kind == "string_pattern_mismatch":
        value = err.get("input")
        return lines.line(loc), f"{_dotted(loc)}: '{value}' must be kebab-case (lowercase letters, digits and '-')"
    if kind == "value_error":
        return lines.value_line(loc), f"{_dotted(loc)}: {err['msg'].removeprefix('Value error, ')}"
    if kind == "empty_slug":
        return lines.value_line(loc), err["msg"]
    if kind == "string_too_short":
        return lines.value_line(loc), f"{_dotted(loc)}: must not be empty"
    got = err.get("input")
    shown = f", got {type(got).__name__} {str(got)[:40]!r}" if not isinstance(got, (dict, list)) else f", got a {type(got).__name__}"
    words = _TYPE_WORDS.get(etype)
    message = f"{words}{shown}" if words else err["msg"][0].lower() + err["msg"][1:]
    return lines.value_line(loc), f"{_dotted(loc)}: {message}"


def _duplicate_ids(bank: BankModel) -> bool:
    ids = [q.id for _, q in bank.questions()]
    return len(ids) != len(set(ids))


def _duplicate_id_problems(data: Any, lines: _LineIndex) -> list[tuple[int, str]]:
    if not isinstance(data, dict) or not isinstance(data.get("rounds"), dict):
        return []
    first: dict[str, int] = {}
    out = []
    for round_id, rnd in data["rounds"].items():
        questions = rnd.get("questions") if isinstance(rnd, dict) else None
        for index, q in enumerate(questions if isinstance(questions, list) else []):
            qid = q.get("id") if isinstance(q, dict) else None
            if not isinstance(qid, str):
                continue
            line = lines.line(("rounds", round_id, "questions", index, "id"))
            if qid in first:
                out.append((line, f"duplicate question id '{qid}' (first at line {first[qid]})"))
            else:
                first[qid] = line
    return out


def question_key_lines(path: Path, key: str) -> dict[str, int]:
    """question id -> the line of its `key` (or of the question when it has no such key), for one bank file."""
    root = compose(_read(path))
    if root is None:
        return {}
    lines = _LineIndex(root)
    data = safe_load(_read(path))
    out: dict[str, int] = {}
    for round_id, rnd in (data.get("rounds") or {}).items():
        for index, question in enumerate(rnd.get("questions") or []):
            out[question["id"]] = lines.line(("rounds", round_id, "questions", index, key))
    return out


# ---- discovery -------------------------------------------------------------


def discover(extra_dirs: list[Path] | None = None) -> Catalog:
    """Every bank, parsed and validated now (commands use the bank index: history.index.catalog)."""
    found: list[tuple[str, Bank | BrokenBank]] = []
    for origin, folder in bank_sources(extra_dirs):
        for path in bank_files(folder):
            try:
                found.append((origin, load_bank(path, origin)))
            except BankError as exc:
                found.append((origin, BrokenBank(exc.problems[0].path, str(exc.problems[0]))))
    return Catalog.of(found)


def validate_paths(targets: list[Path] | None, extra_dirs: list[Path] | None = None) -> tuple[int, list[BankProblem]]:
    """(files checked, problems) for the given files/folders, or every discovered bank file."""
    if targets:
        missing = [t for t in targets if not t.exists()]
        if missing:
            raise UsageError(f"no such file or folder: {missing[0]} — pass a bank .yaml file or a folder of them")
        files = [f for t in targets for f in bank_files(t)]
    else:
        files = [f for _, folder in bank_sources(extra_dirs) for f in bank_files(folder)]
    problems = [p for f in files for p in validate_file(f)]
    return len(files), problems
