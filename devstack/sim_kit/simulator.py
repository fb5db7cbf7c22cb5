"""The part every simulator shares: its config (and the one to go back to on reset), its
clock, and its app served on loopback."""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from typing import Any

from .clock import SimClock
from .serving import LoopbackServer


class Simulator[ConfigT]:
    """A subclass builds ``self.app`` in its __init__; `start` serves it on loopback.

    `_started` runs once the server is up (background work: webhook senders, tickers) and
    `_stopping` before the server goes down.
    """

    app: Any  # the WSGI app (a Flask app, with its middleware in app.wsgi_app)

    def __init__(self, config: ConfigT, thread_name: str, *, forward_only: bool = False) -> None:
        self._initial_config = copy.deepcopy(config)
        self.config = copy.deepcopy(config)
        self.clock = SimClock(forward_only=forward_only)
        self._url = "http://127.0.0.1"
        self._server = LoopbackServer(thread_name)

    def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        self._url = self._server.start(self.app, host, port)
        self._started()
        return self._url

    def stop(self) -> None:
        self._stopping()
        self._server.stop()

    @property
    def url(self) -> str:
        return self._url

    def _started(self) -> None:
        pass

    def _stopping(self) -> None:
        pass

    def _restore_config(self) -> None:
        """The config as the simulator was made with (what a reset goes back to)."""
        self.config = copy.deepcopy(self._initial_config)


class Ticker:
    """Calls `step` every `interval()` real seconds on a daemon thread, from `start` to
    `stop`. A step that raises is handed to `failed` and the next one runs anyway: one broken
    step (or a bad webhook receiver) must not stop time for the rest."""

    def __init__(
        self,
        step: Callable[[], object],
        interval: Callable[[], float],
        name: str,
        failed: Callable[[], None] = lambda: None,
    ) -> None:
        self.step = step
        self.interval = interval
        self.name = name
        self.failed = failed
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._stopped.clear()
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def _run(self) -> None:
        while not self._stopped.wait(self.interval()):
            try:
                self.step()
            except Exception:
                self.failed()
