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

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from devstack.sim_kit.faults import (
    FaultInjector,
    PathFault,
    answer,
    answer_late,
    drop_connection,
    run_to_end,
)

from .errors import ERRORS, JSON, envelope

KINDS = ("error", "slow", "drop", "lost")
OKX_5XX = {500: "50026", 503: "50001"}
REASONS = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}


@dataclass
class Fault(PathFault):
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


class FaultMiddleware(FaultInjector[Fault]):
    def inject(
        self, fault: Fault, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Any:
        if fault.kind == "slow":
            return answer_late(self.app, environ, start_response, fault.delay)
        if fault.kind == "lost":
            run_to_end(self.app, environ)
        if fault.kind == "drop" or (fault.kind == "lost" and fault.then == "drop"):
            drop_connection(environ)
        return _error(fault.status, start_response)


def _error(status: int, start_response: Callable[..., Any]) -> list[bytes]:
    reason = REASONS.get(status, "Error")
    code = OKX_5XX.get(status)
    if code is not None:
        body, content_type = envelope(code, ERRORS[code][1], []), JSON
    else:  # what a gateway in front of OKX would answer
        body, content_type = f"{status} {reason}".encode(), "text/plain"
    return answer(start_response, f"{status} {reason}", body, content_type)
