"""The small Acme bank the scripted, LLM and llama-server tests run: a design round with each test's own questions."""

from __future__ import annotations

import textwrap
from pathlib import Path

ACME_HEADER = """\
company: Acme
role: Backend Engineer
aliases: [backend]
rounds:
  design:
    title: System design
    minutes: 30
    questions:
"""


def acme_bank(questions: str, more_rounds: str = "") -> str:
    """The bank's YAML: `questions` (a YAML list) in the design round, then `more_rounds` (YAML rounds)."""
    def block(text: str, indent: int) -> str:
        text = textwrap.dedent(text).strip("\n")
        return textwrap.indent(text, " " * indent) + "\n" if text else ""

    return ACME_HEADER + block(questions, 6) + block(more_rounds, 2)


def write_acme_bank(folder: Path, bank: str) -> Path:
    """Writes the bank as folder/banks/acme/backend.yaml; returns the banks folder for --banks."""
    banks = folder / "banks"
    (banks / "acme").mkdir(parents=True)
    (banks / "acme" / "backend.yaml").write_text(bank, encoding="utf-8")
    return banks
