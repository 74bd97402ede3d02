"""`drill history`, `report`, `stats`, `plan`, `export`, `import`: practice over time.

Only typer and the shared options are imported here; everything else (rich views, fsrs,
SQLite) is imported inside the command that needs it, so `drill --help` stays fast.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from interview_cli.cli.completion import complete_company, complete_role, complete_round, session_completer
from interview_cli.cli.options import BanksOption, JsonOption, QuietOption, terminal, warn_broken_banks

CompanyOption = Annotated[str | None, typer.Option("--company", "-c", autocompletion=complete_company, help="Only this company (name, slug or alias, as in drill COMPANY ROLE).")]
RoleOption = Annotated[str | None, typer.Option("--role", autocompletion=complete_role, help="Only this role (name, slug or alias, e.g. backend).")]
RoundOption = Annotated[str | None, typer.Option("--round", "-r", autocompletion=complete_round, help="Only this round id.")]


class ReportFormat(str, Enum):
    md = "md"
    json = "json"
    html = "html"


class ExportFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"


def _write_output(term, output: Path, text: str) -> None:
    from interview_cli import files

    files.write_text(output, text)
    term.raw(str(output))


def history(
    company: CompanyOption = None,
    role: RoleOption = None,
    round_id: RoundOption = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=0, help="Show at most N sessions (0 = all).")] = 20,
    banks: BanksOption = None,
    json_out: JsonOption = False,
    quiet: QuietOption = False,
) -> None:
    """List past sessions, newest first.

    A round left in progress with no activity for 12 hours shows as abandoned: continue it
    with drill resume ID, score what it has with drill score ID, or delete it with drill discard ID.

    \b
    Example: drill history --company netflix --role backend --limit 5
    Exit codes: 0 listed (also when empty); 2 usage error, or an unknown company, role or round.
    """
    from interview_cli.clock import now
    from interview_cli.history.db import Store, is_idle
    from interview_cli.history.filters import resolve
    from interview_cli.history.rows import RESUMABLE

    term = terminal(quiet=quiet or json_out)
    with Store(read_only=True) as store:
        only = resolve(store, company, role, round_id, banks)
        sessions = store.sessions(company=only.company, role=only.role, round_id=only.round,
                                  limit=limit + 1 if limit else None)  # one more: are there older ones?
        more = bool(limit) and len(sessions) > limit
        sessions = sessions[:limit] if limit else sessions
        answered = store.answered_counts([s.id for s in sessions])
        tests = store.test_totals([s.id for s in sessions])
        activity = store.last_activity([s.id for s in sessions])
    at = now()
    rows = [
        {
            "id": s.id, "company": s.company, "role": s.role, "company_slug": s.company_slug,
            "role_slug": s.role_slug, "round": s.round, "round_title": s.round_title, "started_at": s.started_at,
            "finished_at": s.finished_at, "status": s.status, "overall": s.overall, "scorer": s.scorer,
            "answered": answered.get(s.id, 0), "planned": len(s.plan), "last_activity": activity.get(s.id),
            "abandoned": s.status in RESUMABLE and is_idle(activity.get(s.id), at),
            "tests_passed": tests[s.id][0] if s.id in tests else None,
            "tests_total": tests[s.id][1] if s.id in tests else None,
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
    session_id: Annotated[str | None, typer.Argument(metavar="[SESSION_ID]", autocompletion=session_completer(), help="Session id or a unique prefix (default: the newest session; see: drill history).")] = None,
    last: Annotated[int | None, typer.Option("--last", min=1, metavar="N", help="The N newest sessions, newest first (md or json).")] = None,
    company: CompanyOption = None,
    role: RoleOption = None,
    round_id: RoundOption = None,
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="md for notes, json for scripts, html for a page.")] = ReportFormat.md,
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="FILE", help="Write to FILE and print its path.")] = None,
    scorer: Annotated[str | None, typer.Option("--scorer", metavar="offline|MODEL", help="Show this scorer's numbers (default: the newest scoring).")] = None,
    quiet: QuietOption = False,
) -> None:
    """Print or save one session's transcript and scores.

    SESSION_ID is the id shown by drill history (a unique prefix is enough); without it,
    the newest session, named on stderr. --last N reports the N newest sessions;
    --company, --role and --round narrow them as in drill history. Every scoring of a
    session is kept: the report shows the newest and lists the others; --scorer picks one.

    \b
    Examples:
      drill report 3f9a1c2e --format html --output report.html
      drill report                     # the newest session
      drill report --last 3 --format json --company netflix --role backend
      drill report 3f9a1c2e --scorer offline
    Exit codes: 0 printed or written; 2 no such session, or --output cannot be written.
    """
    from interview_cli.errors import UsageError
    from interview_cli.history import report as reports
    from interview_cli.history.db import Store
    from interview_cli.history.filters import resolve
    from interview_cli.sanitize import json_text

    if last is not None and session_id is not None:
        raise UsageError("give a SESSION_ID or --last N, not both — e.g. drill report --last 3")
    if session_id is not None and any((company, role, round_id)):
        raise UsageError("--company, --role and --round choose among the newest sessions — "
                         f"leave them out with a SESSION_ID: drill report {session_id}")
    if last is not None and fmt is ReportFormat.html:
        raise UsageError("--last works with --format md or json; an HTML report is one session: "
                         "drill report ID --format html")
    term = terminal(quiet=quiet)
    with Store(read_only=True) as store:
        if session_id is None:
            only = resolve(store, company, role, round_id)
            ids = [row.id for row in store.sessions(company=only.company, role=only.role, round_id=only.round,
                                                    limit=last or 1)]
            if not ids:
                term.show("No sessions match those filters." if any((company, role, round_id)) else
                          "No sessions yet — run one: drill general backend --round coding", markup=False)
                return
            if last is None:
                term.note(f"Report for the newest session: {reports.describe_session(store.session(ids[0]))}")
        else:
            ids = [session_id]
        results = [reports.session_result(store, sid, scorer) for sid in ids]
    if fmt is ReportFormat.json:
        text = json_text(results if last is not None else results[0], indent=2) + "\n"
    elif fmt is ReportFormat.html:
        from interview_cli.ui.views.html import render

        text = render(results[0])
    else:
        from interview_cli.sanitize import clean_data
        from interview_cli.ui.views.markdown import to_markdown

        text = "\n---\n\n".join(to_markdown(clean_data(result)) for result in results)
    if output is not None:
        _write_output(term, output, text)
    else:
        term.raw(text)


def stats(
    company: CompanyOption = None,
    role: RoleOption = None,
    banks: BanksOption = None,
    json_out: JsonOption = False,
    quiet: QuietOption = False,
) -> None:
    """Scores per round and topic, with trends and weakest topics.

    Ends with a chart of the overall score over time.

    \b
    Example: drill stats --company netflix --role backend
    Exit codes: 0 shown (also with no history yet); 2 usage error, or an unknown company or role.
    """
    from interview_cli.history import stats as stats_module
    from interview_cli.history.db import Store
    from interview_cli.history.filters import resolve

    term = terminal(quiet=quiet or json_out)
    with Store(read_only=True) as store:
        only = resolve(store, company, role, extra_dirs=banks)
        data = stats_module.compute(store, only.company, only.role)
    if json_out:
        term.json(data)
        return
    if not data["rounds"] and not data["timeline"]:
        term.show(_no_stats(only), markup=False, soft_wrap=True)
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
    if data.get("phase_time_use"):
        from interview_cli.history.stats import PHASE_SESSIONS

        term.result(Text(f"\nTime use per phase (last {PHASE_SESSIONS} sessions with phases)", style="bold"))
        for row in data["phase_time_use"]:
            line = Text(f"  {row['phase']:<20} {row['used_minutes']:>5.1f} of {row['budget_minutes']:.1f} min")
            if row["used_minutes"] > row["budget_minutes"] * 1.1:
                line.append("  over budget", style="yellow")
            if row["not_reached"]:
                line.append(f"  not reached in {row['not_reached']} of {row['answers']}", style="dim")
            term.result(line)
    if data.get("delivery"):
        term.result(Text(f"\nDelivery of spoken answers ({_plural(data['delivery']['answers'], 'answer')})",
                         style="bold"))
        for line in views.delivery_lines(data["delivery"]):
            term.result(line)
    chart = views.score_chart(data["timeline"], min(width, 100))
    if chart:
        term.result("")
        for line in chart:
            term.result(line, markup=False, highlight=False)


def _no_stats(only) -> str:
    """Why `drill stats` has nothing to show: no scored session (for the filters) yet."""
    if only.company and only.role:
        return f"No scored sessions for {only.company} {only.role} yet — practise: drill {only.company} {only.role}"
    if only.company or only.role:
        return f"No scored sessions for {only.company or only.role} yet — see: drill history"
    return "No scored sessions yet — run one: drill general backend --round coding"


def plan(
    company: Annotated[str | None, typer.Argument(metavar="COMPANY", autocompletion=complete_company, help="Company (default: every bank you have practised).")] = None,
    role: Annotated[str | None, typer.Argument(metavar="ROLE", autocompletion=complete_role, help="Role, e.g. backend.")] = None,
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
    broken: list = []
    items, _ = practice_plan.plan(company, role, count=count, round_id=round_id, extra_dirs=banks, problems=broken)
    warn_broken_banks(term, broken)
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
    from interview_cli import files
    from interview_cli.history import transfer as history_io
    from interview_cli.history.db import Store

    term = terminal(quiet=quiet)
    writer = history_io.write_csv if fmt is ExportFormat.csv else history_io.write_jsonl
    with Store(read_only=True) as store:
        if output is None:
            writer(store, term.stdout)
            term.stdout.flush()
            return
        with files.atomic_writer(output) as out:
            counts = writer(store, out)
    term.raw(str(output))
    what = "answer" if fmt is ExportFormat.csv else "session"
    term.note(f"exported {_plural(counts.get(what, 0), what)}")


def import_(
    file: Annotated[str, typer.Argument(metavar="FILE", help="A JSONL file from drill export ('-' reads stdin).")],
    json_out: JsonOption = False,
    quiet: QuietOption = False,
) -> None:
    """Import history written by drill export.

    Importing the same file twice adds nothing.

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
