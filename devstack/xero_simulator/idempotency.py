"""Xero's Idempotency-Key: the same key on a write replays the stored answer for 6 minutes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from devstack.sim_kit.expiring_memory import ExpiringMemory

from .clock import SimClock
from .config import SimulatorConfig


@dataclass
class StoredResponse:
    status: int
    body: bytes
    content_type: str


class IdempotencyCache:
    """The answers by (client, tenant, key), each for `idempotency_ttl` seconds."""

    def __init__(self, clock: SimClock, config_getter: Callable[[], SimulatorConfig]) -> None:
        self.config_getter = config_getter
        self._answers: ExpiringMemory[tuple[str, str, str], StoredResponse] = ExpiringMemory(clock)

    def reset(self) -> None:
        self._answers.reset()

    def get(self, client_id: str, tenant_id: str, key: str) -> StoredResponse | None:
        return self._answers.recall((client_id, tenant_id, key))

    def put(
        self, client_id: str, tenant_id: str, key: str, status: int, body: bytes, content_type: str
    ) -> None:
        answer = StoredResponse(status, body, content_type)
        self._answers.keep(
            (client_id, tenant_id, key), answer, self.config_getter().idempotency_ttl
        )
