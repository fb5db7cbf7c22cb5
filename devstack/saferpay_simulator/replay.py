"""Saferpay's retries: "If a request is retried due to an error, use the same request id ...
the RetryIndicator should be increased instead, to indicate a subsequent attempt."

A request with a RequestId already answered successfully (same customer, same operation) and a
RetryIndicator above 0 gets that first answer again, and has no second effect. Only successful
answers are remembered: a retry after an error (a RETRY_LATER, an injected 500) is processed
anew, as Saferpay's behaviors ask callers to retry. A "retry" whose body differs from the
original is refused: the same RequestId must carry the same request.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from devstack.sim_kit.clock import SimClock
from devstack.sim_kit.expiring_memory import ExpiringMemory

from .config import SaferpayConfig
from .errors import validation_failed
from .validation import RequestHeader


@dataclass
class Remembered:
    fingerprint: str
    status: int
    body: dict[str, Any]


def fingerprint(body: dict[str, Any]) -> str:
    """The request as a retry must repeat it: everything but the RetryIndicator."""
    header = dict(body.get("RequestHeader") or {})
    header.pop("RetryIndicator", None)
    return json.dumps({**body, "RequestHeader": header}, sort_keys=True, separators=(",", ":"))


class ReplayMemory:
    """First answers by (customer, RequestId, operation), each for `retry_memory_seconds`."""

    def __init__(self, clock: SimClock, config: Callable[[], SaferpayConfig]) -> None:
        self.config = config
        self._answers: ExpiringMemory[tuple[str, str, str], Remembered] = ExpiringMemory(clock)

    def recall(
        self, operation: str, header: RequestHeader, body: dict[str, Any]
    ) -> Remembered | None:
        """The first answer, when this request is a retry of one already answered."""
        if header.retry_indicator == 0:
            return None
        found = self._answers.recall((header.customer_id, header.request_id, operation))
        if found is None:
            return None
        if found.fingerprint != fingerprint(body):
            raise validation_failed(
                ["RequestHeader.RequestId: A retry must repeat the original request."]
            )
        return found

    def remember(
        self,
        operation: str,
        header: RequestHeader,
        body: dict[str, Any],
        status: int,
        answer: dict[str, Any],
    ) -> None:
        self._answers.keep(
            (header.customer_id, header.request_id, operation),
            Remembered(fingerprint(body), status, answer),
            self.config().retry_memory_seconds,
        )

    def reset(self) -> None:
        self._answers.reset()
