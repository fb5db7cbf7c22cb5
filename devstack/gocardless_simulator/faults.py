"""Injected faults for the API (never /_sim/): failed answers, slow answers, lost answers.

- `error`: answers `status` without doing anything; with `json` GoCardless's own error body
  (type "gocardless"), else the HTML page a proxy in front of it would send.
- `slow`: waits `delay` real seconds, then answers normally.
- `lost_answer`: does the work, then answers 502 HTML, as if the connection broke on the way
  back: the caller cannot know that the resource was created.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from devstack.sim_kit.faults import FaultInjector, FaultList, answer, run_to_end

from .errors import ApiError

FaultKind = Literal["error", "slow", "lost_answer"]
REASONS = {
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


@dataclass
class Fault:
    kind: FaultKind = "error"
    status: int = 500
    times: int | None = 1  # Faults.add takes a whole number only
    path_prefix: str = "/"
    method: str | None = None
    delay: float = 2.0
    json: bool = True
    hits: int = 0

    def matches(self, method: str, path: str) -> bool:
        return path.startswith(self.path_prefix) and self.method in (None, method)


class Faults(FaultList[Fault]):
    def add(self, **settings: Any) -> Fault:
        kind = settings.get("kind", "error")
        if kind not in ("error", "slow", "lost_answer"):
            raise ValueError(f"unknown fault kind {kind!r}")
        times = settings.get("times", 1)
        if isinstance(times, bool) or not isinstance(times, int) or times < 1:
            raise ValueError("times must be a whole number of calls, at least 1")
        fault = Fault(**settings)
        if fault.method:
            fault.method = fault.method.upper()
        return self._append(fault)


def _answer(fault: Fault, start_response: Callable[..., Any]) -> list[bytes]:
    status = fault.status if fault.kind == "error" else 502
    reason = REASONS.get(status, "Error")
    if fault.kind == "error" and fault.json:
        error = ApiError(
            status,
            "gocardless",
            "Internal server error" if status == 500 else reason,
            [{"reason": "internal_server_error", "message": "Simulated fault"}],
            "internal_server_error",
        )
        body, content_type = json.dumps(error.body()).encode(), "application/json"
    else:
        body = f"<html><body><h1>{status} {reason}</h1></body></html>".encode()
        content_type = "text/html"
    return answer(start_response, f"{status} {reason}", body, content_type)


class FaultMiddleware(FaultInjector[Fault]):
    def inject(
        self, fault: Fault, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Any:
        if fault.kind == "slow":
            time.sleep(fault.delay)
            return self.app(environ, start_response)
        if fault.kind == "lost_answer":
            run_to_end(self.app, environ)  # the work is done and its answer thrown away
        return _answer(fault, start_response)
