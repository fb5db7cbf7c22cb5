"""A fake OpenAI-compatible chat completions server on loopback (never deployed).

It answers `POST /v1/chat/completions` (and `/chat/completions`) in the shapes the real API
uses: `id`, `object: "chat.completion"`, `created`, `model`, `choices[0].message` with
`content` or `tool_calls`, `finish_reason` ("tool_calls", "stop", "length") and `usage`.

Tests script it: `fake.enqueue(...)` queues responses (built with `tool_calls(...)`,
`text(...)`, `error(...)`, `delay(...)` or a callable that receives the request body), and
`fake.requests` records every request it received (path, headers, raw body, parsed JSON) so
a test can assert what was sent to the model. With the queue empty, a small default policy
answers: for a new question it asks for one relevant tool among those offered, and once tool
results are in, it answers from them. That is what `make dev` uses without a real key.

Token counts are estimates the server reports in `usage`: `prompt_tokens` is
ceil(len(json of messages + tools) / 4), `completion_tokens` the same for what it returns —
the common "about four characters a token" rule for English and JSON.

    fake = FakeOpenAI(); url = fake.start()   # url ends with /v1: give it to OPENAI_BASE_URL
    ...; fake.stop()
"""

from __future__ import annotations

import json
import math
import re
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from werkzeug.wrappers import Request, Response

from devstack.fake_answers import aged_summary
from devstack.sim_kit.serving import LoopbackServer

DEFAULT_API_KEY = "sk-fake-local-0123456789abcdef"


def estimate_tokens(value: Any) -> int:
    """About four characters a token (OpenAI's rule of thumb for English text and JSON)."""
    text = value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
    return max(1, math.ceil(len(text) / 4))


# ---------------------------------------------------------------- scripted responses


@dataclass
class Scripted:
    """One scripted answer: a message (content and/or tool calls), an error, or a delay."""

    content: str | None = None
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    finish_reason: str | None = None
    status: int = 200
    error_body: dict[str, Any] | None = None
    delay_seconds: float = 0.0
    usage: dict[str, int] | None = None


def tool_calls(*calls: tuple[str, Any], content: str | None = None) -> Scripted:
    """The model asks for tools: each call is (name, arguments), arguments a dict or raw text
    (pass a string to script malformed JSON)."""
    built = []
    for name, arguments in calls:
        raw = arguments if isinstance(arguments, str) else json.dumps(arguments)
        built.append(
            {
                "id": f"call_{uuid.uuid4().hex[:24]}",
                "type": "function",
                "function": {"name": name, "arguments": raw},
            }
        )
    return Scripted(content=content, tool_calls=built, finish_reason="tool_calls")


def text(content: str, finish_reason: str = "stop") -> Scripted:
    """The model answers in text."""
    return Scripted(content=content, finish_reason=finish_reason)


def error(status: int, message: str = "scripted failure", kind: str = "server_error") -> Scripted:
    """An OpenAI-style error response."""
    return Scripted(
        status=status,
        error_body={"error": {"message": message, "type": kind, "param": None, "code": None}},
    )


def delay(seconds: float, then: Scripted | None = None) -> Scripted:
    """Answer after `seconds` (to exercise client timeouts)."""
    scripted = then or text("late answer")
    scripted.delay_seconds = seconds
    return scripted


Script = Scripted | Callable[[dict[str, Any]], Scripted]


@dataclass
class RecordedRequest:
    path: str
    headers: dict[str, str]
    raw: str
    body: dict[str, Any]


# ---------------------------------------------------------------- the default policy

_KEYWORD_TOOLS = [
    # Payables first: "which bills are overdue?" and "what do we owe?" are about suppliers.
    (r"\b(payable|creditor|we owe|suppliers?)\b|\bbills?\b.*\boverdue", "aged_payables"),
    (r"\b(owe|owes|owing|overdue|receivable|debtor|outstanding)", "aged_receivables"),
    (r"\b(expense|expenses|spend|spending|profit|loss|revenue|income|costs?)\b", "profit_and_loss"),
    (r"\b(bank|cash)\b", "bank_summary"),
    (r"\b(balance sheet|assets|liabilit)", "balance_sheet"),
    (r"\bpayments?\b", "list_payments"),
    (r"\b(bills?)\b", "list_invoices"),
    (r"\binvoices?\b", "list_invoices"),
    (r"\b(contacts?|customers?)\b", "list_contacts"),
    (r"\baccounts?\b", "list_accounts"),
]


_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]


def _today(messages: list[dict[str, Any]]) -> date:
    """Today as the system prompt states it (`Today is YYYY-MM-DD`), else the real date."""
    for message in messages:
        if message.get("role") == "system":
            found = re.search(r"\b(\d{4}-\d{2}-\d{2})\b", str(message.get("content") or ""))
            if found:
                return date.fromisoformat(found.group(1))
    return date.today()


def _month(year: int, month: int) -> tuple[str, str]:
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, 1).isoformat(), date(year, month, last).isoformat()


def _default_arguments(name: str, question: str, messages: list[dict[str, Any]]) -> dict[str, Any]:
    """Plausible arguments a model would choose for `name` from the question's words."""
    days = re.search(r"(\d+)\s*days?", question)
    if name in ("aged_receivables", "aged_payables"):
        return {"min_days_overdue": int(days.group(1))} if days else {}
    if name == "list_invoices":
        arguments: dict[str, Any] = {"kind": "bills"} if "bill" in question else {}
        if "unpaid" in question or "outstanding" in question:
            arguments["statuses"] = ["AUTHORISED"]
        if days:
            arguments["overdue_by_more_than_days"] = int(days.group(1))
        return arguments
    if name == "profit_and_loss":
        today = _today(messages)
        month = next((i + 1 for i, m in enumerate(_MONTHS) if m in question), today.month)
        year = today.year if month <= today.month else today.year - 1
        start, end = _month(year, month)
        before_year, before_month = (year, month - 1) if month > 1 else (year - 1, 12)
        compare_start, compare_end = _month(before_year, before_month)
        return {
            "date_from": start,
            "date_to": end,
            "compare_date_from": compare_start,
            "compare_date_to": compare_end,
        }
    return {}


def default_policy(body: dict[str, Any]) -> Scripted:
    """What the fake model does unscripted: one relevant tool, then an answer from its result."""
    messages = body.get("messages") or []
    offered = {
        tool.get("function", {}).get("name")
        for tool in body.get("tools") or []
        if isinstance(tool, dict)
    }
    last = messages[-1] if messages else {}
    if last.get("role") == "tool":
        results = []
        for message in reversed(messages):
            if message.get("role") != "tool":
                break
            results.append(str(message.get("content") or ""))
        summary = aged_summary(results[0]) if len(results) == 1 else None
        if summary:
            return text(f"(local fake model) {summary}")
        excerpt = " ".join(reversed(results))
        excerpt = re.sub(r"\s+", " ", excerpt)[:700]
        return text(
            "(local fake model) Here is what the Xero data returned, summarised verbatim "
            f"rather than interpreted: {excerpt}"
        )
    question = ""
    for message in reversed(messages):
        if message.get("role") == "user":
            question = str(message.get("content") or "").lower()
            break
    no_more_tools = body.get("tool_choice") == "none"
    if offered and not no_more_tools:
        for pattern, name in _KEYWORD_TOOLS:
            if name in offered and re.search(pattern, question):
                return tool_calls((name, _default_arguments(name, question, messages)))
        if "get_organisation" in offered:
            return tool_calls(("get_organisation", {}))
    return text("(local fake model) I can only answer from your Xero data; ask about it.")


# ---------------------------------------------------------------- the server


class FakeOpenAI:
    def __init__(
        self,
        api_key: str | None = DEFAULT_API_KEY,
        policy: Callable[[dict[str, Any]], Scripted] = default_policy,
    ) -> None:
        self.api_key = api_key  # None: any key is accepted
        self.policy = policy
        self.requests: list[RecordedRequest] = []
        self._queue: deque[Script] = deque()
        self._lock = threading.Lock()
        self._server = LoopbackServer()
        self.url = ""

    # scripting ---------------------------------------------------------------
    def enqueue(self, *responses: Script) -> None:
        with self._lock:
            self._queue.extend(responses)

    def reset(self) -> None:
        with self._lock:
            self._queue.clear()
            self.requests.clear()

    @property
    def pending(self) -> int:
        return len(self._queue)

    @property
    def chat_requests(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path.endswith("/chat/completions")]

    # lifecycle ---------------------------------------------------------------
    def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        self.url = self._server.start(self._wsgi, host, port) + "/v1"
        return self.url

    def stop(self) -> None:
        self._server.stop()

    def __enter__(self) -> FakeOpenAI:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # serving -----------------------------------------------------------------
    def _wsgi(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        request = Request(environ)
        response = self._handle(request)
        return response(environ, start_response)

    def _json(self, status: int, body: Any) -> Response:
        return Response(json.dumps(body), status=status, content_type="application/json")

    def _handle(self, request: Request) -> Response:
        raw = request.get_data(as_text=True)
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            body = {}
        with self._lock:
            self.requests.append(RecordedRequest(request.path, dict(request.headers), raw, body))
        if self.api_key is not None:
            auth = request.headers.get("Authorization", "")
            if auth != f"Bearer {self.api_key}":
                return self._json(401, error(401, "Incorrect API key provided.").error_body)
        path = request.path.rstrip("/")
        if request.method == "GET" and path.endswith("/models"):
            return self._json(
                200, {"object": "list", "data": [{"id": "fake-gpt", "object": "model"}]}
            )
        if request.method != "POST" or not path.endswith("/chat/completions"):
            return self._json(404, error(404, f"no route {request.path}").error_body)
        if not isinstance(body.get("messages"), list) or not body.get("model"):
            return self._json(400, error(400, "messages and model are required").error_body)
        with self._lock:
            script = self._queue.popleft() if self._queue else None
        if script is None:
            scripted = self.policy(body)
        elif callable(script):
            scripted = script(body)
        else:
            scripted = script
        if scripted.delay_seconds:
            time.sleep(scripted.delay_seconds)
        if scripted.status != 200:
            return self._json(scripted.status, scripted.error_body or {})
        return self._json(200, self._completion(body, scripted))

    def _completion(self, body: dict[str, Any], scripted: Scripted) -> dict[str, Any]:
        message: dict[str, Any] = {
            "role": "assistant",
            "content": scripted.content,
            "refusal": None,
            "annotations": [],
        }
        if scripted.tool_calls:
            message["tool_calls"] = scripted.tool_calls
        finish = scripted.finish_reason or ("tool_calls" if scripted.tool_calls else "stop")
        prompt = estimate_tokens({"messages": body["messages"], "tools": body.get("tools", [])})
        completion = estimate_tokens(
            {"content": scripted.content, "tool_calls": scripted.tool_calls}
        )
        usage = scripted.usage or {
            "prompt_tokens": prompt,
            "completion_tokens": completion,
            "total_tokens": prompt + completion,
        }
        return {
            "id": f"chatcmpl-{uuid.uuid4().hex[:29]}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body["model"],
            "system_fingerprint": "fp_fake",
            "choices": [
                {"index": 0, "message": message, "logprobs": None, "finish_reason": finish}
            ],
            "usage": usage,
        }


def main() -> None:  # pragma: no cover - manual use
    import argparse

    parser = argparse.ArgumentParser(description="fake OpenAI-compatible server")
    parser.add_argument("--port", type=int, default=3300)
    args = parser.parse_args()
    fake = FakeOpenAI()
    print(f"openai: {fake.start(port=args.port)}  (key {fake.api_key})", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        fake.stop()


if __name__ == "__main__":  # pragma: no cover
    main()
