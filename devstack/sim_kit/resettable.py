"""State that a simulator's reset empties, behind the one lock that guards it."""

from __future__ import annotations

import threading


class ResettableState:
    """`clear` (a subclass's) sets the fields to their empty state: once when made and again on
    each `reset`, holding `lock`, the re-entrant lock every reader and writer holds too."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.clear()

    def clear(self) -> None:
        raise NotImplementedError
