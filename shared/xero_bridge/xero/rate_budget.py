"""Xero's per-tenant limits as one budget that every Lambda shares (DynamoDB-backed).

Every Accounting API call goes through `xero_budget.call(tenant_id)`: it waits (briefly)
for a slot under the minute, day, in-flight and app-wide limits, and gives the slot back
after the call. What Xero says wins over our counts: a 429's Retry-After, or a response
saying no calls remain this minute or day, blocks the tenant for every Lambda until then.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager

from xero_bridge.errors import RateLimitedError
from xero_bridge.persistence import rate_budget as store
from xero_bridge.settings import get_settings
from xero_bridge.xero.headers import retry_after_seconds

# A lease outlives any single Xero call (the client's read timeout is far shorter), so only a
# Lambda that died mid-call leaves one behind, and then only for this long.
LEASE_SECONDS = 60


class XeroCallBudget:
    def __init__(
        self,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.clock = clock
        self.sleep = sleep

    def limits(self) -> store.Limits:
        settings = get_settings()
        return store.Limits(
            minute=settings.xero_minute_limit,
            day=settings.xero_day_limit,
            concurrent=settings.xero_concurrent_limit,
            app_minute=settings.xero_app_minute_limit,
        )

    @contextmanager
    def call(self, tenant_id: str, max_wait: float = 5.0) -> Iterator[None]:
        """Hold one call's slot for `tenant_id`, waiting up to `max_wait` seconds for one.

        Raises RateLimitedError (429 with Retry-After) when the wait would be longer: a
        caller is better told to come back than kept until its Lambda times out.
        """
        call_id = uuid.uuid4().hex[:16]
        deadline = self.clock() + max_wait
        limits = self.limits()
        while True:
            now = self.clock()
            refusal = store.try_take(tenant_id, call_id, limits, LEASE_SECONDS, now)
            if refusal is None:
                break
            if now + refusal.retry_after > deadline:
                raise RateLimitedError(
                    f"Xero's {refusal.problem} call limit for this organisation is used up",
                    retry_after=refusal.retry_after,
                    details=[{"limit": refusal.problem}],
                )
            if refusal.retry_after > 0:
                # Jitter spreads the retries of Lambdas that were refused together.
                self.sleep(min(refusal.retry_after, 1.0) * random.uniform(0.5, 1.0))  # noqa: S311
        try:
            yield
        finally:
            store.release(tenant_id, call_id, self.clock())

    def observe(self, tenant_id: str, headers: Mapping[str, str]) -> None:
        """Learn from a Xero response's headers (a 429's Retry-After, remaining counts)."""
        lowered = {key.lower(): value for key, value in headers.items()}
        now = self.clock()
        retry_after = retry_after_seconds(headers)
        if retry_after is not None:
            store.block_until(tenant_id, now + max(1.0, retry_after))
            return
        if lowered.get("x-daylimit-remaining") == "0":
            store.block_until(tenant_id, (int(now // 86400) + 1) * 86400)
        elif lowered.get("x-minlimit-remaining") == "0":
            # Xero's minute is full (its limit may be lower than ours). Room comes when the
            # oldest call in its window is a minute old: our log's oldest, when every call of
            # this app went through the budget; if one did not, Xero's 429 will say.
            oldest = store.oldest_recent_call(tenant_id, now)
            store.block_until(tenant_id, (now if oldest is None else oldest) + 60)


xero_budget = XeroCallBudget()
