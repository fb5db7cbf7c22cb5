"""A simulator's mutable state behind one lock, and the reset that empties it."""

from __future__ import annotations

import threading


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
