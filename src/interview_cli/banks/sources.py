"""Bank facts that need no pydantic: where bank files live, how a name picks one, defaults.

Commands that only need the cached question index (`drill plan`) stay fast by using this.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, TypeVar

from interview_cli import paths
from interview_cli.errors import UsageError, unknown_choice

DEFAULT_QUESTION_MINUTES = 10.0  # a question with no time limit of its own, in a round with no budget


_FOLDED_SCRIPTS = ("LATIN", "GREEK", "CYRILLIC")  # accents on these letters fold away: café -> cafe


def slugify(text: str) -> str:
    """Lower-case words joined by '-': letters and digits of any script are kept, accents on Latin, Greek and
    Cyrillic letters folded, anything else a separator. 'Café Zoë' -> 'cafe-zoe', 'Яндекс' -> 'яндекс',
    '株式会社' -> '株式会社', '!!!' -> '' (which a bank must not be named)."""
    kept: list[str] = []
    folding = False
    for char in unicodedata.normalize("NFKD", text):
        if unicodedata.category(char).startswith("M"):
            if not folding:
                kept.append(char)  # a vowel sign or virama of Devanagari, Thai, ... is part of the letter
            continue
        folding = unicodedata.name(char, "").startswith(_FOLDED_SCRIPTS)
        kept.append(char)
    words, current = [], []
    for char in unicodedata.normalize("NFC", "".join(kept)).casefold():
        if char.isalnum() or unicodedata.category(char).startswith("M"):
            current.append(char)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return "-".join(words)


def empty_slug_problem(field: str, name: str) -> str | None:
    """`company '!!!' needs at least one letter or digit` when `name` slugs to nothing, else None."""
    if slugify(name):
        return None
    return f"{field} '{name}' needs at least one letter or digit (drill finds banks by it)"


def bank_sources(extra_dirs: list[Path] | None = None) -> list[tuple[str, Path]]:
    """(origin, folder) in increasing precedence: built-in, user dir, DRILL_BANKS, --banks."""
    sources = [("built-in", paths.builtin_banks_dir()), ("user", paths.user_banks_dir())]
    for entry in os.environ.get("DRILL_BANKS", "").split(os.pathsep):
        if entry.strip():
            sources.append(("DRILL_BANKS", Path(entry).expanduser()))
    for folder in extra_dirs or []:
        if not folder.exists():
            raise UsageError(f"--banks folder '{folder}' does not exist — pass a folder that holds <company>/<role>.yaml files")
        sources.append(("--banks", folder))
    return sources


def bank_files(folder: Path) -> list[Path]:
    if folder.is_file():
        return [folder]
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


class NamedBank(Protocol):
    company: str

    @property
    def company_slug(self) -> str: ...

    @property
    def role_names(self) -> set[str] | list[str]: ...


B = TypeVar("B", bound=NamedBank)


def match_bank(banks: Sequence[B], company: str, role: str) -> B:
    """The bank for a company and role, by slug or alias; a usage error naming the closest match."""
    company_slug = slugify(company)
    of_company = [b for b in banks if b.company_slug == company_slug]
    if not of_company:
        raise unknown_choice("company", company, {b.company_slug for b in banks}, "drill banks list")
    role_slug = slugify(role)
    for bank in of_company:
        if role_slug in bank.role_names:
            return bank
    names = {name for b in of_company for name in b.role_names}
    raise unknown_choice(f"role for {of_company[0].company}", role, names, f"drill banks show {company_slug} ROLE")
