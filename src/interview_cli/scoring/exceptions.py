"""Every exception a model call can raise, in one table: whether to retry it and what to tell the user.

Like Aider's exceptions.py. `retry`: True is retried within the budget (rate limits, timeouts, 5xx),
False never is (a bad key, an unknown model, a rejected request), None is decided by the HTTP status.
`about_format=False` marks errors that never mean "this server does not take that response_format",
whatever their text says. `message` is one actionable line with placeholders {model}, {where} (the
api_base, or "the <provider> API"), {detail} (the server's own words, redacted, short) and {budget}
(the retry budget in seconds); it says what to fix, not how to retry: the runner appends
"your answers are saved; retry with: drill score <id>" with the real id.
tests/scoring/test_llm_unit.py fails when litellm has an exception class that is missing here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ExInfo:
    name: str
    retry: bool | None
    message: str
    about_format: bool = True


EXCEPTIONS: tuple[ExInfo, ...] = (
    ExInfo('AuthenticationError', False, "the model server rejected the API key — set OPENAI_API_KEY (or the provider's key variable, e.g. ANTHROPIC_API_KEY) to a valid key"),
    ExInfo('PermissionDeniedError', False, "the API key is not allowed to use {model} (403) — check the key's permissions or choose another --model"),
    ExInfo('NotFoundError', False, '{where} does not know the model {model} (404) — check the name after the provider prefix (e.g. openai/gpt-4o-mini, ollama/llama3.1) and --api-base'),
    ExInfo('BadRequestError', False, '{where} rejected the request for {model}: {detail} — check --model and --api-base'),
    ExInfo('InvalidRequestError', None, '{where} rejected the request for {model}: {detail} — check --model and --api-base'),
    ExInfo('UnprocessableEntityError', False, '{where} could not process the request for {model} (422): {detail} — check --model and --api-base'),
    ExInfo('UnsupportedParamsError', False, '{model} does not accept a parameter drill sends: {detail} — choose another --model'),
    ExInfo('ContextWindowExceededError', False, "the answer does not fit in {model}'s context window — choose a model with a larger context (--model)", about_format=False),
    ExInfo('ContentPolicyViolationError', False, '{model} refused to grade the answer under its content policy — choose another --model, or --model offline'),
    ExInfo('RejectedRequestError', None, '{where} rejected the request for {model}: {detail} — choose another --model'),
    ExInfo('ImageFetchError', None, "litellm could not fetch an image for the request: {detail} — check the answer's links"),
    ExInfo('LiteLLMUnknownProvider', None, "litellm does not know the provider of '{model}' — write the model with its provider prefix, e.g. openai/gpt-4o-mini, anthropic/claude-3-5-haiku-latest or ollama/llama3.1"),
    ExInfo('RateLimitError', True, '{where} kept rate-limiting {model} (429) for {budget}s — wait a minute, check your quota, or score with less --concurrency', about_format=False),
    ExInfo('Timeout', True, '{model} at {where} did not answer in time and retries ran out after {budget}s — check the server is up and not overloaded', about_format=False),
    ExInfo('APIConnectionError', True, 'cannot reach the model server at {where} — check it is running and that --api-base (or DRILL_API_BASE) is right'),
    ExInfo('InternalServerError', True, '{where} kept failing with a server error for {model} for {budget}s — try again later or choose another --model'),
    ExInfo('ServiceUnavailableError', True, '{where} is unavailable (503) for {model} and stayed so for {budget}s — try again later or choose another --model'),
    ExInfo('BadGatewayError', True, '{where} answered 502 Bad Gateway for {model} for {budget}s — check the proxy in front of the model, or try again later'),
    ExInfo('MidStreamFallbackError', True, 'the reply from {model} broke off midway — try again, or choose another --model'),
    ExInfo('APIResponseValidationError', None, '{where} sent something that is not a chat completion — check that --api-base is an OpenAI-compatible URL ending in /v1'),
    ExInfo('JSONSchemaValidationError', None, "{model}'s reply did not match the judge's JSON schema — choose a stronger --model"),
    ExInfo('APIError', None, 'the call to {model} failed: {detail} — check the model server, then try again'),
    ExInfo('OpenAIError', None, 'the call to {model} failed: {detail} — check --model, --api-base and the API key'),
    ExInfo('BudgetExceededError', False, "litellm's spending budget is used up — raise or remove the budget"),
    ExInfo('GuardrailRaisedException', None, 'a litellm guardrail blocked the request: {detail} — adjust the guardrail'),
    ExInfo('GuardrailInterventionNormalStringError', None, 'a litellm guardrail blocked the request: {detail} — adjust the guardrail'),
    ExInfo('BlockedPiiEntityError', None, 'a litellm guardrail blocked personal data in the request — remove it from the answer'),
    ExInfo('MockException', None, "litellm's mock failed: {detail} — check the mock_response given to the scorer"),
    ExInfo('APITimeoutError', True, '{model} at {where} did not answer in time and retries ran out after {budget}s — check the server is up and not overloaded', about_format=False),
)

BY_NAME = {info.name: info for info in EXCEPTIONS}
