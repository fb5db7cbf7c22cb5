"""The simulator's clock: real time plus an offset that tests move forward."""

from __future__ import annotations

import threading
import time
from datetime import UTC, date, datetime


class SimClock:
    """Every state change, expiry and timestamp in the simulator reads this clock."""

    def __init__(self) -> None:
        self._offset = 0.0
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return time.time() + self._offset

    def today(self) -> date:
        return datetime.fromtimestamp(self.now(), tz=UTC).date()

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        with self._lock:
            self._offset += seconds

    @property
    def offset(self) -> float:
        with self._lock:
            return self._offset

    def reset(self) -> None:
        with self._lock:
            self._offset = 0.0
