"""Injected faults: error statuses, slow answers and dropped connections, by path prefix."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

FaultKind = Literal["error", "slow", "drop"]
SLOW_KEY = "xero_simulator.slow_seconds"
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


@dataclass
class Fault:
    kind: FaultKind
    path_prefix: str = "/"
    status: int = 503
    delay: float = 2.0
    times: int | None = 1  # None: until cleared
    method: str | None = None

    def matches(self, method: str, path: str) -> bool:
        return path.startswith(self.path_prefix) and self.method in (None, method)


class Faults:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(
        self,
        kind: FaultKind = "error",
        path_prefix: str = "/",
        status: int = 503,
        delay: float = 2.0,
        times: int | None = 1,
        method: str | None = None,
    ) -> Fault:
        if kind not in ("error", "slow", "drop"):
            raise ValueError(f"unknown fault kind {kind!r}")
        fault = Fault(kind, path_prefix, status, delay, times, method.upper() if method else None)
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
        """The first matching fault, consuming one of its uses."""
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, path):
                    if fault.times is not None:
                        fault.times -= 1
                        if fault.times <= 0:
                            self._faults.remove(fault)
                    return fault
        return None


class FaultMiddleware:
    """Runs before the Flask app; /_sim/ control routes are never faulted."""

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
            # The app sleeps after handling (see SLOW_KEY), so the call counts as in flight.
            environ[SLOW_KEY] = fault.delay
            return self.app(environ, start_response)
        if fault.kind == "drop":
            sock = environ.get("werkzeug.socket")
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
            # Werkzeug treats ConnectionError as "client went away" and writes nothing.
            raise ConnectionResetError("simulated dropped connection")
        body = json.dumps(
            {
                "Title": "Service Unavailable" if fault.status == 503 else "Server Error",
                "Status": fault.status,
                "Detail": "Simulated fault",
                "Type": None,
                "Instance": None,
                "Extensions": {},
            }
        ).encode()
        start_response(
            f"{fault.status} Simulated Fault",
            [
                ("Content-Type", "application/json; charset=utf-8"),
                ("Content-Length", str(len(body))),
            ],
        )
        return [body]
