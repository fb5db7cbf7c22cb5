"""The openai SDK boundary: one chat completion with the SDK's errors turned into ours, and
the SDK's assistant message turned back into a request message.

Our errors carry no upstream detail (a plain sentence, at most the HTTP status): the SDK's
messages quote the upstream's response body, and ours reach the caller as the API's answer.
"""

from __future__ import annotations

from typing import Any

import openai

from xero_bridge.errors import UpstreamError, UpstreamTimeoutError, XeroBridgeError

# The SDK's failures, most specific first, and what the caller is told.
_FAILURES: tuple[tuple[type[openai.OpenAIError], type[XeroBridgeError], str], ...] = (
    (openai.APITimeoutError, UpstreamTimeoutError, "the language model did not answer in time"),
    (openai.APIConnectionError, UpstreamError, "the language model could not be reached"),
    (
        openai.AuthenticationError,
        UpstreamError,
        "the language model refused the configured API key",
    ),
    (
        openai.RateLimitError,
        UpstreamError,
        "the language model is rate limiting us; try again later",
    ),
)


def call_model(client: Any, timeout: float, **kwargs: Any) -> Any:
    """`client.chat.completions.create(**kwargs)`; 502/504-mapped errors on failure."""
    try:
        return client.chat.completions.create(timeout=timeout, **kwargs)
    except openai.OpenAIError as exc:
        raise _model_error(exc) from None


def _model_error(exc: openai.OpenAIError) -> XeroBridgeError:
    for kind, error, message in _FAILURES:
        if isinstance(exc, kind):
            return error(message)
    if isinstance(exc, openai.APIStatusError):
        return UpstreamError(f"the language model answered with an error (HTTP {exc.status_code})")
    return UpstreamError("the language model call failed")


def tool_call_name(call: Any) -> str:
    function = getattr(call, "function", None)
    return function.name if function else "?"


def tool_call_arguments(call: Any) -> str:
    function = getattr(call, "function", None)
    return function.arguments if function else "{}"


def assistant_message(message: Any) -> dict[str, Any]:
    """The SDK's assistant message as a request parameter (tool calls kept verbatim)."""
    out: dict[str, Any] = {"role": "assistant", "content": message.content}
    calls = []
    for call in message.tool_calls or []:
        function = getattr(call, "function", None)
        calls.append(
            {
                "id": call.id,
                "type": "function",
                "function": {
                    "name": function.name if function else str(getattr(call, "type", "?")),
                    "arguments": function.arguments if function else "{}",
                },
            }
        )
    if calls:
        out["tool_calls"] = calls
    return out
