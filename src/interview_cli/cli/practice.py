"""`drill history`, `report`, `stats`, `plan`, `export`, `import`: practice over time.

Only typer and the shared options are imported here; everything else (rich views, fsrs,
SQLite) is imported inside the command that needs it, so `drill --help` stays fast.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from interview_cli.cli.options import BanksOption, JsonOption, QuietOption, terminal

CompanyOption = Annotated[str | None, typer.Option("--company", "-c", help="Only this company (name or slug).")]
RoleOption = Annotated[str | None, typer.Option("--role", help="Only this role (name or slug).")]
RoundOption = Annotated[str | None, typer.Option("--round", "-r", help="Only this round id.")]


class ReportFormat(str, Enum):
    md = "md"
    json = "json"
    html = "html"


class ExportFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"


def _slug(value: str | None) -> str | None:
    if value is None:
        return None
    from interview_cli.banks.sources import slugify

    return slugify(value) or value


def _write_output(term, output: Path, text: str) -> None:
    from interview_cli.errors import UsageError

    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror or exc} — pick another --output path") from None
    term.raw(str(output))


def history(
    company: CompanyOption = None,
    role: RoleOption = None,
    round_id: RoundOption = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=0, help="Show at most N sessions (0 = all).")] = 20,
    json_out: JsonOption = False,
    quiet: QuietOption = False,
) -> None:
    """List past sessions, newest first.

    \b
    Example: drill history --company netflix --limit 5
    Exit codes: 0 listed (also when empty); 2 usage error.
    """
    from interview_cli.history.db import Store

    term = terminal(quiet=quiet or json_out)
    with Store() as store:
        sessions = store.sessions(company=_slug(company), role=_slug(role), round_id=round_id,
                                  limit=limit + 1 if limit else None)  # one more: are there older ones?
        more = bool(limit) and len(sessions) > limit
        sessions = sessions[:limit] if limit else sessions
        answered = store.answered_counts([s.id for s in sessions])
    rows = [
        {
            "id": s.id, "company": s.company, "role": s.role, "company_slug": s.company_slug,
            "role_slug": s.role_slug, "round": s.round, "round_title": s.round_title, "started_at": s.started_at,
            "finished_at": s.finished_at, "status": s.status, "overall": s.overall, "scorer": s.scorer,
            "answered": answered.get(s.id, 0), "planned": len(s.plan),
        }
        for s in sessions
    ]
    if json_out:
        term.json(rows)
        return
    if not rows:
        filtered = any((company, role, round_id))
        term.show("No sessions match those filters." if filtered else
                  "No sessions yet — run one: drill general backend --round coding", markup=False)
        return
    from interview_cli.ui.views.practice import history_table

    term.result(history_table(rows, term.out.width))
    if more:
        term.show(f"Showing the newest {len(rows)} — more with: drill history --limit 0", markup=False, style="dim",
                  soft_wrap=True)


def report(
    session_id: Annotated[str, typer.Argument(metavar="SESSION_ID", help="Session id or a unique prefix (see: drill history).")],
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="md for notes, json for scripts, html for a page.")] = ReportFormat.md,
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="FILE", help="Write to FILE and print its path.")] = None,
    scorer: Annotated[str | None, typer.Option("--scorer", metavar="offline|MODEL", help="Show this scorer's numbers (default: the newest scoring).")] = None,
    quiet: QuietOption = False,
) -> None:
    """Print or save one session's transcript and scores.

    SESSION_ID is the id shown by drill history (a unique prefix is enough). Every scoring of
    the session is kept; the report shows the newest and lists the others.

    \b
    Example: drill report 3f9a1c2e --format html --output report.html
             drill report 3f9a1c2e --scorer offline
    Exit codes: 0 printed or written; 2 no such session, or --output cannot be written.
    """
    import json

    from interview_cli.history import report as reports
    from interview_cli.history.db import Store

    term = terminal(quiet=quiet)
    with Store() as store:
        result = reports.session_result(store, session_id, scorer)
    if fmt is ReportFormat.json:
        text = json.dumps(result, indent=2, ensure_ascii=False) + "\n"
    elif fmt is ReportFormat.html:
        from interview_cli.ui.views.html import render

        text = render(result)
    else:
        from interview_cli.sanitize import terminal_safe_data
        from interview_cli.ui.views.markdown import to_markdown

        text = to_markdown(terminal_safe_data(result))
    if output is not None:
        _write_output(term, output, text)
    else:
        term.raw(text)


def stats(
    company: CompanyOption = None,
    role: RoleOption = None,
    json_out: JsonOption = False,
    quiet: QuietOption = False,
) -> None:
    """Scores per round and topic with trends, weakest topics, a chart.

    \b
    Example: drill stats --company netflix
    Exit codes: 0 shown (also with no history yet); 2 usage error.
    """
    from interview_cli.history import stats as stats_module
    from interview_cli.history.db import Store

    term = terminal(quiet=quiet or json_out)
    with Store() as store:
        data = stats_module.compute(store, _slug(company), _slug(role))
        unmatched = None if json_out else stats_module.unmatched_filter(store, _slug(company), _slug(role))
    if json_out:
        term.json(data)
        return
    if not data["rounds"] and not data["timeline"]:
        term.show(_no_stats(company, role, unmatched), markup=False)
        return
    from rich.text import Text

    from interview_cli.ui.views import practice as views

    width = term.out.width
    term.result(Text(f"{_plural(data['sessions'], 'scored session')}", style="bold"))
    if data["rounds"]:
        bank = views.single_bank(data["rounds"], "company", "role")
        term.result(Text(f"\nBy round{f' ({bank})' if bank else ''}", style="bold"))
        term.result(views.rounds_table(data["rounds"]))
    if data["topics"]:
        term.result(Text("\nBy topic", style="bold"))
        term.result(views.topics_table(data["topics"]))
        term.result(Text("\nWeakest topics (mean of the last 5 answers)", style="bold"))
        for line in views.weakest_lines(data["weakest_topics"]):
            term.result(line)
    chart = views.score_chart(data["timeline"], min(width, 100))
    if chart:
        term.result("")
        for line in chart:
            term.result(line, markup=False, highlight=False)


def _no_stats(company: str | None, role: str | None, unmatched: str | None) -> str:
    """Why `drill stats` has nothing to show: a filter no session has, or no scored session (for it) yet."""
    if unmatched == "company":
        return f"No history for company '{company}' — see: drill history"
    if unmatched == "role":
        return f"No history for role '{role}'{f' at {company}' if company else ''} — see: drill history"
    if company or role:
        return f"No scored sessions for {' '.join(v for v in (company, role) if v)} yet — see: drill history"
    return "No scored sessions yet — run one: drill general backend --round coding"


def plan(
    company: Annotated[str | None, typer.Argument(metavar="COMPANY", help="Company (default: every bank you have practised).")] = None,
    role: Annotated[str | None, typer.Argument(metavar="ROLE", help="Role, e.g. backend.")] = None,
    count: Annotated[int, typer.Option("--count", "-n", min=1, help="How many questions.")] = 5,
    round_id: RoundOption = None,
    banks: BanksOption = None,
    json_out: JsonOption = False,
    quiet: QuietOption = False,
) -> None:
    """Tonight's practice set: the most due questions, and why.

    COMPANY and ROLE pick one bank; without them, every bank you have practised.

    \b
    Example: drill plan netflix backend --count 3
    Exit codes: 0 planned; 2 unknown company, role or round.
    """
    from interview_cli.history import plan as practice_plan

    term = terminal(quiet=quiet or json_out)
    items, _ = practice_plan.plan(company, role, count=count, round_id=round_id, extra_dirs=banks)
    if json_out:
        term.json(items)
        return
    if not items:
        term.show("Nothing to plan — no bank has questions that match.", markup=False)
        return
    from rich.text import Text

    from interview_cli.banks.sources import DEFAULT_QUESTION_MINUTES
    from interview_cli.ui.views.practice import plan_table

    term.result(plan_table(items, term.out.width))
    minutes = sum(i["minutes"] or DEFAULT_QUESTION_MINUTES for i in items)
    term.show(Text(f"About {minutes:g} minutes. Run it:", style="dim"))
    for line in practice_plan.run_commands(items, round_id):
        term.show(f"  {line}", markup=False)


def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="jsonl: lossless, importable; csv: one row per answer.")] = ExportFormat.jsonl,
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="FILE", help="Write to FILE (default: stdout) and print its path.")] = None,
    quiet: QuietOption = False,
) -> None:
    """Export all history (sessions, answers, scores, reviews, cards).

    \b
    Example: drill export --output drill-history.jsonl
    Exit codes: 0 exported; 2 --output cannot be written, or another usage error.
    """
    import io

    from interview_cli.history import transfer as history_io
    from interview_cli.history.db import Store

    term = terminal(quiet=quiet)
    writer = history_io.write_csv if fmt is ExportFormat.csv else history_io.write_jsonl
    with Store() as store:
        if output is None:
            writer(store, term.stdout)
            term.stdout.flush()
            return
        buffer = io.StringIO(newline="")
        counts = writer(store, buffer)
    _write_output(term, output, buffer.getvalue())
    what = "answer" if fmt is ExportFormat.csv else "session"
    term.note(f"exported {_plural(counts.get(what, 0), what)}")


def import_(
    file: Annotated[str, typer.Argument(metavar="FILE", help="A JSONL file from drill export ('-' reads stdin).")],
    json_out: JsonOption = False,
    quiet: QuietOption = False,
) -> None:
    """Import history from drill export (importing twice adds nothing).

    FILE is a .jsonl file written by drill export, or - for stdin.

    \b
    Example: drill import drill-history.jsonl
    Exit codes: 0 imported; 2 a bad or unreadable file (FILE:LINE says where; nothing imported).
    """
    from interview_cli.history import transfer as history_io
    from interview_cli.history.db import Store

    term = terminal(quiet=quiet or json_out)
    with Store() as store:
        summary = history_io.import_path(store, file)
    if json_out:
        term.json(summary)
        return
    added, present = summary["added"], summary["already_present"]
    if not any(added.values()):
        term.show(f"Nothing new: {_already_here(present['session'], file)}.", markup=False, soft_wrap=True)
        return
    line = "Imported " + ", ".join(_plural(added[kind], kind) for kind in ("session", "answer", "score", "review"))
    if present["session"]:
        line += f" ({_plural(present['session'], 'session')} already here)"
    term.show(f"{line}; {_plural(summary['cards_rebuilt'], 'card')} rescheduled.", markup=False, soft_wrap=True)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _already_here(sessions: int, file: str) -> str:
    if sessions == 0:
        return f"everything in {file} is already here"
    if sessions == 1:
        return f"the 1 session in {file} is already here"
    return f"all {sessions} sessions in {file} are already here"
