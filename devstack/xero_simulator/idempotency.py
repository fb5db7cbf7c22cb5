"""Xero's Idempotency-Key: the same key on a write replays the stored answer for 6 minutes."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from .clock import SimClock
from .config import SimulatorConfig


@dataclass
class StoredResponse:
    status: int
    body: bytes
    content_type: str
    expires_at: float


class IdempotencyCache:
    def __init__(self, clock: SimClock, config_getter: Callable[[], SimulatorConfig]) -> None:
        self.clock = clock
        self.config_getter = config_getter
        self._lock = threading.Lock()
        self._entries: dict[tuple[str, str, str], StoredResponse] = {}

    def reset(self) -> None:
        with self._lock:
            self._entries.clear()

    def get(self, client_id: str, tenant_id: str, key: str) -> StoredResponse | None:
        with self._lock:
            entry = self._entries.get((client_id, tenant_id, key))
            if entry and entry.expires_at <= self.clock.now():
                del self._entries[(client_id, tenant_id, key)]
                return None
            return entry

    def put(
        self, client_id: str, tenant_id: str, key: str, status: int, body: bytes, content_type: str
    ) -> None:
        expires_at = self.clock.now() + self.config_getter().idempotency_ttl
        with self._lock:
            self._entries[(client_id, tenant_id, key)] = StoredResponse(
                status, body, content_type, expires_at
            )
