"""When a failed delivery is tried again: exponential backoff with jitter, for up to 3 days.

The n-th retry waits base * 2^(n-1), capped at `max_delay`, then scaled by a random factor
in [0.5, 1] ("equal jitter": never sooner than half the step, so a fleet of failing receivers
does not retry in lock-step, and never later than the step). With the defaults (30 s base,
6 h cap) that is about 30 s, 1 min, 2 min … 4 h, then every ~6 h, some 20 attempts in all
before a delivery three days old gives up.

Waits up to SQS's 15-minute DelaySeconds go back through the queue; longer ones wait in the
deliveries' due index, which the sweep reads every minute.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

SQS_MAX_DELAY_SECONDS = 900


@dataclass(frozen=True)
class Backoff:
    base_seconds: float = 30.0
    max_delay_seconds: float = 6 * 3600.0
    give_up_after_seconds: float = 3 * 86400.0

    def delay(self, retry: int, rand: random.Random | None = None) -> float:
        """Seconds before retry number `retry` (1 for the first retry)."""
        step = min(self.max_delay_seconds, self.base_seconds * 2 ** max(0, retry - 1))
        factor = 0.5 + 0.5 * (rand or random).random()
        return step * factor

    def next_attempt_ms(self, created_ms: int, now_ms: int, retry: int) -> int | None:
        """When to try again, or None when the delivery is too old for another attempt."""
        due = now_ms + int(self.delay(retry) * 1000)
        if due - created_ms > self.give_up_after_seconds * 1000:
            return None
        return due
