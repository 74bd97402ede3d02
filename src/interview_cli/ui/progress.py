"""Progress while drill works: a bar of answers scored."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from interview_cli.rounds.ui import Progress
from interview_cli.ui.terminal import Terminal


@contextlib.contextmanager
def scoring_bar(term: Terminal) -> Iterator[Progress]:
    from rich.progress import BarColumn, MofNCompleteColumn, SpinnerColumn, TextColumn
    from rich.progress import Progress as Bar

    columns = (SpinnerColumn(), TextColumn("Scoring your answers"), BarColumn(), MofNCompleteColumn())
    with Bar(*columns, console=term.out, transient=True) as bar:
        task = bar.add_task("scoring", total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)
