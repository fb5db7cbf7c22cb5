"""What the httpx rails' clients (Solaris, Saferpay, OKX) share: one connection pool per
process, a count of the attempts made, one attempt that tells an answer from none, and the
backoff with jitter between attempts. What each provider's answers mean stays in its client.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from typing import Any, ClassVar

import httpx

from xero_bridge.errors import ServiceUnavailableError, UpstreamTimeoutError, XeroBridgeError
from xero_bridge.observability import logger
from xero_bridge.rails.config import ApiConfig


class ConnectionPool:
    """One httpx client (a connection pool) per process, made on first use."""

    def __init__(self, headers: dict[str, str]) -> None:
        self.headers = headers
        self.client: httpx.Client | None = None
        self._lock = threading.Lock()

    def __call__(self) -> httpx.Client:
        with self._lock:
            if self.client is None:
                self.client = httpx.Client(headers=self.headers)
            return self.client


class NoAnswer(Exception):
    """An attempt that got no answer: `why` is "timeout", or the rail's word for a dropped
    connection."""

    def __init__(self, why: str, timed_out: bool) -> None:
        super().__init__(why)
        self.why = why
        self.timed_out = timed_out


class RailHttpClient[ConfigT: ApiConfig]:
    """Calls to one provider's API for one configuration."""

    title: ClassVar[str]  # the provider, for messages: "Solaris"
    pool: ClassVar[ConnectionPool]
    max_delay: ClassVar[float] = 5.0  # seconds: the longest wait between two attempts
    dropped: ClassVar[str] = "transport"  # `NoAnswer.why` of a dropped connection

    def __init__(self, config: ConfigT) -> None:
        self.config = config
        self.calls = 0  # attempts made, for the logs, the bench and the tests

    def _attempt(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """One attempt at a call: the provider's answer, whatever its status, or NoAnswer."""
        self.calls += 1
        try:
            return self.pool().request(method, url, timeout=self.config.timeout, **kwargs)
        except httpx.TimeoutException:
            raise NoAnswer("timeout", timed_out=True) from None
        except httpx.TransportError:
            raise NoAnswer(self.dropped, timed_out=False) from None

    def _gave_up(self, no_answer: NoAnswer) -> XeroBridgeError:
        """What the last attempt without an answer is: 504 timed out, or 503 unreachable."""
        if no_answer.timed_out:
            return UpstreamTimeoutError(f"{self.title} did not answer in time: retry")
        return ServiceUnavailableError(f"{self.title} could not be reached: retry")

    def _retrying[Answer](
        self, attempt: Callable[[int, bool], Answer | str], **where: str
    ) -> Answer:
        """`attempt(number, last)` up to the configured number of times, while it answers why
        to try again (a str) instead of its answer; on the last it must raise or answer."""
        attempts = self.config.max_attempts
        for number in range(1, attempts + 1):
            answer = attempt(number, number == attempts)
            if not isinstance(answer, str):
                return answer
            self._backoff(number, answer, **where)
        raise AssertionError("unreachable")

    def _backoff(self, attempt: int, why: str, **where: str) -> None:
        """Wait before attempt `attempt` + 1: exponential, with jitter, at most `max_delay`."""
        delay = self.config.retry_base * 2 ** (attempt - 1)
        delay = min(delay + random.uniform(0, delay), self.max_delay)  # noqa: S311 - jitter
        logger.info(f"{self.title.lower()} call repeated", extra={"why": why, **where})
        time.sleep(delay)
