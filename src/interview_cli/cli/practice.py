"""`drill history`, `report`, `stats`, `plan`, `export`, `import`: practice over time."""

from __future__ import annotations

from . import app  # noqa: F401
