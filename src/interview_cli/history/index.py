"""A cached index of every bank's questions, so `drill plan` need not parse YAML each time.

Each bank file's questions are kept in the `bank_index` table with the file's mtime and
size; a file is parsed (by bank_loader, the only parser) only when it is new or changed.
Folders come from bank_sources (as for discover()), later sources overriding earlier ones
for the same company and role, invalid files skipped.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from interview_cli.banks.sources import bank_files, bank_sources
from interview_cli.history.db import Store
from interview_cli.history.scheduling import Candidate


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
        """A loaded bank (bank.Bank) as the index keeps it."""
        return cls(
            company=bank.company, role=bank.role, company_slug=bank.company_slug, role_slug=bank.role_slug,
            role_names=sorted(bank.role_names), rounds=list(bank.rounds),
            questions=[{"id": q.id, "round": rid, "prompt": q.prompt, "minutes": q.minutes, "topics": list(q.topics)}
                       for rid, q in bank.questions()],
        )

    def candidates(self, round_id: str | None = None) -> list[Candidate]:
        """The bank's questions (of one round, if given) in bank order, for scheduling.rank_due."""
        return [
            Candidate(self.company_slug, self.role_slug, self.company, self.role, q["round"], q["id"], q["prompt"],
                      q["minutes"])
            for q in self.questions if round_id is None or q["round"] == round_id
        ]


def load_index(store: Store, extra_dirs: list[Path] | None = None,
               problems: list[str] | None = None) -> list[IndexedBank]:
    """Every valid bank, as discover() would find them, sorted by company and role. The first problem of
    each invalid bank file (`file:line: message`) is appended to `problems`."""
    files = [path for _, folder in bank_sources(extra_dirs) for path in bank_files(folder)]
    banks = []
    for text in _summaries(store, files):
        data = json.loads(text) if text is not None else {}
        if "problem" in data:
            if problems is not None:
                problems.append(data["problem"])
        elif data:
            banks.append(IndexedBank(**data))
    latest = {(b.company_slug, b.role_slug): b for b in banks}  # a later source overrides an earlier one
    return [latest[key] for key in sorted(latest)]


def _summaries(store: Store, files: list[Path]) -> list[str | None]:
    """Each file's IndexedBank as JSON ({"problem": ...} when it is not a valid bank), parsing only files new or
    changed since cached."""
    cached = {row[0]: tuple(row[1:]) for row in store.db.execute("SELECT path, mtime_ns, size, summary FROM bank_index")}
    out, updates = [], []
    for path in files:
        key, st = str(path.resolve()), path.stat()
        row = cached.get(key)
        if row is None or row[:2] != (st.st_mtime_ns, st.st_size):
            row = cached[key] = (st.st_mtime_ns, st.st_size, _summary(path))
            updates.append((key, *row))
        out.append(row[2])
    if updates:  # on a read-only or full disk the cache is skipped: parsed again next time
        store.write_cache("INSERT OR REPLACE INTO bank_index (path, mtime_ns, size, summary) VALUES (?,?,?,?)", updates)
    return out


def _summary(path: Path) -> str | None:
    from interview_cli.banks.loader import BankError, load_bank

    try:
        return json.dumps(asdict(IndexedBank.from_bank(load_bank(path))), ensure_ascii=False)
    except BankError as exc:
        return json.dumps({"problem": str(exc.problems[0])}, ensure_ascii=False)
