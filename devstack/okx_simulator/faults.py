"""Injected faults, by path prefix (and optionally method), for the next `times` requests.

- ``error``: answers `status` without handling the request (OKX's 500/503 bodies; any other
  status gets a gateway's plain-text page).
- ``slow``: handles the request, then waits `delay` real seconds before answering.
- ``drop``: closes the connection without handling the request.
- ``lost``: handles the request (a withdrawal is created), then loses the answer: `then`
  ``error`` answers `status` instead, ``drop`` closes the connection.
/_sim/ control routes are never faulted.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .errors import ERRORS, JSON, envelope

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
KINDS = ("error", "slow", "drop", "lost")
OKX_5XX = {500: "50026", 503: "50001"}
REASONS = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}


@dataclass
class Fault:
    kind: str = "error"
    path_prefix: str = "/"
    method: str | None = None
    status: int = 503
    delay: float = 2.0
    times: int | None = 1  # None: until cleared
    then: str = "error"  # for `lost`: error | drop
    hits: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}")
        if self.then not in ("error", "drop"):
            raise ValueError("then must be error or drop")
        if not isinstance(self.status, int) or not 400 <= self.status <= 599:
            raise ValueError(f"status must be an HTTP error status, not {self.status!r}")
        if self.times is not None and (not isinstance(self.times, int) or self.times < 1):
            raise ValueError(f"times must be a positive whole number or null, not {self.times!r}")
        self.method = self.method.upper() if self.method else None


class Faults:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self._faults.append(fault)
        return fault

    def active(self) -> list[Fault]:
        with self._lock:
            return list(self._faults)

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def take(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if path.startswith(fault.path_prefix) and fault.method in (None, method):
                    fault.hits += 1
                    if fault.times is not None:
                        fault.times -= 1
                        if fault.times == 0:
                            self._faults.remove(fault)
                    return fault
        return None


class FaultMiddleware:
    def __init__(self, app: WsgiApp, faults: Faults) -> None:
        self.app = app
        self.faults = faults

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        path = environ.get("PATH_INFO", "")
        fault = (
            None if path.startswith("/_sim") else self.faults.take(environ["REQUEST_METHOD"], path)
        )
        if fault is None:
            return self.app(environ, start_response)
        if fault.kind == "slow":
            return self._slow(environ, start_response, fault.delay)
        if fault.kind == "lost":
            self._handle_and_discard(environ)
        if fault.kind == "drop" or (fault.kind == "lost" and fault.then == "drop"):
            _drop(environ)
        return _error(fault.status, start_response)

    def _slow(
        self, environ: dict[str, Any], start_response: Callable[..., Any], delay: float
    ) -> Any:
        captured: list[Any] = []
        body = self._handle(environ, lambda *args: captured.append(args))
        time.sleep(delay)
        start_response(*captured[0])
        return [body]

    def _handle_and_discard(self, environ: dict[str, Any]) -> None:
        self._handle(environ, lambda *_args: None)

    def _handle(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> bytes:
        """Runs the app to the end (its effects happen) and returns the body it wrote."""
        result = self.app(environ, start_response)
        try:
            return b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()


def _drop(environ: dict[str, Any]) -> None:
    sock = environ.get("werkzeug.socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
    # Werkzeug takes a ConnectionError as "the client went away" and writes nothing.
    raise ConnectionResetError("simulated dropped connection")


def _error(status: int, start_response: Callable[..., Any]) -> list[bytes]:
    reason = REASONS.get(status, "Error")
    code = OKX_5XX.get(status)
    if code is not None:
        body, content_type = envelope(code, ERRORS[code][1], []), JSON
    else:  # what a gateway in front of OKX would answer
        body, content_type = f"{status} {reason}".encode(), "text/plain"
    headers = [("Content-Type", content_type), ("Content-Length", str(len(body)))]
    start_response(f"{status} {reason}", headers)
    return [body]
