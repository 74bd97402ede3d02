"""A cached index of every bank, so commands need not parse YAML or load pydantic each time.

Each bank file's validated data (or its first problem, when it does not load) is kept in the
`bank_index` table with the file's mtime and size; a file is parsed and validated (by
bank_loader, the only parser) only when it is new or changed. Folders come from bank_sources
(as for discover()), later sources overriding earlier ones for the same company and role.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from interview_cli.banks.snapshot import Bank, BrokenBank, Catalog
from interview_cli.banks.sources import bank_files, bank_sources
from interview_cli.history.db import Store


@dataclass
class IndexedBank:
    company: str
    role: str
    company_slug: str
    role_slug: str
    role_names: list[str]
    rounds: list[str]
    questions: list[dict] = field(default_factory=list)  # {id, round, prompt, minutes, topics}

    @classmethod
    def from_bank(cls, bank) -> IndexedBank:
        """The part of a bank (banks.snapshot.Bank) that plan and the filters use."""
        return cls(
            company=bank.company, role=bank.role, company_slug=bank.company_slug, role_slug=bank.role_slug,
            role_names=sorted(bank.role_names), rounds=list(bank.rounds),
            questions=[{"id": q.id, "round": rid, "prompt": q.prompt, "minutes": q.minutes, "topics": list(q.topics)}
                       for rid, q in bank.questions()],
        )

    def candidates(self, round_id: str | None = None) -> list:
        """The bank's questions (of one round, if given) in bank order, for scheduling.rank_due."""
        from interview_cli.history.scheduling import Candidate

        return [
            Candidate(self.company_slug, self.role_slug, self.company, self.role, q["round"], q["id"], q["prompt"],
                      q["minutes"])
            for q in self.questions if round_id is None or q["round"] == round_id
        ]


INDEX_FORMAT = 3  # summary: {"format": 3, "bank": validated data} or {"format": 3, "line": N, "problem": "..."}


def catalog(store: Store, extra_dirs: list[Path] | None = None) -> Catalog:
    """Every bank, as discover() would find them, from the index."""
    files = [(origin, path) for origin, folder in bank_sources(extra_dirs) for path in bank_files(folder)]
    found: list[tuple[str, Bank | BrokenBank]] = []
    for (origin, path), entry in zip(files, _entries(store, [path for _, path in files])):
        if "bank" in entry:
            found.append((origin, Bank.from_dict(entry["bank"], path, origin)))
        else:
            found.append((origin, BrokenBank(str(path), f"{path}:{entry['line']}: {entry['problem']}")))
    return Catalog.of(found)


def load_index(store: Store, extra_dirs: list[Path] | None = None,
               problems: list[BrokenBank] | None = None) -> list[IndexedBank]:
    """Every valid bank, as discover() would find them, sorted by company and role; each invalid bank
    file is appended to `problems`."""
    found = catalog(store, extra_dirs)
    if problems is not None:
        problems.extend(found.broken)
    return [IndexedBank.from_bank(bank) for bank in found.banks]


def _entries(store: Store, files: list[Path]) -> list[dict]:
    """Each file's index entry, parsing only files new or changed since cached."""
    cached = {row[0]: tuple(row[1:]) for row in store.db.execute("SELECT path, mtime_ns, size, summary FROM bank_index")}
    out, updates = [], []
    for path in files:
        key, st = str(path.resolve()), path.stat()
        row = cached.get(key)
        entry = json.loads(row[2]) if row is not None and row[2] else None
        if row is None or row[:2] != (st.st_mtime_ns, st.st_size) or (entry or {}).get("format") != INDEX_FORMAT:
            entry = _entry(path)
            cached[key] = (st.st_mtime_ns, st.st_size, json.dumps(entry, ensure_ascii=False))
            updates.append((key, *cached[key]))
        out.append(entry)
    if updates:  # on a read-only or full disk the cache is skipped: parsed again next time
        store.write_cache("INSERT OR REPLACE INTO bank_index (path, mtime_ns, size, summary) VALUES (?,?,?,?)", updates)
    return out


def _entry(path: Path) -> dict:
    from interview_cli.banks.loader import BankError, load_bank_data

    try:
        return {"format": INDEX_FORMAT, "bank": load_bank_data(path)}
    except BankError as exc:
        first = exc.problems[0]
        return {"format": INDEX_FORMAT, "line": first.line, "problem": first.message}
