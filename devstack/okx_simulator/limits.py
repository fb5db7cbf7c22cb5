"""OKX's per-endpoint rate limits: sliding windows on the simulator clock, one per caller
(API key, or IP for public endpoints) and endpoint. A refused request does not count."""

from __future__ import annotations

import threading
from collections import deque

from .config import Limit


class RateLimiter:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._windows: dict[str, deque[float]] = {}

    def allow(self, bucket: str, limit: Limit, now: float) -> bool:
        with self._lock:
            window = self._windows.setdefault(bucket, deque())
            while window and window[0] <= now - limit.seconds:
                window.popleft()
            if len(window) >= limit.count:
                return False
            window.append(now)
            return True

    def reset(self) -> None:
        with self._lock:
            self._windows.clear()
