"""The LLM scorer: any model litellm can reach judges answers against the rubric.

litellm is imported lazily, inside the functions that call a model, so `drill --help`
and the offline scorer never pay for it. Before the import we set
LITELLM_LOCAL_MODEL_COST_MAP=True (no network fetch of the price list) and after it
`suppress_debug_info`, so litellm prints nothing of its own. The import (2-3 s) happens
before the retry clock starts, so it never eats into the retry budget; `warm_up()` lets a
caller pay it early, e.g. from a background thread while the candidate is still typing.

Structured output, in order of preference (remembered per model + api_base for the process):
    json_schema  response_format={"type": "json_schema", ... "strict": true}
    json_object  response_format={"type": "json_object"}   (llama.cpp's server, older vLLM, ...)
    text         no response_format; the tolerant parser finds the JSON in the reply
Which step comes next is decided by what the server said, not by its status: any error whose
body names response_format, json_schema or the schema (llama-cpp-python's server answers 500
"Input should be 'text' or 'json_object'"), or litellm's UnsupportedParamsError, moves one step
down at once, without a retry. In json_object mode the judge's schema rides along as
response_format.schema, which llama-cpp-python turns into a grammar. A reply that is not valid
judge JSON (or a 200 that is not a chat completion at all, e.g. a proxy's HTML page) is sent back
to the model once with the validation error; a second bad reply is a ScoringError
(`_ask_with_repair`, shared with the follow-up writer).

Faults: 429, 5xx, timeouts and refused connections are retried with exponential backoff
and jitter until `retry_budget` seconds (default 60) have passed since the first attempt
(the clock starts after litellm is imported);
litellm's and the OpenAI SDK's own retries are switched off (num_retries=0, max_retries=0).
Authentication errors (401, 403, "missing credentials") are never retried, whatever class
litellm gives them. Anything else fails at once. Every failure becomes ScoringError(one line from
scoring.exceptions), with secrets redacted and no traceback.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import logging
import os
import random
import re
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from typing import Any, TypeVar

from interview_cli.banks.snapshot import Question
from interview_cli.errors import ScoringError
from interview_cli.redact import redact
from interview_cli.scoring.base import AnswerScore, Exchange
from interview_cli.scoring.exceptions import BY_NAME
from interview_cli.scoring.judge import (
    JUDGE_MAX_TOKENS,
    build_clarify_messages,
    build_follow_up_messages,
    build_judge_messages,
    clean_clarify,
    clean_follow_up,
    combine_samples,
    empty_answer_score,
    follow_up_repair_message,
    json_object_format,
    json_schema_format,
    parse_judgement,
    repair_message,
    to_answer_score,
)

Progress = Callable[[int, int], None]
T = TypeVar("T")
Messages = list[dict[str, str]]

DEFAULT_TIMEOUT = 120.0  # seconds one request may take (local models on a CPU are slow)
DEFAULT_RETRY_BUDGET = 60.0  # no retry starts later than this after the first attempt
DEFAULT_BACKOFF_BASE = 1.0  # first backoff; doubles each retry, with jitter
DEFAULT_BACKOFF_MAX = 16.0
SAMPLE_TEMPERATURE = 0.7  # when samples > 1, so the samples can differ; otherwise 0
FOLLOW_UP_TEMPERATURE = 0.7

FORMAT_MODES = ("json_schema", "json_object", "text")

INVALID_REPLY_MESSAGE = (
    "{model} did not return a usable {what} even after being shown the problem ({detail}) — choose a "
    "stronger --model"
)
UNEXPECTED_MESSAGE = "the call to {model} failed unexpectedly ({detail}) — check --model and --api-base"

_FORMAT_WORDS = re.compile(r"response[_ ]format|json[_ ]schema|json[_ ]object|structured output|schema", re.I)
_AUTH_WORDS = re.compile(
    r"missing credentials|api[_ ]key (?:is )?(?:missing|not set|required)|set the \w+_API_KEY|invalid[_ ]api[_ ]key"
    r"|incorrect api key|unauthori[sz]ed",
    re.I,
)
# litellm's words for a 200 whose body is not a chat completion (an HTML page from a proxy, ...)
_NOT_A_COMPLETION = re.compile(r"empty or invalid response from llm endpoint|invalid response object", re.I)


class InvalidReply(Exception):
    """The model answered, twice, but not in a usable form."""

    def __init__(self, what: str, detail: str):
        super().__init__(detail)
        self.what = what
        self.detail = detail


class UnusableReply(ValueError):
    """The server answered 200 with something that is not a chat completion: an invalid reply, not an outage."""


# ---- lazy litellm ------------------------------------------------------------------------------


def _litellm() -> Any:
    os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"
    import litellm

    litellm.suppress_debug_info = True
    if not os.environ.get("LITELLM_LOG"):  # litellm's own log lines stay out of drill's output
        for name in ("LiteLLM", "LiteLLM Router", "LiteLLM Proxy"):
            logging.getLogger(name).setLevel(logging.CRITICAL)
    return litellm


def warm_up() -> bool:
    """Import (and configure) litellm now, so the first model call does not pay for it.

    Safe to call from any thread and more than once; after the first call it costs next to
    nothing. Never raises: False when litellm cannot be imported (the real call will then
    report the problem as a ScoringError).
    """
    try:
        _litellm()
    except Exception:  # noqa: BLE001 - a warm-up must not crash its (background) caller
        return False
    return True


async def _drain_litellm_logging() -> None:
    """Let litellm's background logging worker finish on this loop before the loop closes
    (otherwise Python warns about coroutines that were never awaited)."""
    try:
        from litellm.litellm_core_utils.logging_worker import GLOBAL_LOGGING_WORKER
    except Exception:  # pragma: no cover - other litellm layouts
        return
    try:
        await asyncio.wait_for(GLOBAL_LOGGING_WORKER.flush(), timeout=2.0)
    except Exception:
        pass
    try:
        await GLOBAL_LOGGING_WORKER.stop()
    except Exception:
        pass


def _run(make_coro: Callable[[], Awaitable[Any]]) -> Any:
    """Run a coroutine to completion from sync code, even when a loop is already running."""

    async def main() -> Any:
        try:
            return await make_coro()
        finally:
            if "litellm" in sys.modules:
                await _drain_litellm_logging()

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(main())
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, main()).result()


# ---- response-format memory ----------------------------------------------------------------------

_format_memory: dict[tuple[str, str | None], str] = {}
_format_lock = threading.Lock()


def remembered_format(model: str, api_base: str | None) -> str:
    with _format_lock:
        return _format_memory.get((model, api_base), FORMAT_MODES[0])


def remember_format(model: str, api_base: str | None, mode: str) -> None:
    with _format_lock:
        current = _format_memory.get((model, api_base), FORMAT_MODES[0])
        if FORMAT_MODES.index(mode) > FORMAT_MODES.index(current):  # only ever step down
            _format_memory[(model, api_base)] = mode


def forget_formats() -> None:
    with _format_lock:
        _format_memory.clear()


def next_format(mode: str, exc: BaseException) -> str | None:
    """The format to try after `exc`, when `exc` is the server refusing the current one: judged by
    what it said (any status: llama-cpp-python refuses json_schema with a 500), never for a bad key."""
    if mode == FORMAT_MODES[-1] or not rejects_format(exc):
        return None
    return FORMAT_MODES[FORMAT_MODES.index(mode) + 1]


def rejects_format(exc: BaseException) -> bool:
    """The server refused the request's response_format (or a parameter litellm knows it lacks)."""
    if is_auth_error(exc) or isinstance(exc, UnusableReply):
        return False
    info = BY_NAME.get(type(exc).__name__)
    if (info is not None and not info.about_format) or _status(exc) in (408, 429):
        return False
    return type(exc).__name__ == "UnsupportedParamsError" or bool(_FORMAT_WORDS.search(str(exc)))


# ---- errors ------------------------------------------------------------------------------------


def _status(exc: BaseException) -> int | None:
    status = getattr(exc, "status_code", None)
    return status if isinstance(status, int) else None


def is_auth_error(exc: BaseException) -> bool:
    """A rejected or missing key: retrying cannot help, so it is never retried."""
    names = {c.__name__ for c in type(exc).__mro__}
    if names & {"AuthenticationError", "PermissionDeniedError"} or _status(exc) in (401, 403):
        return True
    return bool(_AUTH_WORDS.search(str(exc)))


def is_retryable(exc: BaseException) -> bool:
    if is_auth_error(exc) or isinstance(exc, UnusableReply):
        return False
    infos = [BY_NAME.get(c.__name__) for c in type(exc).__mro__]
    own = infos[0].retry if infos[0] is not None else None
    if own is False or (own is None and any(i is not None and i.retry is False for i in infos)):
        return False
    if own:
        return True
    status = _status(exc)
    return status is not None and (status in (408, 429) or status >= 500)


def server_detail(exc: BaseException, limit: int = 200) -> str:
    """The server's own words from a litellm exception, without litellm's prefixes, one line."""
    text = str(exc) or type(exc).__name__
    text = re.sub(r"\s+", " ", text).strip()
    for _ in range(4):
        text = re.sub(r"^(?:litellm\.)?\w+(?:Error|Exception|Timeout)\s*[:\-]\s*", "", text).strip()
    text = re.sub(r"\s*Received Model Group=.*$", "", text)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text or type(exc).__name__


def _where(model: str, api_base: str | None) -> str:
    if api_base:
        return api_base
    provider = model.split("/", 1)[0] if "/" in model else "model provider's"
    return f"the {provider} API"


def error_message(exc: BaseException, model: str, api_base: str | None, budget: float = DEFAULT_RETRY_BUDGET) -> str:
    """One redacted line for any failure of a model call."""
    fields = {
        "model": model,
        "where": _where(model, api_base),
        "detail": server_detail(exc),
        "budget": f"{budget:g}",
    }
    if isinstance(exc, InvalidReply):
        fields.update(what=exc.what, detail=exc.detail[:200])
        return redact(INVALID_REPLY_MESSAGE.format(**fields))
    template = None
    if is_auth_error(exc) and not any(c.__name__ == "PermissionDeniedError" for c in type(exc).__mro__):
        template = BY_NAME["AuthenticationError"].message
    if type(exc).__name__ == "InternalServerError" and "connection error" in str(exc).lower():
        template = BY_NAME["APIConnectionError"].message  # how the OpenAI SDK reports a refused connection
    for cls in type(exc).__mro__:
        if template is None and cls.__name__ in BY_NAME and cls.__module__.startswith(("litellm", "openai")):
            template = BY_NAME[cls.__name__].message
    if template is None:
        fields["detail"] = f"{type(exc).__name__}: {fields['detail']}"
        template = UNEXPECTED_MESSAGE
    return redact(" ".join(template.format(**fields).split()))


# ---- the model client ------------------------------------------------------------------------------


class ModelClient:
    """Calls one model through litellm with drill's retry, backoff and format-fallback policy."""

    def __init__(
        self,
        model: str,
        api_base: str | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        retry_budget: float = DEFAULT_RETRY_BUDGET,
        backoff_base: float = DEFAULT_BACKOFF_BASE,
        backoff_max: float = DEFAULT_BACKOFF_MAX,
        litellm_kwargs: dict[str, Any] | None = None,
    ):
        if not model or not model.strip():
            raise ScoringError("no model given — pass --model PROVIDER/MODEL, e.g. --model openai/gpt-4o-mini")
        self.model = model.strip()
        self.api_base = api_base.strip().rstrip("/") if api_base and api_base.strip() else None
        self.timeout = timeout
        self.retry_budget = retry_budget
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self.litellm_kwargs = dict(litellm_kwargs or {})  # extra acompletion arguments (tests: mock_response)

    def backoff(self, attempt: int) -> float:
        """Delay before retry number `attempt` (1-based): exponential, 'equal jitter'."""
        ceiling = min(self.backoff_max, self.backoff_base * 2 ** (attempt - 1))
        return ceiling / 2 + random.uniform(0, ceiling / 2)

    def _api_key(self) -> str | None:
        # Local OpenAI-compatible servers (llama.cpp, vLLM, LM Studio) usually want no key, but the
        # OpenAI SDK refuses to send a request without one: give it a placeholder.
        if self.api_base and self.model.startswith("openai/") and not os.environ.get("OPENAI_API_KEY"):
            return "no-key-needed"
        return None

    async def complete(
        self, messages: list[dict[str, str]], mode: str, temperature: float | None, question: Question | None = None
    ) -> str:
        """One request (no retries); the reply's text. `question` narrows the judge's schema to its rubric."""
        litellm = _litellm()
        kwargs: dict[str, Any] = {
            "model": self.model,
            "messages": messages,
            "timeout": self.timeout,
            "num_retries": 0,
            "max_retries": 0,
            "drop_params": True,
        }
        if self.api_base:
            kwargs["api_base"] = self.api_base
        api_key = self._api_key()
        if api_key:
            kwargs["api_key"] = api_key
        if temperature is not None:
            kwargs["temperature"] = temperature
        if mode == "json_schema":
            kwargs["response_format"] = json_schema_format(question)
        elif mode == "json_object":
            kwargs["response_format"] = json_object_format(question)
        if question is not None and mode != "json_schema":
            kwargs["max_tokens"] = JUDGE_MAX_TOKENS
        kwargs.update(self.litellm_kwargs)
        try:
            response = await litellm.acompletion(**kwargs)
        except Exception as exc:
            if _NOT_A_COMPLETION.search(str(exc)):
                raise UnusableReply(f"the server answered with something that is not a chat completion: "
                                    f"{server_detail(exc, 120)}") from None
            raise
        try:
            content = response.choices[0].message.content
        except (AttributeError, IndexError, KeyError, TypeError):
            content = None
        return content if isinstance(content, str) else ""

    async def with_retries(self, call: Callable[[], Awaitable[str]]) -> str:
        # litellm's import (2-3 s, more on a busy machine) is not the server's fault: pay it
        # before the clock starts, or a short budget is spent before the first request is sent.
        _litellm()
        start = time.monotonic()
        attempt = 0
        while True:
            try:
                return await call()
            except Exception as exc:
                if not is_retryable(exc) or rejects_format(exc):  # a refused format is not retried as is
                    raise
                attempt += 1
                delay = self.backoff(attempt)
                retry_after = _retry_after(exc)
                if retry_after is not None:
                    delay = max(delay, retry_after)
                if time.monotonic() - start + delay > self.retry_budget:
                    raise
                await asyncio.sleep(delay)

    async def complete_structured(
        self, messages: list[dict[str, str]], temperature: float | None, question: Question | None = None
    ) -> str:
        """A request for JSON, stepping down json_schema → json_object → text as the server demands."""
        mode = remembered_format(self.model, self.api_base)
        while True:
            try:
                return await self.with_retries(functools.partial(self.complete, messages, mode, temperature, question))
            except Exception as exc:
                fallback = next_format(mode, exc)
                if fallback is None:
                    raise
                remember_format(self.model, self.api_base, fallback)
                mode = remembered_format(self.model, self.api_base)

    def message(self, exc: BaseException) -> str:
        return error_message(exc, self.model, self.api_base, self.retry_budget)


def _retry_after(exc: BaseException) -> float | None:
    """A server's Retry-After (seconds), when it sent one; capped at 30 s."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if not headers:
        return None
    try:
        value = headers.get("retry-after")
        return min(30.0, max(0.0, float(value))) if value is not None else None
    except (TypeError, ValueError):
        return None


# ---- the scorer ----------------------------------------------------------------------------------


class LLMScorer:
    """Judges each answer with the model; `name` (shown in reports) is the model name."""

    def __init__(
        self,
        model: str,
        api_base: str | None = None,
        *,
        concurrency: int = 4,
        samples: int = 1,
        progress: Progress | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        retry_budget: float = DEFAULT_RETRY_BUDGET,
        backoff_base: float = DEFAULT_BACKOFF_BASE,
        backoff_max: float = DEFAULT_BACKOFF_MAX,
        litellm_kwargs: dict[str, Any] | None = None,
    ):
        self.client = ModelClient(
            model,
            api_base,
            timeout=timeout,
            retry_budget=retry_budget,
            backoff_base=backoff_base,
            backoff_max=backoff_max,
            litellm_kwargs=litellm_kwargs,
        )
        self.name = self.client.model
        self.api_base = self.client.api_base
        self.concurrency = max(1, int(concurrency))
        self.samples = max(1, int(samples))
        self.progress = progress

    def score(self, exchanges: Sequence[Exchange]) -> list[AnswerScore]:
        exchanges = list(exchanges)
        if not exchanges:
            return []
        try:
            return _run(lambda: self._score_all(exchanges))
        except ScoringError as exc:
            raise ScoringError(redact(str(exc))) from None
        except Exception as exc:
            raise ScoringError(self.client.message(exc)) from None

    async def _score_all(self, exchanges: list[Exchange]) -> list[AnswerScore]:
        semaphore = asyncio.Semaphore(self.concurrency)
        total, done = len(exchanges), 0
        temperature = 0.0 if self.samples == 1 else SAMPLE_TEMPERATURE

        async def one_sample(exchange: Exchange) -> AnswerScore:
            async with semaphore:
                return await self._judge(exchange, temperature)

        async def one_answer(exchange: Exchange) -> AnswerScore:
            nonlocal done
            if not exchange.full_answer.strip():
                result = empty_answer_score(exchange.question, self.name)
            else:
                results = await asyncio.gather(*(one_sample(exchange) for _ in range(self.samples)))
                result = combine_samples(results)
            done += 1
            if self.progress is not None:
                self.progress(done, total)
            return result

        tasks = [asyncio.ensure_future(one_answer(e)) for e in exchanges]
        try:
            return list(await asyncio.gather(*tasks))
        except BaseException:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            raise

    async def _judge(self, exchange: Exchange, temperature: float | None) -> AnswerScore:
        question = exchange.question
        output = await _ask_with_repair(
            functools.partial(self.client.complete_structured, temperature=temperature, question=question),
            build_judge_messages(exchange),
            functools.partial(parse_judgement, question=question),
            repair_message,
            what=f"judgement for '{question.id}'",
            echo_chars=8000,
        )
        return untrusted_output_redacted(to_answer_score(output, question, self.name))


def untrusted_output_redacted(score: AnswerScore) -> AnswerScore:
    """Model output is untrusted: any key it echoes (whole, in part, or in a URL) is masked before it is stored."""
    points = tuple(
        replace(p, evidence=redact(p.evidence) if p.evidence else p.evidence, note=redact(p.note) if p.note else p.note)
        for p in score.points
    )
    return replace(score, feedback=redact(score.feedback), points=points)


async def _ask_with_repair(
    ask: Callable[[Messages], Awaitable[str]],
    messages: Messages,
    accept: Callable[[str], T],
    repair: Callable[[str], dict[str, str]],
    *,
    what: str,
    echo_chars: int,
) -> T:
    """Ask, and when `accept` rejects the reply (ValueError), show the model its reply and the
    problem once and ask again; a second unusable reply is InvalidReply(what, reason)."""
    for attempt in (1, 2):
        text = ""
        try:
            text = await ask(messages)
            return accept(text)
        except ValueError as err:  # UnusableReply too: a 200 that is not a completion is a bad reply
            if attempt == 2:
                raise InvalidReply(what, str(err)) from None
            messages = [
                *messages,
                {"role": "assistant", "content": text[:echo_chars] or "(empty reply)"},
                repair(str(err)),
            ]
    raise AssertionError("unreachable")  # pragma: no cover


# ---- the follow-up writer --------------------------------------------------------------------------


def write_follow_up(
    model: str,
    api_base: str | None,
    question: Question,
    answer: str,
    *,
    phase: str | None = None,
    persona: str = "neutral",
    timeout: float = DEFAULT_TIMEOUT,
    retry_budget: float = DEFAULT_RETRY_BUDGET,
    backoff_base: float = DEFAULT_BACKOFF_BASE,
    litellm_kwargs: dict[str, Any] | None = None,
) -> str:
    """The interviewer's one follow-up question, written by the model from the transcript.

    Plain short text (no response_format); one repair round if the reply is unusable;
    any failure is a ScoringError with one redacted line.
    """
    client = ModelClient(
        model,
        api_base,
        timeout=timeout,
        retry_budget=retry_budget,
        backoff_base=backoff_base,
        litellm_kwargs=litellm_kwargs,
    )

    async def ask(messages: Messages) -> str:
        return await client.with_retries(functools.partial(client.complete, messages, "text", FOLLOW_UP_TEMPERATURE))

    async def go() -> str:
        return await _ask_with_repair(
            ask,
            build_follow_up_messages(question, answer, phase=phase, persona=persona),
            clean_follow_up,
            follow_up_repair_message,
            what="follow-up question",
            echo_chars=2000,
        )

    try:
        return redact(_run(go))
    except ScoringError as exc:
        raise ScoringError(redact(str(exc))) from None
    except Exception as exc:
        raise ScoringError(client.message(exc)) from None


def answer_clarifying(
    model: str,
    api_base: str | None,
    question: Question,
    asked: str,
    *,
    persona: str = "neutral",
    timeout: float = DEFAULT_TIMEOUT,
    retry_budget: float = DEFAULT_RETRY_BUDGET,
    litellm_kwargs: dict[str, Any] | None = None,
) -> str:
    """The interviewer's reply to a clarifying question, grounded in the question's facts and told
    not to design the system. Any failure is a ScoringError with one redacted line."""
    client = ModelClient(model, api_base, timeout=timeout, retry_budget=retry_budget,
                         backoff_base=DEFAULT_BACKOFF_BASE, litellm_kwargs=litellm_kwargs)

    async def ask(messages: Messages) -> str:
        return await client.with_retries(functools.partial(client.complete, messages, "text", FOLLOW_UP_TEMPERATURE))

    async def go() -> str:
        return await _ask_with_repair(ask, build_clarify_messages(question, asked, persona=persona), clean_clarify,
                                      follow_up_repair_message, what="clarifying answer", echo_chars=2000)

    try:
        return _run(go)
    except ScoringError as exc:
        raise ScoringError(redact(str(exc))) from None
    except Exception as exc:
        raise ScoringError(client.message(exc)) from None
