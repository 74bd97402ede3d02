"""What a round works with, passed in rather than reached for: where to draw, where to store, how to score.

Like httpie's Environment: the command line builds one, tests build their own (a fake scorer, a
scripted UI) instead of patching module globals.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from interview_cli.rounds.options import RoundOptions
from interview_cli.rounds.ui import Progress, RoundUI

if TYPE_CHECKING:
    from interview_cli.history.db import Store
    from interview_cli.scoring.base import Scorer

ScorerFactory = Callable[[RoundOptions, "Progress | None"], "Scorer"]


def chosen_scorer(options: RoundOptions, progress: Progress | None) -> Scorer:
    """The scorer the options ask for: a model when one is configured, else offline."""
    from interview_cli.scoring.select import choose_scorer

    return choose_scorer(options.model, options.api_base, concurrency=options.concurrency, samples=options.samples,
                         progress=progress, session_model=options.session_model,
                         session_api_base=options.session_api_base)


@dataclass
class RoundContext:
    ui: RoundUI
    store: Store
    make_scorer: ScorerFactory = chosen_scorer
