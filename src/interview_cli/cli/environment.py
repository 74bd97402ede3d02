"""What the commands work with, made once per run and replaceable in tests (httpie's Environment).

`drill` builds the default; a test runs `interview_cli.__main__.main(argv, env=Environment(...))`
with a fake scorer instead of patching module globals. Kept free of imports: `drill --help` builds one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from interview_cli.rounds.context import ScorerFactory


def chosen_scorer(options, progress):
    """The scorer the round's options ask for (rounds.context.chosen_scorer, imported when used)."""
    from interview_cli.rounds.context import chosen_scorer

    return chosen_scorer(options, progress)


class Environment:
    def __init__(self, make_scorer: ScorerFactory = chosen_scorer):
        self.make_scorer = make_scorer


def current() -> Environment:
    """The Environment of the running command (the default one outside `main`)."""
    context = click.get_current_context(silent=True)
    root = context.find_root() if context else None
    return root.obj if root is not None and isinstance(root.obj, Environment) else Environment()
