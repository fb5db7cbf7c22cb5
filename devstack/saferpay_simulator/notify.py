"""Saferpay's notifications: when a payment ends, a plain GET of the SuccessNotifyUrl (or the
FailNotifyUrl), unsigned and without parameters of its own: it only says "ask me" (Assert is
the truth). A receiver must answer 200; a different status or no answer within the timeout
(10 s) is retried, up to three calls in all."""

from __future__ import annotations

import threading
from collections.abc import Callable

import httpx

from devstack.sim_kit.clock import SimClock

from .config import SaferpayConfig
from .state import NotificationAttempt, NotifyKind, PageSession, Store


class Notifier:
    def __init__(self, store: Store, clock: SimClock, config: Callable[[], SaferpayConfig]) -> None:
        self.store = store
        self.clock = clock
        self.config = config
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        # One client for all calls (thread-safe); each new one would build an SSL context.
        self._http = httpx.Client(follow_redirects=False)

    def send_async(self, session: PageSession) -> None:
        """A delivery round in the background, as Saferpay calls while the browser returns."""
        if _target(session) is None:
            return
        thread = threading.Thread(
            target=self.send, args=(session,), name="saferpay-sim-notify", daemon=True
        )
        with self._lock:
            self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()

    def send(self, session: PageSession) -> list[NotificationAttempt]:
        """One delivery round now: up to `notify_attempts` calls until one answers 200."""
        target = _target(session)
        if target is None:
            return []
        kind, url = target
        config = self.config()
        made: list[NotificationAttempt] = []
        for number in range(1, config.notify_attempts + 1):
            attempt = self._call(session.token, kind, url, number, config)
            made.append(attempt)
            with self.store.lock:
                self.store.notifications.append(attempt)
            if attempt.status == 200 or number == config.notify_attempts:
                break
            if self._stop.wait(config.notify_retry_delay_real_seconds):
                break
        return made

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """True when no delivery round is under way (tests wait on this, not on sleeps)."""
        with self._lock:
            threads = list(self._threads)
        for thread in threads:
            thread.join(timeout)
        return not any(t.is_alive() for t in threads)

    def stop(self) -> None:
        """Ends the rounds under way (their pending retries are dropped)."""
        self._stop.set()
        self.wait_idle(timeout=5.0)
        self._stop.clear()

    def close(self) -> None:
        self.stop()
        self._http.close()

    def _call(
        self, token: str, kind: NotifyKind, url: str, number: int, config: SaferpayConfig
    ) -> NotificationAttempt:
        at = self.clock.now()
        try:
            response = self._http.get(url, timeout=config.notify_timeout_real_seconds)
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"
            return NotificationAttempt(token, kind, url, number, at, None, error)
        return NotificationAttempt(token, kind, url, number, at, response.status_code)


def _target(session: PageSession) -> tuple[NotifyKind, str] | None:
    """("success", SuccessNotifyUrl) for a paid session, ("fail", FailNotifyUrl) for a failed
    one; None when there is nothing to call."""
    asked = session.request
    if session.status == "PAID" and asked.success_notify_url:
        return "success", asked.success_notify_url
    if session.status == "FAILED" and asked.fail_notify_url:
        return "fail", asked.fail_notify_url
    return None
