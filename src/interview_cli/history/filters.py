"""--company and --role filters, resolved exactly as `drill COMPANY ROLE` resolves a bank.

A name matches by slug or alias, case-insensitively; an unknown one is a usage error naming the
closest match. The known names are the banks' (from the cached index, so no YAML is parsed for an
unchanged bank) and the history's, so a session imported from a bank you no longer have still counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from interview_cli.banks.sources import slugify
from interview_cli.errors import unknown_choice
from interview_cli.history.db import Store


@dataclass(frozen=True)
class Filters:
    """The slugs to filter on; None where no filter was given."""

    company: str | None = None
    role: str | None = None
    round: str | None = None


def resolve(store: Store, company: str | None, role: str | None, round_id: str | None = None,
            extra_dirs: list[Path] | None = None) -> Filters:
    if company is None and role is None and round_id is None:
        return Filters()
    from interview_cli.history.index import load_index

    banks = load_index(store, extra_dirs)
    practised = [tuple(r) for r in store.db.execute("SELECT DISTINCT company_slug, role_slug, round FROM sessions")]
    company_slug = None
    if company is not None:
        company_slug = slugify(company)
        known = {b.company_slug for b in banks} | {p[0] for p in practised}
        if company_slug not in known:
            raise unknown_choice("company", company, known, "drill banks list")
    role_slug = None if role is None else _role(banks, practised, company_slug, role)
    if round_id is not None:
        rounds = {p[2] for p in practised if company_slug in (None, p[0]) and role_slug in (None, p[1])}
        rounds |= {r for b in banks if company_slug in (None, b.company_slug) and role_slug in (None, b.role_slug)
                   for r in b.rounds}
        if round_id not in rounds:
            raise unknown_choice("round", round_id, rounds, "drill history")
    return Filters(company_slug, role_slug, round_id)


def _role(banks, practised, company_slug: str | None, role: str) -> str:
    role_names: dict[str, str] = {}  # any name or alias -> the role's slug
    for c, r, _ in practised:
        if company_slug in (None, c):
            role_names.setdefault(r, r)
    for bank in banks:
        if company_slug in (None, bank.company_slug):
            for name in bank.role_names:
                role_names[name] = bank.role_slug
    role_slug = role_names.get(slugify(role))
    if role_slug is None:
        named = next((b.company for b in banks if b.company_slug == company_slug), company_slug)
        kind = f"role for {named}" if company_slug else "role"
        see = f"drill banks show {company_slug} ROLE" if company_slug else "drill banks list"
        raise unknown_choice(kind, role, role_names, see)
    return role_slug
