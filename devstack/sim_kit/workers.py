"""Background daemon threads that run until told to stop (schedulers, pollers)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


class Workers:
    """`spawn` starts a daemon thread; `stop` sets `stopping` (which the threads' loops
    watch) and waits for each of them a little."""

    def __init__(self) -> None:
        self.stopping = threading.Event()
        self._threads: list[threading.Thread] = []

    def spawn(self, target: Callable[..., object], *args: Any, name: str | None = None) -> None:
        thread = threading.Thread(target=target, args=args, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def stop(self) -> None:
        self.stopping.set()
        for thread in self._threads:
            thread.join(timeout=5)
        self._threads.clear()
