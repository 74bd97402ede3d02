"""`drill resume`: continue an unfinished interactive session."""

from __future__ import annotations

from . import app  # noqa: F401
