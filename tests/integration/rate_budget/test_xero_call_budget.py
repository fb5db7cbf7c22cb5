"""The shared Xero call budget: limits hold across threads, Xero's word wins, leases expire."""

import threading

import pytest

from tests.fixtures.virtual_time import ManualClock
from xero_bridge.errors import RateLimitedError
from xero_bridge.xero.rate_budget import LEASE_SECONDS, XeroCallBudget

TENANT = "tenant-a"


@pytest.fixture
def budget_table(aws, monkeypatch):
    from tests.fixtures.aws import reset_caches

    monkeypatch.setenv("RATE_BUDGET_TABLE", aws["RateBudgetTable"].ref)
    reset_caches()


@pytest.fixture
def clock():
    return ManualClock(1_800_000_000.0)  # the start of a minute


def _budget(clock) -> XeroCallBudget:
    return XeroCallBudget(clock=clock, sleep=lambda seconds: clock.advance(seconds))


def test_the_sixty_first_call_in_a_minute_waits_or_is_refused(budget_table, clock):
    budget = _budget(clock)
    for _ in range(60):
        with budget.call(TENANT, max_wait=0):
            clock.advance(0.5)  # each call takes half a second
    with pytest.raises(RateLimitedError) as refused, budget.call(TENANT, max_wait=0):
        pass
    assert refused.value.status == 429
    assert refused.value.details == [{"limit": "minute"}]
    # A sliding minute: the first call (answered at +0.5 s) leaves it at +60.5 s.
    assert refused.value.retry_after == 31
    # Another tenant has its own budget.
    with budget.call("tenant-b", max_wait=0):
        pass
    # Willing to wait past the minute: the call goes through in the next one.
    with budget.call(TENANT, max_wait=61):
        pass
    assert clock.now >= 1_800_000_060


def test_at_most_five_calls_in_flight(budget_table, clock):
    budget = _budget(clock)
    held = [budget.call(TENANT, max_wait=0) for _ in range(5)]
    for slot in held:
        slot.__enter__()
    with pytest.raises(RateLimitedError) as refused, budget.call(TENANT, max_wait=0):
        pass
    assert refused.value.details == [{"limit": "concurrent"}]
    held[0].__exit__(None, None, None)
    with budget.call(TENANT, max_wait=0):
        pass
    for slot in held[1:]:
        slot.__exit__(None, None, None)


def test_a_dead_lambdas_slot_frees_itself(budget_table, clock):
    budget = _budget(clock)
    # Five callers that never give their slot back (a killed Lambda runs no `finally`).
    dead = [budget.call(TENANT, max_wait=0) for _ in range(5)]
    for slot in dead:
        slot.__enter__()
    with pytest.raises(RateLimitedError), budget.call(TENANT, max_wait=0):
        pass
    clock.advance(LEASE_SECONDS + 1)
    with budget.call(TENANT, max_wait=1):
        pass


def test_retry_after_from_xero_blocks_every_caller(budget_table, clock):
    budget = _budget(clock)
    budget.observe(TENANT, {"Retry-After": "30", "X-Rate-Limit-Problem": "minute"})
    other_lambda = _budget(clock)  # shares nothing but the table
    with pytest.raises(RateLimitedError) as refused, other_lambda.call(TENANT, max_wait=0):
        pass
    assert refused.value.details == [{"limit": "blocked"}]
    assert 29 <= refused.value.retry_after <= 30
    clock.advance(30)
    with other_lambda.call(TENANT, max_wait=0):
        pass


def test_no_calls_left_per_xero_blocks_until_its_oldest_call_ages_out(budget_table, clock):
    """Xero's minute limit can be lower than ours: its headers win, and the wait is exact."""
    budget = _budget(clock)
    clock.advance(20)
    for _ in range(10):  # our limit (60) is far away
        with budget.call(TENANT, max_wait=0):
            clock.advance(1)  # the first call is answered at +21
    budget.observe(TENANT, {"X-MinLimit-Remaining": "0", "X-DayLimit-Remaining": "4000"})
    with pytest.raises(RateLimitedError) as refused, budget.call(TENANT, max_wait=0):
        pass
    assert refused.value.details == [{"limit": "blocked"}]
    assert refused.value.retry_after == 51  # now +30; the call of +21 ages out at +81
    clock.advance(51)
    with budget.call(TENANT, max_wait=0):
        pass


def test_concurrent_callers_never_exceed_the_limits(budget_table):
    """100 callers at once: 5 in flight at most, 60 served, the other 40 told to come back
    after the minute. In virtual time (the budget's clock and waits, and each call's own
    10 ms), so the machine's load cannot turn a waiting caller into a refused one."""
    from devstack.xero_simulator.clock import SimClock
    from tests.fixtures.virtual_time import VirtualTime

    virtual = VirtualTime(SimClock())
    budget = XeroCallBudget(clock=virtual.now, sleep=virtual.sleep)
    in_flight, peak, succeeded, refused = [0], [0], [], []
    lock = threading.Lock()

    def caller() -> None:
        try:
            with budget.call(TENANT, max_wait=30):
                with lock:
                    in_flight[0] += 1
                    peak[0] = max(peak[0], in_flight[0])
                virtual.sleep(0.01)  # the Xero call
                with lock:
                    in_flight[0] -= 1
            succeeded.append(1)
        except RateLimitedError as exc:
            refused.append(exc.details[0]["limit"])

    virtual.run(100, caller)
    assert (len(succeeded), len(refused)) == (60, 40), refused
    assert set(refused) == {"minute"}
    assert 1 <= peak[0] <= 5


def test_the_minute_slides_across_the_clock_minute(budget_table, clock):
    """Xero counts the last 60 seconds, not the clock minute: no second lot at :00."""
    budget = _budget(clock)
    clock.advance(53)  # 12:00:53
    for _ in range(60):
        with budget.call(TENANT, max_wait=0):
            clock.advance(0.1)  # each call takes 0.1 s: the last ends at 12:00:59
    clock.advance(2)  # 12:01:01: a new clock minute, but the minute since 12:00:01 is full
    with pytest.raises(RateLimitedError) as refused, budget.call(TENANT, max_wait=0):
        pass
    assert refused.value.details == [{"limit": "minute"}]
    assert refused.value.retry_after == 53  # the first call (answered 12:00:53.1) ages out
    clock.advance(52.2)
    with budget.call(TENANT, max_wait=0):
        pass
