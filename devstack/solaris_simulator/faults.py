"""Injected faults, by path prefix (and optionally method), for the next `times` calls.

- ``error``: answers `status` (500/503...) before the API sees the call; nothing happens.
- ``drop``: closes the connection before the API sees the call; nothing happens.
- ``slow``: the API handles the call, then the answer waits `delay` real seconds (a client
  with a shorter timeout gives up although the transfer was made).
- ``lose``: the API handles the call (the transfer is made), then the answer is replaced by
  `status`, or, with `status` 0, the connection is closed instead. This is "accepted, then
  the answer was lost", which the product's exactly-once logic must survive.

/_sim/ control routes are never faulted.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from .errors import server_error
from .wire import dumps

FaultKind = Literal["error", "drop", "slow", "lose"]
KINDS: tuple[str, ...] = ("error", "drop", "slow", "lose")
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


@dataclass
class Fault:
    kind: FaultKind = "error"
    path_prefix: str = "/"
    status: int = 503
    delay: float = 2.0
    times: int | None = 1  # None: until cleared
    method: str | None = None
    hits: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}")
        if self.kind == "error" and not 400 <= self.status <= 599:
            raise ValueError("an error fault needs a 4xx or 5xx status")
        if self.kind == "lose" and self.status != 0 and not 500 <= self.status <= 599:
            raise ValueError("a lose fault answers a 5xx status, or 0 to close the connection")
        if self.times is not None and self.times < 1:
            raise ValueError("times must be at least 1 (or null: until cleared)")
        self.method = self.method.upper() if self.method else None

    def matches(self, method: str, path: str) -> bool:
        return path.startswith(self.path_prefix) and self.method in (None, method)


class Faults:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(self, fault: Fault) -> Fault:
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
        """The first matching fault, with one of its uses consumed."""
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, path):
                    fault.hits += 1
                    if fault.times is not None:
                        fault.times -= 1
                        if fault.times <= 0:
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
        if fault.kind == "error":
            return _error(fault.status, start_response)
        if fault.kind == "drop":
            _drop(environ)
        captured: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
            captured.update(status=status, headers=headers)

        chunks = self.app(environ, capture)
        body = b"".join(chunks)
        if hasattr(chunks, "close"):
            chunks.close()
        if fault.kind == "slow":
            time.sleep(fault.delay)
            start_response(captured["status"], captured["headers"])
            return [body]
        if fault.status == 0:
            _drop(environ)
        return _error(fault.status, start_response)


def _drop(environ: dict[str, Any]) -> None:
    sock = environ.get("werkzeug.socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
    # Werkzeug treats ConnectionError as "client went away" and writes nothing.
    raise ConnectionResetError("simulated dropped connection")


def _error(status: int, start_response: Callable[..., Any]) -> list[bytes]:
    body = dumps(server_error(status).body()).encode()
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    start_response(f"{status} Simulated Fault", headers)
    return [body]
