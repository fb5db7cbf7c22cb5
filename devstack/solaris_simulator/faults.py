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

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from devstack.sim_kit.faults import (
    FaultInjector,
    PathFault,
    answer,
    answer_late,
    drop_connection,
    run_to_end,
)

from .errors import server_error
from .wire import dumps

FaultKind = Literal["error", "drop", "slow", "lose"]
KINDS: tuple[str, ...] = ("error", "drop", "slow", "lose")


@dataclass
class Fault(PathFault):
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


class FaultMiddleware(FaultInjector[Fault]):
    def inject(
        self, fault: Fault, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Any:
        if fault.kind == "error":
            return _error(fault.status, start_response)
        if fault.kind == "drop":
            drop_connection(environ)
        if fault.kind == "slow":
            return answer_late(self.app, environ, start_response, fault.delay)
        run_to_end(self.app, environ)  # lose: the work is done, the answer replaced
        if fault.status == 0:
            drop_connection(environ)
        return _error(fault.status, start_response)


def _error(status: int, start_response: Callable[..., Any]) -> list[bytes]:
    body = dumps(server_error(status).body()).encode()
    return answer(start_response, f"{status} Simulated Fault", body, "application/json")
