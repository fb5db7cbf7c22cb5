"""Xero's rate limits on the simulator clock: per tenant per minute/day/in flight, per app."""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

from devstack.sim_kit.locked_state import ClockedState

from .config import SimulatorConfig

MINUTE = 60.0
DAY = 86400.0


@dataclass
class Verdict:
    allowed: bool
    problem: str | None = None  # minute | daily | concurrent | appminute
    retry_after: int = 0
    headers: dict[str, str] | None = None


class RateLimiter(ClockedState[SimulatorConfig]):
    """Sliding windows. A refused call does not count; the caller releases in-flight slots."""

    def _empty(self) -> None:
        self._minute: dict[str, deque[float]] = {}
        self._day: dict[str, deque[float]] = {}
        self._app: dict[str, deque[float]] = {}
        self._in_flight: dict[str, int] = {}

    @staticmethod
    def _trim(window: deque[float], now: float, span: float) -> None:
        while window and window[0] <= now - span:
            window.popleft()

    def acquire(self, client_id: str, tenant_id: str) -> Verdict:
        config = self.config()
        now = self.clock.now()
        key = f"{client_id}:{tenant_id}"
        with self.lock:
            minute = self._minute.setdefault(key, deque())
            day = self._day.setdefault(key, deque())
            app = self._app.setdefault(client_id, deque())
            self._trim(minute, now, MINUTE)
            self._trim(day, now, DAY)
            self._trim(app, now, MINUTE)
            verdict: Verdict | None = None
            if len(day) >= config.day_limit:
                verdict = Verdict(False, "daily", _wait(day, now, DAY))
            elif len(app) >= config.app_minute_limit:
                verdict = Verdict(False, "appminute", _wait(app, now, MINUTE))
            elif len(minute) >= config.minute_limit:
                verdict = Verdict(False, "minute", _wait(minute, now, MINUTE))
            elif self._in_flight.get(key, 0) >= config.concurrent_limit:
                verdict = Verdict(False, "concurrent", 1)
            else:
                minute.append(now)
                day.append(now)
                app.append(now)
                self._in_flight[key] = self._in_flight.get(key, 0) + 1
                verdict = Verdict(True)
            verdict.headers = {
                "X-MinLimit-Remaining": str(max(config.minute_limit - len(minute), 0)),
                "X-DayLimit-Remaining": str(max(config.day_limit - len(day), 0)),
                "X-AppMinLimit-Remaining": str(max(config.app_minute_limit - len(app), 0)),
            }
            return verdict

    def release(self, client_id: str, tenant_id: str) -> None:
        key = f"{client_id}:{tenant_id}"
        with self.lock:
            self._in_flight[key] = max(self._in_flight.get(key, 0) - 1, 0)


def _wait(window: deque[float], now: float, span: float) -> int:
    return max(1, math.ceil(window[0] + span - now))
