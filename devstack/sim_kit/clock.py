"""The simulators' clock: real time plus an offset that tests move forward."""

from __future__ import annotations

import threading
import time
from datetime import UTC, date, datetime


class SimClock:
    """Every expiry, rate window, settlement and timestamp in a simulator reads its clock.

    ``forward_only`` clocks refuse to go back (ValueError); the others take any offset.
    """

    def __init__(self, *, forward_only: bool = False) -> None:
        self.forward_only = forward_only
        self._offset = 0.0
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return time.time() + self._offset

    def now_dt(self) -> datetime:
        return datetime.fromtimestamp(self.now(), tz=UTC)

    def today(self) -> date:
        return self.now_dt().date()

    def advance(self, seconds: float) -> float:
        """Moves the offset by `seconds`; answers the new offset."""
        if self.forward_only and seconds < 0:
            raise ValueError("the clock only moves forward")
        with self._lock:
            self._offset += seconds
            return self._offset

    @property
    def offset(self) -> float:
        with self._lock:
            return self._offset

    def reset(self) -> None:
        with self._lock:
            self._offset = 0.0
