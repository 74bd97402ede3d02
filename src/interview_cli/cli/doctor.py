"""`drill doctor`: check that the configured model can score, before a round depends on it."""

from __future__ import annotations



from interview_cli.cli.options import JsonOption, terminal
from interview_cli.cli.round import ApiBaseOption, ModelOption


def doctor(
    model: ModelOption = None,
    api_base: ApiBaseOption = None,
    json_out: JsonOption = False,
) -> None:
    """Check the model drill would score with.

    Checks its key or server, then makes one tiny scoring call.

    Reports the structured-output format the server accepted (json_schema, json_object or
    text) and how long the call took. Without a model (no --model, DRILL_MODEL or config.toml)
    the offline scorer is used and there is nothing to check.

    \b
    Example: drill doctor --model openai/local --api-base http://127.0.0.1:8080/v1
    Exit codes: 0 the model scored; 1 the call failed; 2 missing key, nothing listening, or usage error.
    """
    from interview_cli.redact import redact
    from interview_cli.scoring.check import check_model

    term = terminal(quiet=json_out)
    result = check_model(model, api_base)
    if result is None:
        data = {"model": None, "ok": True}
        message = "no model configured: drill scores offline (no key, no network) — nothing to check"
    else:
        data = {"model": result.model, "api_base": redact(result.api_base) if result.api_base else None, "ok": True,
                "response_format": result.response_format, "seconds": round(result.seconds, 2),
                "score": result.score}
        where = f" at {redact(result.api_base)}" if result.api_base else ""
        message = (f"ok: {result.model}{where} scored a test answer in {result.seconds:.1f} s "
                   f"using response_format {result.response_format}")
    if json_out:
        term.json(data)
    else:
        term.result(message, markup=False, soft_wrap=True)
