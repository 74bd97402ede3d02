"""A command class whose simple options skip typer's pydantic coercion layer.

Typer (0.2x) coerces every option of the invoked command through a pydantic TypeAdapter,
built on first use: importing pydantic-core's schema machinery and building the adapters
costs ~100-150 ms per invocation, half of the budget of `drill stats` and `drill plan`.

`FastCommand` gives options of plain types (bool, str, int with min/max, Path, list[Path],
str Enums, each optionally None) a small coercer with the same error messages, and leaves
any other parameter to typer. If typer's internals change shape, it leaves everything to typer.

    @app.command("stats", cls=FastCommand)

The root group's own options (--help, --install-completion, ...) are processed on every
command too; the same two hooks in the group class (speed_up(self) in __init__ and in
get_help_option) would save the rest of the cost.
"""

from __future__ import annotations

import types
import typing
from enum import Enum
from pathlib import Path
from typing import Any

from typer.core import TyperCommand

try:
    from typer._coercion import RuntimeParam
except ImportError:  # a typer without the adapter layer: nothing to speed up
    RuntimeParam = None  # type: ignore[assignment,misc]


def _plain(annotation: Any) -> tuple[Any, bool]:
    """(the annotation without `| None`, whether it is a list of it)."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) != 1:
            return None, False
        annotation = args[0]
        origin = typing.get_origin(annotation)
    if origin is list:
        (item,) = typing.get_args(annotation)
        return item, True
    return annotation, False


_TRUE, _FALSE = {"1", "true", "t", "yes", "y", "on"}, {"0", "false", "f", "no", "n", "off", ""}


def _to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    raise ValueError(f"{value!r} is not a valid boolean.")


def _coercer(annotation: Any, param: Any):
    """A function value -> coerced value raising ValueError, or None when typer should do it."""
    kind, _ = _plain(annotation)
    if kind is bool:
        return _to_bool
    if kind is str:
        return str
    if kind is Path:
        return Path
    if kind is int:
        low, high = getattr(param, "min", None), getattr(param, "max", None)

        def to_int(value: Any) -> int:
            try:
                number = int(value)
            except (TypeError, ValueError):
                raise ValueError(f"'{value}' is not a valid integer.") from None
            if (low is not None and number < low) or (high is not None and number > high):
                bounds = " and ".join(b for b in (f"x>={low}" if low is not None else "",
                                                  f"x<={high}" if high is not None else "") if b)
                raise ValueError(f"{number} is not in the range {bounds}.")
            return number

        return to_int
    if isinstance(kind, type) and issubclass(kind, Enum) and all(isinstance(m.value, str) for m in kind):

        def to_choice(value: Any) -> Enum:
            if isinstance(value, kind):
                return value
            for member in kind:
                if member.value == value:
                    return member
            raise ValueError(f"{value!r} is not one of {', '.join(repr(m.value) for m in kind)}.")

        return to_choice
    return None


if RuntimeParam is not None:

    class _FastRuntimeParam(RuntimeParam):
        """RuntimeParam.coerce handles None and multiple values; this converts one value or each item."""

        def __init__(self, parameter_info: Any, annotation: Any, convert: Any):
            super().__init__(parameter_info=parameter_info, annotation=annotation)
            object.__setattr__(self, "convert", convert)

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            from typer._click.exceptions import BadParameter

            try:
                if isinstance(value, (list, tuple)):
                    return [self.convert(item) for item in value]
                return self.convert(value)
            except ValueError as exc:
                raise BadParameter(str(exc), ctx=ctx, param=param) from None


def speed_up(command: Any, params: list | None = None) -> None:
    """Give a typer command's (or group's) plain options the light coercer, in place."""
    if RuntimeParam is None:
        return
    for param in params if params is not None else getattr(command, "params", []):
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is None or getattr(param, "_runtime_param", "missing") is not None:
            continue
        info = getattr(descriptor, "parameter_info", None)
        if getattr(descriptor, "file_annotation", None) is not None or getattr(info, "parser", None) is not None:
            continue
        convert = _coercer(descriptor.annotation, param)
        if convert is not None:
            param._runtime_param = _FastRuntimeParam(info, descriptor.annotation, convert)


class FastCommand(TyperCommand):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        speed_up(self)

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # made on first use, so not in self.params
        if option is not None:
            speed_up(self, [option])
        return option
