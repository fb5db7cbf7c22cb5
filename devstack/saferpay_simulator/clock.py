"""The simulator's clock: real time plus an offset that tests move forward.

The same idea as the Xero simulator's SimClock, kept here so that this simulator does not
import (and start up) the whole Xero simulator.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime


class SimClock:
    """Every expiry and timestamp in the simulator reads this clock."""

    def __init__(self) -> None:
        self._offset = 0.0
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return time.time() + self._offset

    def now_dt(self) -> datetime:
        return datetime.fromtimestamp(self.now(), tz=UTC)

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._offset += seconds

    @property
    def offset(self) -> float:
        with self._lock:
            return self._offset

    def reset(self) -> None:
        with self._lock:
            self._offset = 0.0
