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

from xero_bridge.ask.model_calls import (
    assistant_message,
    call_model,
    tool_call_arguments,
    tool_call_name,
)
from xero_bridge.ask.prompts import STOPPED_EARLY, render_tool_error
from xero_bridge.ask.tools import ToolRunner, tool_schemas
from xero_bridge.errors import UpstreamError, UpstreamTimeoutError

__all__ = ["LoopLimits", "LoopResult", "ToolRunner", "Usage", "run_conversation"]

MIN_CALL_SECONDS = 2.0  # do not start a model call with less time than this left
NO_ANSWER = "I could not find an answer in this organisation's data."


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

    def add_response(self, response: Any) -> None:
        """Count one model call and the tokens its response reports."""
        self.model_calls += 1
        if response.usage is not None:
            self.prompt_tokens += response.usage.prompt_tokens
            self.completion_tokens += response.usage.completion_tokens
            self.total_tokens += response.usage.total_tokens


@dataclass
class LoopResult:
    answer: str
    sources: list[dict[str, Any]]
    usage: Usage
    stopped_early: str | None = None  # the bound that cut the answer short (STOPPED_EARLY)


def _stop_reason(choice: Any, out_of_rounds: bool, usage: Usage, limits: LoopLimits) -> str | None:
    """Which bound, if any, ends the loop after this choice (an answer alone ends it too)."""
    if out_of_rounds:
        return "rounds"  # tools were refused this call; a tool call now cannot be run
    if not choice.message.tool_calls:
        return "length" if choice.finish_reason == "length" else None
    if usage.total_tokens >= limits.max_total_tokens:
        return "tokens"
    return None


def _run_tool_calls(
    tool_calls: list[Any], runner: ToolRunner, limits: LoopLimits, usage: Usage
) -> list[dict[str, Any]]:
    """One tool message per call, paired by id; calls past the per-round bound are refused."""
    messages = []
    for index, call in enumerate(tool_calls):
        name = tool_call_name(call)
        if index >= limits.max_tool_calls_per_round:
            content = render_tool_error(
                name,
                f"too many tool calls in one round (at most {limits.max_tool_calls_per_round})",
            )
        else:
            usage.tool_calls += 1
            content = runner.run(name, tool_call_arguments(call))
        messages.append({"role": "tool", "tool_call_id": call.id, "content": content})
    return messages


def _final_answer(answer: str, stopped: str | None, limits: LoopLimits) -> str:
    if stopped is not None:
        note = STOPPED_EARLY[stopped].format(limit=limits.max_tool_rounds)
        answer = f"{answer.strip()}\n\n({note})" if answer.strip() else note
    elif not answer.strip():
        answer = NO_ANSWER
    return answer.strip()


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
        response = call_model(
            client,
            timeout=min(limits.request_timeout_seconds, remaining),
            model=model,
            messages=messages,
            tools=tools,
            tool_choice="none" if out_of_rounds else "auto",
            max_completion_tokens=limits.max_completion_tokens,
        )
        usage.add_response(response)
        if not response.choices:
            raise UpstreamError("the language model returned no answer")
        choice = response.choices[0]
        answer = choice.message.content or ""
        stopped = _stop_reason(choice, out_of_rounds, usage, limits)
        if stopped is not None or not choice.message.tool_calls:
            break
        usage.tool_rounds += 1
        messages.append(assistant_message(choice.message))
        messages.extend(_run_tool_calls(choice.message.tool_calls, runner, limits, usage))
    return LoopResult(_final_answer(answer, stopped, limits), runner.sources, usage, stopped)
