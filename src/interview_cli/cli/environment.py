"""What the commands work with, made once per run and replaceable in tests (httpie's Environment).

`drill` builds the default; a test runs `interview_cli.__main__.main(argv, env=Environment(...))`
with a fake scorer instead of patching module globals.
"""

from __future__ import annotations

from dataclasses import dataclass

import click

from interview_cli.rounds.context import ScorerFactory, chosen_scorer


@dataclass
class Environment:
    make_scorer: ScorerFactory = chosen_scorer


def current() -> Environment:
    """The Environment of the running command (the default one outside `main`)."""
    context = click.get_current_context(silent=True)
    root = context.find_root() if context else None
    return root.obj if root is not None and isinstance(root.obj, Environment) else Environment()
