"""`drill plan`: tonight's set, the questions most due for review across the banks you practise."""

from __future__ import annotations

from pathlib import Path

from interview_cli.banks.sources import match_bank
from interview_cli.clock import iso
from interview_cli.errors import UsageError, unknown_choice
from interview_cli.history import index as question_index
from interview_cli.history import scheduling
from interview_cli.history.db import Store


def plan(company: str | None, role: str | None, *, count: int, round_id: str | None = None,
         extra_dirs: list[Path] | None = None,
         problems: list | None = None) -> tuple[list[dict], list[question_index.IndexedBank]]:
    """(items as in `drill plan --json`, the banks considered); invalid bank files go to `problems`."""
    if company is not None and role is None:
        raise UsageError(f"give both COMPANY and ROLE, or neither — e.g. drill plan {company} backend")
    with Store(read_only=True) as store:
        banks = question_index.load_index(store, extra_dirs, problems)
        if company is not None:
            chosen = [match_bank(banks, company, role)]
        else:
            practised = {tuple(r) for r in store.db.execute("SELECT DISTINCT company_slug, role_slug FROM cards")}
            chosen = [b for b in banks if (b.company_slug, b.role_slug) in practised] or banks
        if round_id is not None:
            with_round = [b for b in chosen if round_id in b.rounds]
            if not with_round:
                rounds = {r for b in chosen for r in b.rounds}
                see = f"drill banks show {chosen[0].company_slug} {chosen[0].role_slug}" if len(chosen) == 1 else "drill banks list"
                raise unknown_choice("round", round_id, rounds, see)
            chosen = with_round
        candidates = [c for bank in chosen for c in bank.candidates(round_id)]
        ranked = scheduling.rank_due(store, candidates)[:count]
    return [item_dict(item) for item in ranked], chosen


def item_dict(item: scheduling.DueItem) -> dict:
    c = item.candidate
    return {
        "id": c.question_id,
        "company": c.company_slug,
        "role": c.role_slug,
        "round": c.round,
        "prompt": c.prompt,
        "due": None if item.due is None else iso(item.due),
        "reason": item.reason,
        "kind": item.kind,
        "minutes": c.minutes,
        "retrievability": None if item.retrievability is None else round(item.retrievability, 3),
        "last_score": item.last_score,
    }


def run_commands(items: list[dict], round_id: str | None) -> list[str]:
    """One `drill COMPANY ROLE --due` per bank in the plan, in plan order."""
    per_bank: dict[tuple[str, str], int] = {}
    for item in items:
        key = (item["company"], item["role"])
        per_bank[key] = per_bank.get(key, 0) + 1
    suffix = f" --round {round_id}" if round_id else ""
    return [f"drill {company} {role} --due --count {n}{suffix}" for (company, role), n in per_bank.items()]
