"""Fault injection plumbing the simulators share; each simulator's own faults.py says which
kinds it has, what they accept and what an injected answer looks like.

- `FaultList`: the active faults; `take` hands out the first that applies to a request,
  counting its `hits` and using up one of its `times` (None: until cleared). `FaultTable`:
  one whose faults refuse bad settings themselves, so `add` takes a made Fault.
- `PathFault`: matching by path prefix and, optionally, method.
- `FaultInjector`: WSGI middleware in front of the app; /_sim/ control routes are never
  faulted, every other request that takes a fault goes to `inject`.
- `run_to_end`, `answer_late`, `drop_connection`, `answer`: the moves `inject` is made of.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, ClassVar, NoReturn, Protocol

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
StartResponse = Callable[..., Any]


class InjectedFault(Protocol):
    """A simulator's Fault: a dataclass (the control routes answer its fields)."""

    __dataclass_fields__: ClassVar[dict[str, Any]]
    hits: int
    times: int | None

    def matches(self, method: str, path: str) -> bool: ...


class PathFault:
    """For a Fault dataclass that applies to the paths starting with `path_prefix` and, unless
    `method` is None, to that method only (upper case)."""

    path_prefix: str
    method: str | None

    def matches(self, method: str, path: str) -> bool:
        return path.startswith(self.path_prefix) and self.method in (None, method)


class FaultList[F: InjectedFault]:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[F] = []

    def _append(self, fault: F) -> F:
        with self._lock:
            self._faults.append(fault)
        return fault

    def active(self) -> list[F]:
        with self._lock:
            return list(self._faults)

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def take(self, method: str, path: str) -> F | None:
        """The first fault that applies to this request, with one of its uses consumed."""
        with self._lock:
            for fault in self._faults:
                if self._applies(fault, method, path):
                    self._use(fault)
                    return fault
        return None

    def _applies(self, fault: F, method: str, path: str) -> bool:
        return fault.matches(method, path)

    def _use(self, fault: F) -> None:
        """Called under the lock."""
        fault.hits += 1
        if fault.times is not None:
            fault.times -= 1
            if fault.times <= 0:
                self._faults.remove(fault)


class FaultTable[F: InjectedFault](FaultList[F]):
    """Faults that check their settings when made (a ValueError from __post_init__)."""

    def add(self, fault: F) -> F:
        return self._append(fault)


class FaultInjector[F: InjectedFault]:
    def __init__(self, app: WsgiApp, faults: FaultList[F]) -> None:
        self.app = app
        self.faults = faults

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Any:
        path = environ.get("PATH_INFO", "")
        fault = (
            None if path.startswith("/_sim") else self.faults.take(environ["REQUEST_METHOD"], path)
        )
        if fault is None:
            return self.app(environ, start_response)
        return self.inject(fault, environ, start_response)

    def inject(self, fault: F, environ: dict[str, Any], start_response: StartResponse) -> Any:
        raise NotImplementedError


def run_to_end(app: WsgiApp, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes]:
    """Calls the app to completion (its effects happen) and keeps its answer: status, headers
    and body, to send late or to lose."""
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


def answer_late(
    app: WsgiApp, environ: dict[str, Any], start_response: StartResponse, delay: float
) -> list[bytes]:
    """The app's own answer, `delay` real seconds after the work is done (as a caller's
    timeout sees it)."""
    status, headers, body = run_to_end(app, environ)
    time.sleep(delay)
    start_response(status, headers)
    return [body]


def drop_connection(environ: dict[str, Any]) -> NoReturn:
    """Closes the connection without an answer."""
    sock = environ.get("werkzeug.socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
    # Werkzeug treats ConnectionError as "client went away" and writes nothing.
    raise ConnectionResetError("simulated dropped connection")


def answer(
    start_response: StartResponse,
    status_line: str,
    body: bytes,
    content_type: str,
    headers: Iterable[tuple[str, str]] = (),
) -> list[bytes]:
    """An injected answer: Content-Type, any other headers, then Content-Length."""
    start_response(
        status_line,
        [("Content-Type", content_type), *headers, ("Content-Length", str(len(body)))],
    )
    return [body]
