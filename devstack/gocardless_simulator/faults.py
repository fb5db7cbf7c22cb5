"""Injected faults for the API (never /_sim/): failed answers, slow answers, lost answers.

- `error`: answers `status` without doing anything; with `json` GoCardless's own error body
  (type "gocardless"), else the HTML page a proxy in front of it would send.
- `slow`: waits `delay` real seconds, then answers normally.
- `lost_answer`: does the work, then answers 502 HTML, as if the connection broke on the way
  back: the caller cannot know that the resource was created.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import Any, Literal

from .errors import ApiError

FaultKind = Literal["error", "slow", "lost_answer"]
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
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
    times: int = 1
    path_prefix: str = "/"
    method: str | None = None
    delay: float = 2.0
    json: bool = True
    hits: int = 0

    def matches(self, method: str, path: str) -> bool:
        return path.startswith(self.path_prefix) and self.method in (None, method)

    def describe(self) -> dict[str, Any]:
        return asdict(self)


class Faults:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

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
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def active(self) -> list[Fault]:
        with self._lock:
            return list(self._faults)

    def take(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, path):
                    fault.hits += 1
                    fault.times -= 1
                    if fault.times <= 0:
                        self._faults.remove(fault)
                    return fault
        return None


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
    start_response(
        f"{status} {reason}",
        [("Content-Type", content_type), ("Content-Length", str(len(body)))],
    )
    return [body]


class FaultMiddleware:
    def __init__(self, app: WsgiApp, faults: Faults) -> None:
        self.app = app
        self.faults = faults

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        path = environ.get("PATH_INFO", "")
        if path.startswith("/_sim"):
            return self.app(environ, start_response)
        fault = self.faults.take(environ["REQUEST_METHOD"], path)
        if fault is None:
            return self.app(environ, start_response)
        if fault.kind == "slow":
            time.sleep(fault.delay)
            return self.app(environ, start_response)
        if fault.kind == "lost_answer":
            # The work is done and its answer thrown away.
            result = self.app(environ, lambda *_args, **_kw: None)
            for _chunk in result:
                pass
            close = getattr(result, "close", None)
            if close is not None:
                close()
        return _answer(fault, start_response)
