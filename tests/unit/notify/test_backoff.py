"""Retry delays: exponential, jittered, capped, and over after three days."""

from __future__ import annotations

import random

from xero_bridge.notify.backoff import Backoff


def test_each_retry_waits_about_twice_as_long_within_half_to_all_of_its_step() -> None:
    backoff = Backoff(base_seconds=30, max_delay_seconds=3600)
    rand = random.Random(7)
    for retry, step in ((1, 30), (2, 60), (3, 120), (4, 240), (8, 3600), (20, 3600)):
        delays = [backoff.delay(retry, rand) for _ in range(200)]
        assert step / 2 <= min(delays) and max(delays) <= step
        assert max(delays) - min(delays) > step / 4  # jittered, not one value


def test_a_delivery_gives_up_once_the_next_attempt_would_be_past_three_days() -> None:
    backoff = Backoff()
    created = 1_000_000
    attempts, now = 0, created
    while (due := backoff.next_attempt_ms(created, now, attempts + 1)) is not None:
        attempts, now = attempts + 1, due
    assert now - created <= 3 * 86400 * 1000
    assert now - created > 2.5 * 86400 * 1000  # it kept trying for most of the three days
    assert 12 <= attempts <= 30
