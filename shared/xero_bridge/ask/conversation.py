"""The bounded tool-calling loop over the openai SDK's chat completions.

Bounds: tool rounds, tool calls per round, total tokens, completion tokens per call, and a
wall-time budget (each call's timeout is what is left of it). When a bound stops the loop
the answer says so. A malformed tool call — arguments that are not JSON or do not fit the
tool's schema, a tool that does not exist — gets an error tool result, never a crash; a
tool that fails (Xero refused, data unavailable) likewise, so the model can say so.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import openai

from xero_bridge.ask.prompts import STOPPED_EARLY, render_tool_error
from xero_bridge.ask.tools import ToolRunner, tool_schemas
from xero_bridge.errors import UpstreamError, UpstreamTimeoutError

MIN_CALL_SECONDS = 2.0  # do not start a model call with less time than this left


@dataclass(frozen=True)
class LoopLimits:
    max_tool_rounds: int = 4
    max_tool_calls_per_round: int = 6
    max_total_tokens: int = 24_000
    max_completion_tokens: int = 800
    time_budget_seconds: float = 45.0
    request_timeout_seconds: float = 20.0


@dataclass
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    model_calls: int = 0
    tool_calls: int = 0
    tool_rounds: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


@dataclass
class LoopResult:
    answer: str
    sources: list[dict[str, Any]]
    usage: Usage
    stopped_early: str | None = None


def _assistant_message(message: Any) -> dict[str, Any]:
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


def _call_model(client: Any, timeout: float, **kwargs: Any) -> Any:
    try:
        return client.chat.completions.create(timeout=timeout, **kwargs)
    except openai.APITimeoutError:
        raise UpstreamTimeoutError("the language model did not answer in time") from None
    except openai.APIConnectionError:
        raise UpstreamError("the language model could not be reached") from None
    except openai.AuthenticationError:
        raise UpstreamError("the language model refused the configured API key") from None
    except openai.RateLimitError:
        raise UpstreamError("the language model is rate limiting us; try again later") from None
    except openai.APIStatusError as exc:
        raise UpstreamError(
            f"the language model answered with an error (HTTP {exc.status_code})"
        ) from None
    except openai.OpenAIError:
        raise UpstreamError("the language model call failed") from None


def run_conversation(
    client: Any,
    model: str,
    messages: list[dict[str, Any]],
    runner: ToolRunner,
    limits: LoopLimits,
    clock: Callable[[], float] = time.monotonic,
) -> LoopResult:
    """Ask `model` with tools until it answers or a bound stops it."""
    usage = Usage()
    deadline = clock() + limits.time_budget_seconds
    tools = tool_schemas()
    messages = list(messages)
    stopped: str | None = None
    answer = ""
    while True:
        remaining = deadline - clock()
        if remaining < MIN_CALL_SECONDS:
            if usage.model_calls == 0:
                raise UpstreamTimeoutError("no time was left to ask the language model")
            stopped = "time"
            break
        out_of_rounds = usage.tool_rounds >= limits.max_tool_rounds
        response = _call_model(
            client,
            timeout=min(limits.request_timeout_seconds, remaining),
            model=model,
            messages=messages,
            tools=tools,
            tool_choice="none" if out_of_rounds else "auto",
            max_completion_tokens=limits.max_completion_tokens,
        )
        usage.model_calls += 1
        if response.usage is not None:
            usage.prompt_tokens += response.usage.prompt_tokens
            usage.completion_tokens += response.usage.completion_tokens
            usage.total_tokens += response.usage.total_tokens
        if not response.choices:
            raise UpstreamError("the language model returned no answer")
        choice = response.choices[0]
        message = choice.message
        answer = message.content or ""
        if not message.tool_calls:
            if out_of_rounds:
                stopped = "rounds"
            elif choice.finish_reason == "length":
                stopped = "length"
            break
        if out_of_rounds:
            stopped = "rounds"
            break
        if usage.total_tokens >= limits.max_total_tokens:
            stopped = "tokens"
            break
        usage.tool_rounds += 1
        messages.append(_assistant_message(message))
        for index, call in enumerate(message.tool_calls):
            function = getattr(call, "function", None)
            name = function.name if function else "?"
            if index >= limits.max_tool_calls_per_round:
                content = render_tool_error(
                    name,
                    f"too many tool calls in one round (at most {limits.max_tool_calls_per_round})",
                )
            else:
                usage.tool_calls += 1
                content = runner.run(name, function.arguments if function else "{}")
            messages.append({"role": "tool", "tool_call_id": call.id, "content": content})
    if stopped is not None:
        note = STOPPED_EARLY[stopped].format(limit=limits.max_tool_rounds)
        answer = f"{answer.strip()}\n\n({note})" if answer.strip() else note
    elif not answer.strip():
        answer = "I could not find an answer in this organisation's data."
    return LoopResult(answer.strip(), runner.sources, usage, stopped)
