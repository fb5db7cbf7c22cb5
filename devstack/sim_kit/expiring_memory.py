"""What a simulator remembers for a while to answer again: an idempotency key's response, a
retried request's first answer."""

from __future__ import annotations

import threading

from .clock import SimClock


class ExpiringMemory[K, V]:
    """Values by key, each kept for the seconds it was given on the simulator clock."""

    def __init__(self, clock: SimClock) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self._entries: dict[K, tuple[V, float]] = {}  # value, expires at

    def recall(self, key: K) -> V | None:
        """The value kept under `key`; None once it has expired (and it is forgotten)."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            value, expires_at = entry
            if expires_at <= self.clock.now():
                del self._entries[key]
                return None
            return value

    def keep(self, key: K, value: V, seconds: float) -> None:
        expires_at = self.clock.now() + seconds
        with self._lock:
            self._entries[key] = (value, expires_at)

    def reset(self) -> None:
        with self._lock:
            self._entries.clear()
