"""Injected faults: error statuses, slow answers and dropped connections, by path prefix.

A fault answers the matching requests (path prefix, optionally one method) until it has
answered `times` of them (None: until cleared). With `probability` below 1 it is "chaos": it
answers only that share of the matching requests, each decided by the fault's own dice, and
lets the rest through (to a later fault, or the API). Give it a `seed` and the decisions are
reproducible: the same sequence of matching requests gets the same faults (under concurrent
callers, which request comes first is up to them). Every injected answer is counted, per
fault (`Fault.hits`) and per kind (`Faults.injected()`), because those requests never reach
the API and so are not in the simulator's call log.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from devstack.sim_kit.faults import FaultInjector, FaultList, answer, drop_connection

from .problems import JSON, problem_body, rate_limit_headers

FaultKind = Literal["error", "slow", "drop"]
RateLimitProblem = Literal["minute", "daily", "concurrent", "appminute"]
RATE_LIMIT_PROBLEMS: tuple[str, ...] = get_args(RateLimitProblem)
SLOW_KEY = "xero_simulator.slow_seconds"


@dataclass
class Fault:
    kind: FaultKind
    path_prefix: str = "/"
    status: int = 503
    delay: float = 2.0
    times: int | None = 1  # None: until cleared
    method: str | None = None
    # Only for status 429, as Xero sends them: Retry-After (seconds) and X-Rate-Limit-Problem.
    retry_after: int = 1
    problem: RateLimitProblem = "minute"
    # Chaos: the share of matching requests this fault answers (1.0: every one), decided by
    # dice seeded with `seed` (None: unpredictable).
    probability: float = 1.0
    seed: int | None = None
    hits: int = field(default=0, init=False)  # requests this fault answered so far

    def __post_init__(self) -> None:
        # Not a field: asdict (the control route's answer) leaves it out.
        self._dice = random.Random(self.seed)

    def matches(self, method: str, path: str) -> bool:
        return path.startswith(self.path_prefix) and self.method in (None, method)

    def strikes(self) -> bool:
        """Whether this matching request gets the fault (a roll of the dice for chaos)."""
        return self.probability >= 1.0 or self._dice.random() < self.probability

    @property
    def label(self) -> str:
        """What the caller saw: the status of an error, else the kind ("slow", "drop")."""
        return str(self.status) if self.kind == "error" else self.kind


class Faults(FaultList[Fault]):
    def __init__(self) -> None:
        super().__init__()
        self._injected: Counter[str] = Counter()

    def add(
        self,
        kind: FaultKind = "error",
        path_prefix: str = "/",
        status: int = 503,
        delay: float = 2.0,
        times: int | None = 1,
        method: str | None = None,
        retry_after: int = 1,
        problem: RateLimitProblem = "minute",
        probability: float = 1.0,
        seed: int | None = None,
    ) -> Fault:
        if kind not in ("error", "slow", "drop"):
            raise ValueError(f"unknown fault kind {kind!r}")
        if isinstance(retry_after, bool) or not isinstance(retry_after, int) or retry_after < 0:
            raise ValueError(f"retry_after must be whole seconds, not {retry_after!r}")
        if problem not in RATE_LIMIT_PROBLEMS:
            raise ValueError(f"problem must be one of {', '.join(RATE_LIMIT_PROBLEMS)}")
        if (
            isinstance(probability, bool)
            or not isinstance(probability, int | float)
            or not 0.0 <= probability <= 1.0
        ):
            raise ValueError(f"probability must be a number from 0 to 1, not {probability!r}")
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
            raise ValueError(f"seed must be a whole number, not {seed!r}")
        fault = Fault(
            kind,
            path_prefix,
            status,
            delay,
            times,
            method.upper() if method else None,
            retry_after,
            problem,
            float(probability),
            seed,
        )
        return self._append(fault)

    def clear(self) -> None:
        """No faults any more, and the injected counts start again from nothing (the Fault
        objects keep their own `hits`)."""
        with self._lock:
            self._faults.clear()
            self._injected.clear()

    def injected(self) -> dict[str, int]:
        """Answers injected since the last clear, by status ("503", "429"…) or kind."""
        with self._lock:
            return dict(self._injected)

    def _applies(self, fault: Fault, method: str, path: str) -> bool:
        """A matching fault that strikes (chaos rolls its dice)."""
        return fault.matches(method, path) and fault.strikes()

    def _use(self, fault: Fault) -> None:
        self._injected[fault.label] += 1
        super()._use(fault)


class FaultMiddleware(FaultInjector[Fault]):
    """Runs before the Flask app; /_sim/ control routes are never faulted."""

    def inject(
        self, fault: Fault, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Any:
        if fault.kind == "slow":
            # The app sleeps after handling (see SLOW_KEY), so the call counts as in flight.
            environ[SLOW_KEY] = fault.delay
            return self.app(environ, start_response)
        if fault.kind == "drop":
            drop_connection(environ)
        return _error(fault, start_response)


def _error(fault: Fault, start_response: Callable[..., Any]) -> list[bytes]:
    """Xero's problem body; a 429 also says which limit and how long to wait, as Xero's do."""
    headers: dict[str, str] = {}
    if fault.status == 429:
        reason = "Too Many Requests"
        payload = problem_body(429, reason, f"Rate limit exceeded: {fault.problem}")
        headers.update(rate_limit_headers(fault.problem, fault.retry_after))
    else:
        reason = "Simulated Fault"
        title = "Service Unavailable" if fault.status == 503 else "Server Error"
        payload = problem_body(fault.status, title, "Simulated fault")
    body = json.dumps(payload).encode()
    return answer(start_response, f"{fault.status} {reason}", body, JSON, headers.items())
