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

import contextlib
import io
import json
import socket
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from .errors import BEHAVIORS, Behavior, SaferpayError
from .wire import JSON

FaultKind = Literal["error", "slow", "drop"]
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
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


class Faults:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(self, **settings: Any) -> Fault:
        fault = Fault(**settings)
        if fault.kind not in ("error", "slow", "drop"):
            raise ValueError(f"unknown fault kind {fault.kind!r}")
        if fault.behavior not in BEHAVIORS:
            raise ValueError(f"behavior must be one of {', '.join(BEHAVIORS)}")
        if not 400 <= fault.status <= 599:
            raise ValueError("status must be an HTTP error status")
        if fault.times is not None and fault.times < 1:
            raise ValueError("times must be at least 1 (or null: until cleared)")
        with self._lock:
            self._faults.append(fault)
        return fault

    def active(self) -> list[Fault]:
        with self._lock:
            return list(self._faults)

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def take(self, path: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if path.startswith(fault.path_prefix):
                    fault.hits += 1
                    if fault.times is not None:
                        fault.times -= 1
                        if fault.times <= 0:
                            self._faults.remove(fault)
                    return fault
        return None


class FaultMiddleware:
    """Wraps the Flask app; /_sim/ control routes are never faulted."""

    def __init__(self, app: WsgiApp, faults: Faults, header_for: HeaderFor) -> None:
        self.app = app
        self.faults = faults
        self.header_for = header_for  # the ResponseHeader for a request body

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        path = environ.get("PATH_INFO", "")
        fault = None if path.startswith("/_sim") else self.faults.take(path)
        if fault is None:
            return self.app(environ, start_response)
        raw = _read_body(environ)
        if fault.kind == "slow":
            answer = _run(self.app, environ)
            time.sleep(fault.delay)
            status, headers, body = answer
            start_response(status, headers)
            return [body]
        if fault.after:
            _run(self.app, environ)
        if fault.kind == "drop":
            sock = environ.get("werkzeug.socket")
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
            # Werkzeug treats ConnectionError as "client went away" and writes nothing.
            raise ConnectionResetError("simulated dropped connection")
        return self._error(fault, raw, start_response)

    def _error(self, fault: Fault, raw: bytes, start_response: Callable[..., Any]) -> list[bytes]:
        try:
            request_body: Any = json.loads(raw or b"null")
        except ValueError:
            request_body = None
        error = SaferpayError(fault.status, fault.error_name, "Internal error", fault.behavior)
        body = json.dumps(error.body(self.header_for(request_body))).encode()
        start_response(
            f"{fault.status} Simulated Fault",
            [("Content-Type", JSON), ("Content-Length", str(len(body)))],
        )
        return [body]


def _read_body(environ: dict[str, Any]) -> bytes:
    """Reads the request body and puts it back, so the app can still read it."""
    length = int(environ.get("CONTENT_LENGTH") or 0)
    raw = environ["wsgi.input"].read(length) if length else b""
    environ["wsgi.input"] = io.BytesIO(raw)
    return raw


def _run(app: WsgiApp, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes]:
    """Calls the app to completion and keeps its answer (to send late, or to lose)."""
    captured: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], *_: Any) -> None:
        captured["status"], captured["headers"] = status, headers

    result = app(environ, start_response)
    try:
        body = b"".join(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    return captured["status"], captured["headers"], body
