"""`drill banks new`: a commented skeleton bank that validates as written."""

from __future__ import annotations

import json
from pathlib import Path

from interview_cli import files, paths
from interview_cli.banks.sources import empty_slug_problem, slugify
from interview_cli.errors import UsageError

SKELETON = """\
# A drill question bank (format v1.1). Check it with: drill banks validate {path}
# Keys: company, role, aliases, about, source, rounds. Unknown keys are errors.
company: {company}
role: {role}
aliases: [{role_slug}]            # other names `drill {company_slug} ROLE` accepts
about: |
  Describe how this company's interview loop runs: rounds, length, what they look for.
  The interviewer reads this aloud at the start of a round.
source: "Where these questions come from (your notes, a recruiter's email, ...)"
rounds:
  system-design:                  # round id, kebab-case: drill {company_slug} {role_slug} --round system-design
    title: System design
    minutes: 45                   # time budget for the round; sets how many questions a round asks
    about: One open-ended design problem, driven by the candidate.
    questions:
      - id: url-shortener         # kebab-case, unique in this file
        prompt: Design a URL shortener that serves 10,000 redirects per second.
        minutes: 40               # per-question time limit
        topics: [api-design, databases-indexing, caching]
        level: senior
        rubric:                   # what a strong answer covers; plain strings or {{point, weight}}
          - Estimates scale (writes per second, redirects per second, storage over five years)
          - point: Generates short codes without collisions (counter with base62, or hash with retry)
            weight: 2
          - Stores code-to-URL mappings in a key-value store keyed by the code
          - Caches hot redirects close to users and explains cache invalidation on delete
        red_flags:                # optional (v1.1): wrong claims or bad calls that cost points
          - Hashes the URL and truncates it without handling collisions
          - Writes to the database on every redirect instead of caching hot codes
        follow_ups:
          - How would you stop two writers from issuing the same short code?
        hints:
          - Start with the read-to-write ratio.
        reference: |
          Optional model answer, for your own study.
"""


def _yaml_text(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def write_skeleton(company: str, role: str, *, force: bool = False, folder: Path | None = None) -> Path:
    for field, name in (("company", company), ("role", role)):
        problem = empty_slug_problem(field, name)
        if problem:
            raise UsageError(f"{problem} — e.g. drill banks new \"Acme Corp\" backend")
    company_slug, role_slug = slugify(company), slugify(role)
    path = (folder or paths.user_banks_dir()) / company_slug / f"{role_slug}.yaml"
    if path.exists() and not force:
        raise UsageError(f"{path} already exists — edit it, or pass --force to overwrite it")
    text = SKELETON.format(path=path, company=_yaml_text(company), role=_yaml_text(role),
                           company_slug=company_slug, role_slug=role_slug)
    try:
        return files.write_text(path, text, overwrite=force)
    except FileExistsError:
        raise UsageError(f"{path} already exists — edit it, or pass --force to overwrite it") from None
