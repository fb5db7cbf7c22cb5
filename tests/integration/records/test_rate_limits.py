"""100 concurrent reads for one tenant against the simulator's limits (the shared budget).

The simulator is Xero here: it refuses with 429 whatever passes its per-minute (sliding)
and in-flight limits, and logs every call it answered. "Xero never had to refuse one"
means our shared budget kept every Lambda inside those limits by itself.
"""

from __future__ import annotations

import bisect
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from devstack.xero_simulator import seed
from tests.integration.records.conftest import TENANT, api
from xero_bridge.settings import get_settings
from xero_bridge.xero import rate_budget as budget_module
from xero_bridge.xero import retries
from xero_bridge.xero.rate_budget import xero_budget

PATH = f"/tenants/{TENANT}/invoices/{seed.A_INVOICE_AUTHORISED_ID}"


class VirtualTime:
    """The simulator's clock as everybody's clock; waits move it on instead of sleeping.

    Minutes pass in milliseconds, so a test can wait out Xero's per-minute limit honestly:
    budget, client, callers and simulator all see the same time pass. As in a discrete-event
    simulation, time jumps only when every participating thread is asleep, and only to the
    earliest wake-up: a thread still working (mid-call) holds time still.
    """

    def __init__(self, sim_clock) -> None:
        self.sim_clock = sim_clock
        self.changed = threading.Condition()
        self.wake_ups: list[float] = []  # sorted
        self.participants = 0

    def now(self) -> float:
        return self.sim_clock.now()

    def run(self, workers: int, work: Callable[[], None]) -> None:
        """Run `work` on `workers` threads that take part in virtual time until they end."""
        with self.changed:
            self.participants += workers  # all counted before any can sleep

        def participant() -> None:
            try:
                work()
            finally:
                with self.changed:
                    self.participants -= 1
                    self.changed.notify_all()

        threads = [threading.Thread(target=participant) for _ in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def sleep(self, seconds: float) -> None:
        if seconds <= 0:
            return
        with self.changed:
            wake_at = self.now() + seconds
            bisect.insort(self.wake_ups, wake_at)
            try:
                while self.now() < wake_at:
                    everyone_asleep = len(self.wake_ups) >= self.participants
                    if everyone_asleep and self.wake_ups[0] == wake_at:
                        self.sim_clock.advance(wake_at - self.now())
                        self.changed.notify_all()
                    else:
                        self.changed.wait(0.05)
            finally:
                self.wake_ups.remove(wake_at)
                self.changed.notify_all()


def _burst(n: int, call: Callable[[int], int]) -> list[int]:
    with ThreadPoolExecutor(max_workers=25) as pool:
        return list(pool.map(call, range(n)))


def _once(_: int) -> int:
    return api("GET", PATH).status


class PatientCallers:
    """Frontends that come back after the Retry-After we answer with, until they get a 200."""

    def __init__(self, sleep: Callable[[float], None]) -> None:
        self.sleep = sleep
        self.retry_afters: list[int] = []

    def __call__(self, _: int = 0) -> int:
        for _attempt in range(20):
            answer = api("GET", PATH)
            if answer.status != 429:
                return answer.status
            retry_after = int(answer.headers["Retry-After"])
            self.retry_afters.append(retry_after)
            self.sleep(retry_after)
        return 429


def _refused_by_xero(records, start: int) -> list[tuple]:
    return [c for c in records.call_log[start:] if c[2] == TENANT and c[3] == 429]


def _limits(records, monkeypatch, *, minute: int, concurrent: int) -> None:
    records.config.minute_limit = minute
    records.config.concurrent_limit = concurrent
    monkeypatch.setenv("XERO_MINUTE_LIMIT", str(minute))
    monkeypatch.setenv("XERO_CONCURRENT_LIMIT", str(concurrent))
    get_settings.cache_clear()


def _virtual_time(records, monkeypatch) -> VirtualTime:
    virtual = VirtualTime(records.clock)
    monkeypatch.setattr(xero_budget, "clock", virtual.now)
    monkeypatch.setattr(xero_budget, "sleep", virtual.sleep)
    monkeypatch.setattr(retries, "sleep", virtual.sleep)
    # A lease ends by itself only for a Lambda that died mid-call (none here); a minute-long
    # jump of virtual time must not end the lease of a call still in flight.
    monkeypatch.setattr(budget_module, "LEASE_SECONDS", 3600)
    return virtual


def test_100_concurrent_reads_stay_within_the_in_flight_limit(records, monkeypatch):
    _limits(records, monkeypatch, minute=1000, concurrent=5)
    start = len(records.call_log)
    callers = PatientCallers(time.sleep)
    statuses = _burst(100, callers)
    assert _refused_by_xero(records, start) == []  # Xero never had to refuse one
    assert statuses.count(200) == 100
    # A caller kept waiting for a slot longer than the budget's wait is told to come back.
    assert all(wait == 1 for wait in callers.retry_afters)


def test_per_minute_limit_is_never_exceeded_at_xero(records, monkeypatch):
    _limits(records, monkeypatch, minute=30, concurrent=5)
    start = len(records.call_log)
    statuses = _burst(100, _once)
    assert _refused_by_xero(records, start) == []  # our budget said wait before Xero did
    assert set(statuses) <= {200, 429}
    assert 0 < statuses.count(200) <= 30


def test_all_100_reads_eventually_succeed_under_the_minute_limit(records, monkeypatch):
    """Callers that come back after our Retry-After all get their answer; Xero refuses none."""
    _limits(records, monkeypatch, minute=30, concurrent=5)
    virtual = _virtual_time(records, monkeypatch)
    callers = PatientCallers(virtual.sleep)
    start, began = len(records.call_log), virtual.now()
    statuses: list[int] = []
    # 25 callers at once, 4 reads each, one after the other.
    virtual.run(25, lambda: statuses.extend(callers() for _ in range(4)))
    assert statuses.count(200) == 100
    assert _refused_by_xero(records, start) == []
    assert callers.retry_afters and all(1 <= wait <= 60 for wait in callers.retry_afters), (
        callers.retry_afters
    )
    # 100 calls at 30 a minute need a bit more than three minutes, and not much more:
    # the Retry-After we give is the wait that is really needed.
    elapsed = virtual.now() - began
    assert 180 <= elapsed < 240, elapsed


def test_xeros_own_short_429_is_waited_out(records, monkeypatch):
    waits: list[float] = []
    monkeypatch.setattr(retries, "sleep", waits.append)
    records.faults.add(kind="error", path_prefix="/api.xro/2.0/Invoices", status=429, retry_after=1)
    answer = api("GET", PATH)
    assert answer.status == 200, answer
    assert waits == [1.0]  # what Xero's Retry-After said


def test_xeros_own_long_429_is_passed_on_with_its_retry_after(records, monkeypatch):
    records.faults.add(
        kind="error", path_prefix="/api.xro/2.0/Invoices", status=429, retry_after=40
    )
    start = len(records.call_log)
    answer = api("GET", PATH)
    assert answer.status == 429
    assert answer.headers["Retry-After"] == "40"
    assert answer.body["error"]["code"] == "rate_limited"
    # Every Lambda now waits for this tenant: the next read is refused without calling Xero.
    again = api("GET", PATH)
    assert again.status == 429 and 38 <= int(again.headers["Retry-After"]) <= 40
    # (The fault answered the first; had the second reached Xero it would be logged.)
    assert records.faults.active() == []
    assert [c for c in records.call_log[start:] if c[2] == TENANT] == []
