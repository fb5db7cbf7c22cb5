"""Injected faults on the JSON API, by path prefix: error answers, slow answers, dropped
connections.

An ``error`` fault answers Saferpay's error body (INTERNAL_ERROR with Behavior RETRY unless
told otherwise) for the next ``times`` matching calls. By default the call never reaches the
API; with ``after=True`` the API does its work first and only the answer is lost — the case a
retry with the same RequestId and a higher RetryIndicator exists for. A ``slow`` fault lets the
call through and delays the answer (after the work is done, as a timeout in the caller sees
it). A ``drop`` fault closes the connection without an answer (also before or after the work).
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from devstack.sim_kit.faults import (
    FaultInjector,
    FaultTable,
    WsgiApp,
    answer,
    answer_late,
    drop_connection,
    run_to_end,
)

from .errors import BEHAVIORS, Behavior, SaferpayError
from .wire import JSON

FaultKind = Literal["error", "slow", "drop"]
HeaderFor = Callable[[Any], dict[str, str]]


@dataclass
class Fault:
    kind: FaultKind = "error"
    path_prefix: str = "/api/"
    status: int = 500
    times: int | None = 1  # None: until cleared
    delay: float = 2.0  # real seconds, for "slow"
    after: bool = False  # the API does its work, then the answer is lost
    behavior: Behavior = "RETRY"
    error_name: str = "INTERNAL_ERROR"
    hits: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        if self.kind not in ("error", "slow", "drop"):
            raise ValueError(f"unknown fault kind {self.kind!r}")
        if self.behavior not in BEHAVIORS:
            raise ValueError(f"behavior must be one of {', '.join(BEHAVIORS)}")
        if not 400 <= self.status <= 599:
            raise ValueError("status must be an HTTP error status")
        if self.times is not None and self.times < 1:
            raise ValueError("times must be at least 1 (or null: until cleared)")

    def matches(self, method: str, path: str) -> bool:
        return path.startswith(self.path_prefix)  # any method


class FaultMiddleware(FaultInjector[Fault]):
    """Wraps the Flask app; /_sim/ control routes are never faulted."""

    def __init__(self, app: WsgiApp, faults: FaultTable[Fault], header_for: HeaderFor) -> None:
        super().__init__(app, faults)
        self.header_for = header_for  # the ResponseHeader for a request body

    def inject(
        self, fault: Fault, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Any:
        raw = _read_body(environ)
        if fault.kind == "slow":
            return answer_late(self.app, environ, start_response, fault.delay)
        if fault.after:
            run_to_end(self.app, environ)
        if fault.kind == "drop":
            drop_connection(environ)
        return self._error(fault, raw, start_response)

    def _error(self, fault: Fault, raw: bytes, start_response: Callable[..., Any]) -> list[bytes]:
        try:
            request_body: Any = json.loads(raw or b"null")
        except ValueError:
            request_body = None
        error = SaferpayError(fault.status, fault.error_name, "Internal error", fault.behavior)
        body = json.dumps(error.body(self.header_for(request_body))).encode()
        return answer(start_response, f"{fault.status} Simulated Fault", body, JSON)


def _read_body(environ: dict[str, Any]) -> bytes:
    """Reads the request body and puts it back, so the app can still read it."""
    length = int(environ.get("CONTENT_LENGTH") or 0)
    raw = environ["wsgi.input"].read(length) if length else b""
    environ["wsgi.input"] = io.BytesIO(raw)
    return raw
