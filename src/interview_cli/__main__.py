"""Entry point for the `drill` console script and `python -m interview_cli`."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None, env=None) -> None:
    """Run drill. `env` (a cli.environment.Environment) replaces what commands work with, for tests."""
    import click

    from interview_cli.cli.app import app
    from interview_cli.cli.environment import Environment
    from interview_cli.errors import DrillError, ExitStatus

    debug = os.environ.get("DRILL_DEBUG") == "1"
    try:
        code = app(args=argv, prog_name="drill", standalone_mode=False, obj=env or Environment())
    except click.exceptions.NoArgsIsHelpError as exc:
        exc.show()
        sys.exit(ExitStatus.USAGE)
    except click.UsageError as exc:
        command = exc.ctx.command_path if exc.ctx else "drill"
        _print_error(f"{exc.format_message()} (see: {' '.join(command.split())} --help)")
        sys.exit(ExitStatus.USAGE)
    except click.exceptions.Abort:
        _print_error("interrupted")
        sys.exit(ExitStatus.INTERRUPTED)
    except DrillError as exc:
        if debug:
            raise
        _print_error(str(exc))
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        if debug:
            raise
        _print_error("interrupted")
        sys.exit(ExitStatus.INTERRUPTED)
    except Exception as exc:  # the last line of defence: one line, never a traceback
        if debug:
            raise
        from interview_cli.redact import redact

        _print_error(f"unexpected {exc.__class__.__name__}: {redact(exc)} (rerun with DRILL_DEBUG=1 for a traceback)")
        sys.exit(ExitStatus.FAILED)
    sys.exit(int(code or ExitStatus.OK))


def _print_error(message: str) -> None:
    from interview_cli.sanitize import clean

    sys.stderr.write(f"error: {clean(message, one_line=True)}\n")
    sys.stderr.flush()


if __name__ == "__main__":
    main()
