"""The one place drill parses YAML: the safe loader only, never one that builds Python objects.

libyaml's CSafeLoader is the same safe loader (SafeConstructor) with a C parser: about
ten times faster than yaml.safe_load's pure-Python parser on a full bank.

Before anything is built, check_shape walks the parser's events and refuses what would hurt:
aliases (a 342-byte "billion laughs" expands to gigabytes), nesting deeper than MAX_DEPTH
(the composer recurses: 1,000 levels raise RecursionError, 30,000 overflow the C stack),
more than MAX_NODES values and files over MAX_BYTES. Banks and answers files both come here.
"""

from __future__ import annotations

from typing import Any

import yaml

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_BYTES = 8_000_000  # the largest bank or answers file drill reads (a 10,000-question bank is ~3 MB)
MAX_DEPTH = 40  # a bank nests 7 levels (bank, rounds, round, questions, question, rubric, point)
MAX_NODES = 2_000_000  # scalars and collections, counted before anything is built


class RefusedYAML(yaml.MarkedYAMLError):
    """YAML drill refuses before building it: aliases, too deep, too large. `problem` is the message."""


def _refuse(problem: str, mark) -> RefusedYAML:
    return RefusedYAML(problem=problem, problem_mark=mark)


def check_shape(text: str) -> None:
    """Refuse aliases, nesting deeper than MAX_DEPTH and more than MAX_NODES nodes.

    Walks the parser's events, which the C parser produces from an explicit stack: nothing
    here recurses, and nothing is built, so a bomb or a 100,000-deep file costs one pass.
    """
    if len(text) > MAX_BYTES:
        raise _refuse(f"file too large ({len(text):,} characters; the limit is {MAX_BYTES:,})", None)
    depth = nodes = 0
    for event in yaml.parse(text, Loader=SAFE_LOADER):
        if isinstance(event, yaml.AliasEvent):
            raise _refuse(f"aliases (*{event.anchor}) are not allowed — write the value out in full",
                          event.start_mark)
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise _refuse("nested too deeply", event.start_mark)
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1
        if isinstance(event, yaml.NodeEvent):
            nodes += 1
            if nodes > MAX_NODES:
                raise _refuse(f"too many values (more than {MAX_NODES:,})", event.start_mark)


def safe_load(text: str) -> Any:
    check_shape(text)
    return yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 - SAFE_LOADER is a safe loader


def compose(text: str) -> yaml.Node | None:
    """The node tree (with line marks), built by the same safe loader."""
    check_shape(text)
    return yaml.compose(text, Loader=SAFE_LOADER)


def duplicate_keys(node: yaml.Node | None) -> list[tuple[int, str, int]]:
    """(line, key, first line) for every key repeated within one mapping, anywhere in the tree."""
    found: list[tuple[int, str, int]] = []
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key_node, value_node in current.value:
                key, line = str(key_node.value), key_node.start_mark.line + 1
                if isinstance(key_node, yaml.ScalarNode) and key in seen:
                    found.append((line, key, seen[key]))
                seen.setdefault(key, line)
                stack.append(value_node)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return sorted(found)
