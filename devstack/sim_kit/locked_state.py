"""A simulator's mutable state behind one lock, and the reset that empties it."""

from __future__ import annotations

import threading
from collections.abc import Callable

from .clock import SimClock


class LockedState:
    """Hold ``lock`` (re-entrant) while reading or writing the state. `reset` empties it under
    the lock; a subclass says how in `_empty`, and sets what `_empty` reads before calling
    ``super().__init__()``."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self._empty()

    def _empty(self) -> None:
        """Called under the lock: every collection back to empty, every counter to its start."""
        raise NotImplementedError


class ClockedState[ConfigT](LockedState):
    """A LockedState that reads the simulator's clock and its config as it is at the time
    (`config()`: a changed or restored config shows at once, in `_empty` too). A subclass sets
    whatever else `_empty` reads before calling ``super().__init__(clock, config)``."""

    def __init__(self, clock: SimClock, config: Callable[[], ConfigT]) -> None:
        self.clock = clock
        self.config = config
        super().__init__()
