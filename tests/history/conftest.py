"""Fixtures of the practice-history tests."""

from __future__ import annotations

import pytest
from practice_helpers import Env, seed_history


@pytest.fixture
def env(tmp_path) -> Env:
    """A drill home holding the seeded practice history (practice_helpers.seed_history)."""
    env = Env(tmp_path)
    seed_history(env)
    return env
