"""Shell completion: which shell's script to print or install, and the values each argument completes to.

Completers run on every Tab press, so they read the bank index and the history database only
(no YAML, no pydantic), and a failure completes nothing instead of printing a traceback.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click

SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")
COMPLETE_VAR = "_DRILL_COMPLETE"


def completion_request(args: list[str]) -> tuple[str, str | None] | None:
    """('install' | 'show', shell or None) when the command line is `drill --install-completion [SHELL]`
    or `drill --show-completion [SHELL]`; None otherwise."""
    if not args or args[0] not in ("--install-completion", "--show-completion"):
        return None
    action = "install" if args[0] == "--install-completion" else "show"
    rest = args[1:]
    if len(rest) > 1 or (rest and rest[0] not in SHELLS):
        from interview_cli.errors import UsageError

        raise UsageError(f"{args[0]} takes one shell, one of: {', '.join(SHELLS)} — e.g. drill {args[0]} zsh")
    return action, rest[0] if rest else None


def run_completion_request(action: str, shell: str | None) -> None:
    """Print or install the completion script for `shell` (default: the shell drill runs under)."""
    from typer._completion_shared import get_completion_script, install

    shell = shell or _detected_shell()
    if action == "show":
        click.echo(get_completion_script(prog_name="drill", complete_var=COMPLETE_VAR, shell=shell))
        return
    installed, path = install(shell=shell, prog_name="drill", complete_var=COMPLETE_VAR)
    click.secho(f"{installed} completion installed in {path}", fg="green")
    click.echo("Completion will take effect once you restart the terminal")


def _detected_shell() -> str:
    from interview_cli.errors import UsageError

    name = os.path.basename(os.environ.get("SHELL", ""))
    if name in SHELLS:
        return name
    raise UsageError(f"cannot tell which shell this is — name it, one of: {', '.join(SHELLS)} "
                     "(e.g. drill --install-completion zsh)")


# ---- what each argument completes to -------------------------------------------------------


@contextmanager
def _quietly() -> Iterator[None]:
    """A completer that fails completes nothing: never a traceback in the middle of a command line."""
    try:
        yield
    except Exception:  # noqa: BLE001 - completion is best effort
        pass


def _matching(values: list[tuple[str, str]], incomplete: str) -> list[tuple[str, str]]:
    seen: set[str] = set()
    out = []
    for value, help_text in values:
        if value.startswith(incomplete) and value not in seen:
            seen.add(value)
            out.append((value, help_text))
    return out


def _banks():
    from interview_cli.history.index import catalog
    from interview_cli.history.db import Store

    with Store() as store:
        return catalog(store, None).banks


FLAGS = {"--json", "--quiet", "-q", "--due", "--follow-ups", "--no-follow-ups", "--force", "-h", "--help"}
SUBCOMMANDS = {"plan", "banks", "show", "run"}


def _typed_words() -> list[str]:
    """The words typed after `drill`, before the one being completed (from the shell's completion request)."""
    import shlex

    if "COMP_WORDS" in os.environ:  # bash
        words = os.environ["COMP_WORDS"].split()
        words = words[:int(os.environ.get("COMP_CWORD", len(words)))]
    else:  # zsh, fish, powershell
        line = os.environ.get("_TYPER_COMPLETE_ARGS", "")
        try:
            words = shlex.split(line)
        except ValueError:
            words = line.split()
        if line and not line[-1].isspace():
            words = words[:-1]
    return words[1:]


def _company_and_role(ctx: click.Context) -> tuple[str | None, str | None]:
    """The company and role named so far, as arguments (`drill netflix backend`) or options (--company)."""
    if ctx.params.get("company"):
        return ctx.params["company"], ctx.params.get("role")
    words = _typed_words()
    named: dict[str, str] = {}
    positional = []
    skip = False
    for index, word in enumerate(words):
        if skip:
            skip = False
            continue
        if word in ("--company", "-c", "--role") and index + 1 < len(words):
            named["role" if word == "--role" else "company"] = words[index + 1]
            skip = True
        elif word.startswith("-"):
            skip = word not in FLAGS and "=" not in word
        elif word not in SUBCOMMANDS or positional:
            positional.append(word)
    positional += [None, None]
    return named.get("company", positional[0]), named.get("role", positional[1])


def complete_company(ctx: click.Context, args: list[str], incomplete: str) -> list[tuple[str, str]]:
    with _quietly():
        return _matching([(b.company_slug, b.company) for b in _banks()], incomplete)
    return []


def complete_role(ctx: click.Context, args: list[str], incomplete: str) -> list[tuple[str, str]]:
    from interview_cli.banks.sources import slugify

    with _quietly():
        company, _ = _company_and_role(ctx)
        company = slugify(company) if company else None
        return _matching([(name, b.role) for b in _banks() if company in (None, b.company_slug)
                          for name in sorted(b.role_names, key=lambda n: (n != b.role_slug, n))], incomplete)
    return []


def complete_round(ctx: click.Context, args: list[str], incomplete: str) -> list[tuple[str, str]]:
    """Round ids of the bank named so far (every bank's, before one is named)."""
    from interview_cli.banks.sources import slugify

    with _quietly():
        company, role = (slugify(name or "") for name in _company_and_role(ctx))
        banks = [b for b in _banks() if company in ("", b.company_slug) and (not role or role in b.role_names)]
        return _matching([(rid, rnd.title) for b in banks for rid, rnd in b.rounds.items()], incomplete)
    return []


def complete_model(ctx: click.Context, args: list[str], incomplete: str) -> list[tuple[str, str]]:
    """The model in DRILL_MODEL and config.toml, the models of recent sessions, and `offline`."""
    values: list[tuple[str, str]] = []
    with _quietly():
        if os.environ.get("DRILL_MODEL", "").strip():
            values.append((os.environ["DRILL_MODEL"].strip(), "DRILL_MODEL"))
        from interview_cli.scoring.select import read_config

        configured = read_config().get("model")
        if isinstance(configured, str) and configured.strip():
            values.append((configured.strip(), "config.toml"))
    with _quietly():
        from interview_cli.history.db import Store

        with Store() as store:
            rows = store.db.execute("SELECT scorer, json_extract(options, '$.model') FROM sessions"
                                    " ORDER BY started_at DESC LIMIT 200").fetchall()
        values += [(model, "used recently") for row in rows for model in row if model and model != "offline"]
    values.append(("offline", "the built-in offline scorer"))
    return _matching(values, incomplete)


def session_completer(statuses: tuple[str, ...] | None = None) -> Callable[..., list[tuple[str, str]]]:
    """Session ids, newest first, each with what it was (of these statuses, when given)."""

    def complete(ctx: click.Context, args: list[str], incomplete: str) -> list[tuple[str, str]]:
        with _quietly():
            from interview_cli.history.db import Store

            with Store() as store:
                where = f" AND status IN ({', '.join('?' * len(statuses))})" if statuses else ""
                rows = store.db.execute(
                    "SELECT id, company_slug, role_slug, round, substr(started_at, 1, 10), status FROM sessions"
                    f" WHERE substr(id, 1, ?) = ?{where} ORDER BY started_at DESC, rowid DESC LIMIT 50",
                    (len(incomplete), incomplete, *(statuses or ())))
                return [(r[0], f"{r[1]} {r[2]} {r[3]}, {r[4]}, {r[5]}") for r in rows]
        return []

    return complete
