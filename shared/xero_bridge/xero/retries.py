"""Which failed Xero calls the shared client repeats, and after how long.

- **429** (any method): Xero refused the call before doing anything, so repeating it is
  always safe. The wait is Xero's Retry-After, and only if it fits in what is left of the
  call's waiting allowance; a longer one is passed on to our caller (429 + Retry-After).
- **502/503/504 and dropped connections**: repeated for reads, and for writes that carry an
  `Idempotency-Key` (Xero answers a repeated key with the first outcome, never a second
  write). Other writes are not: the first may have been applied.
- **Connections that never opened**: nothing was sent, so any method is repeated.
- **Read timeouts are not repeated**: a hung Xero is better reported at once (503) than
  waited on again until API Gateway gives up.

Waits grow exponentially with full jitter (`base · 2^attempt · U(0, 1)`), at least any
Retry-After Xero sent. urllib3's own Retry could do the sleeping, but below the shared call
budget: its repeats would go uncounted, and it sleeps any Retry-After however long.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import Any

import urllib3
from xero_python.exceptions import HTTPStatusException

from xero_bridge.settings import get_settings
from xero_bridge.xero.headers import headers_of, retry_after_seconds

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
TRANSIENT_STATUSES = frozenset({502, 503, 504})

# The one place the client waits; tests replace it to run in virtual time.
sleep = time.sleep


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int  # including the first
    max_wait: float  # seconds one call may spend waiting between its attempts, in all
    base_delay: float

    @classmethod
    def from_settings(cls) -> RetryPolicy:
        settings = get_settings()
        return cls(
            max_attempts=settings.xero_max_attempts,
            max_wait=settings.xero_retry_max_wait_seconds,
            base_delay=settings.xero_retry_base_seconds,
        )

    def backoff(self, attempt: int) -> float:
        return self.base_delay * (2**attempt) * random.random()  # noqa: S311

    def delay(
        self, exc: BaseException, method: str, idempotent: bool, attempt: int
    ) -> float | None:
        """Seconds to wait before repeating after failed attempt `attempt` (0-based), or None.

        `idempotent`: the request carries an Idempotency-Key Xero de-duplicates on.
        """
        if attempt + 1 >= self.max_attempts:
            return None
        repeatable = method.upper() in SAFE_METHODS or idempotent
        if isinstance(exc, HTTPStatusException):
            retry_after = retry_after_seconds(headers_of(exc.http_resp))
            if exc.status == 429:
                return 60.0 if retry_after is None else retry_after
            if exc.status in TRANSIENT_STATUSES and repeatable:
                return max(retry_after or 0.0, self.backoff(attempt))
            return None
        if isinstance(exc, urllib3.exceptions.HTTPError):
            cause = getattr(exc, "reason", None) or exc
            if isinstance(cause, urllib3.exceptions.ConnectTimeoutError):
                return self.backoff(attempt)  # never connected: nothing was sent
            if isinstance(cause, urllib3.exceptions.ProtocolError) and repeatable:
                return self.backoff(attempt)
        return None


def describe(exc: Any) -> str:
    """A short, secret-free name for what failed (for logs)."""
    if isinstance(exc, HTTPStatusException):
        return f"HTTP {exc.status}"
    cause = getattr(exc, "reason", None) or exc
    return type(cause).__name__
