"""A cached index of every bank's questions, so `drill plan` need not parse YAML each time.

Each bank file's questions are kept in the `bank_index` table with the file's mtime and
size; a file is parsed (by bank_loader, the only parser) only when it is new or changed.
Folders come from bank_sources (as for discover()), later sources overriding earlier ones
for the same company and role, invalid files skipped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .bank_sources import bank_files, bank_sources, match_bank
from .scheduling import Candidate
from .storage import Store


@dataclass
class IndexedBank:
    company: str
    role: str
    company_slug: str
    role_slug: str
    role_names: list[str]
    rounds: list[str]
    questions: list[dict] = field(default_factory=list)  # {id, round, prompt, minutes, topics}

    def candidates(self, round_id: str | None = None) -> list[Candidate]:
        return [
            Candidate(self.company_slug, self.role_slug, self.company, self.role, q["round"], q["id"], q["prompt"],
                      q["minutes"])
            for q in self.questions if round_id is None or q["round"] == round_id
        ]


def _summary(bank) -> dict:
    return {
        "company": bank.company,
        "role": bank.role,
        "company_slug": bank.company_slug,
        "role_slug": bank.role_slug,
        "role_names": sorted(bank.role_names),
        "rounds": list(bank.rounds),
        "questions": [
            {"id": q.id, "round": rid, "prompt": q.prompt, "minutes": q.minutes, "topics": list(q.topics)}
            for rid, q in bank.questions()
        ],
    }


def load_index(store: Store, extra_dirs: list[Path] | None = None) -> list[IndexedBank]:
    """Every valid bank, as discover() would find them, sorted by company and role."""
    files = [(path, path.stat()) for _, folder in bank_sources(extra_dirs) for path in bank_files(folder)]
    cached = {row[0]: row for row in store.db.execute("SELECT path, mtime_ns, size, summary FROM bank_index")}
    summaries: dict[str, str | None] = {}
    stale = []
    for path, st in files:
        key = str(path.resolve())
        row = cached.get(key)
        if row is not None and row[1] == st.st_mtime_ns and row[2] == st.st_size:
            summaries[key] = row[3]
        else:
            stale.append((path, key, st))
    if stale:
        from .bank_loader import BankError, load_bank

        updates = []
        for path, key, st in stale:
            try:
                summary = json.dumps(_summary(load_bank(path)), ensure_ascii=False)
            except BankError:
                summary = None
            summaries[key] = summary
            updates.append((key, st.st_mtime_ns, st.st_size, summary))
        with store.transaction() as db:
            db.executemany("INSERT OR REPLACE INTO bank_index (path, mtime_ns, size, summary) VALUES (?,?,?,?)", updates)
    by_key: dict[tuple[str, str], IndexedBank] = {}
    for path, _ in files:
        text = summaries[str(path.resolve())]
        if text is None:
            continue
        bank = IndexedBank(**json.loads(text))
        by_key[(bank.company_slug, bank.role_slug)] = bank
    return sorted(by_key.values(), key=lambda b: (b.company_slug, b.role_slug))


def find(banks: list[IndexedBank], company: str, role: str) -> IndexedBank:
    return match_bank(banks, company, role)
