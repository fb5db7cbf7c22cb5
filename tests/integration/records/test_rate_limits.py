"""100 concurrent reads for one tenant against the simulator's limits (the shared budget).

The simulator is Xero here: it refuses with 429 whatever passes its per-minute (sliding)
and in-flight limits, and logs every call it answered. "Xero never had to refuse one"
means our shared budget kept every Lambda inside those limits by itself.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from devstack.xero_simulator import seed
from tests.fixtures.virtual_time import PatientCallers, VirtualTime
from tests.integration.records.conftest import TENANT, api
from xero_bridge.settings import get_settings
from xero_bridge.xero import retries

PATH = f"/tenants/{TENANT}/invoices/{seed.A_INVOICE_AUTHORISED_ID}"
LIVE = {"Cache-Control": "no-cache"}  # every read asks Xero, not a snapshot


def _burst(n: int, call: Callable[[int], int]) -> list[int]:
    with ThreadPoolExecutor(max_workers=25) as pool:
        return list(pool.map(call, range(n)))


def _once(_: int) -> int:
    return api("GET", PATH, headers=LIVE).status


def _read() -> tuple[int, dict[str, str]]:
    answer = api("GET", PATH, headers=LIVE)
    return answer.status, answer.headers


def _refused_by_xero(records, start: int) -> list[tuple]:
    return [c for c in records.call_log[start:] if c[2] == TENANT and c[3] == 429]


def _limits(records, monkeypatch, *, minute: int, concurrent: int) -> None:
    records.config.minute_limit = minute
    records.config.concurrent_limit = concurrent
    monkeypatch.setenv("XERO_MINUTE_LIMIT", str(minute))
    monkeypatch.setenv("XERO_CONCURRENT_LIMIT", str(concurrent))
    get_settings.cache_clear()


def test_100_concurrent_reads_stay_within_the_in_flight_limit(records, monkeypatch):
    _limits(records, monkeypatch, minute=1000, concurrent=5)
    start = len(records.call_log)
    callers = PatientCallers(_read, time.sleep)
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
    virtual = VirtualTime(records.clock)
    virtual.install(monkeypatch)
    callers = PatientCallers(_read, virtual.sleep)
    start, began, real_start = len(records.call_log), virtual.now(), time.monotonic()
    statuses: list[int] = []
    # 25 callers at once, 4 reads each, one after the other.
    virtual.run(25, lambda: statuses.extend(callers() for _ in range(4)))
    assert statuses.count(200) == 100
    assert _refused_by_xero(records, start) == []
    assert callers.retry_afters and all(1 <= wait <= 60 for wait in callers.retry_afters), (
        callers.retry_afters
    )
    # 100 calls at 30 a minute need a bit more than three minutes, and not much more:
    # the Retry-After we give is the wait that is really needed. (Real time passes in the
    # simulator's clock too: a slow machine adds its own seconds.)
    elapsed = virtual.now() - began
    assert 180 <= elapsed < 240 + (time.monotonic() - real_start), elapsed


def test_xeros_own_short_429_is_waited_out(records, monkeypatch):
    waits: list[float] = []
    monkeypatch.setattr(retries, "sleep", waits.append)
    records.faults.add(kind="error", path_prefix="/api.xro/2.0/Invoices", status=429, retry_after=1)
    answer = api("GET", PATH, headers=LIVE)
    assert answer.status == 200, answer
    assert waits == [1.0]  # what Xero's Retry-After said


def test_xeros_own_long_429_is_passed_on_with_its_retry_after(records, monkeypatch):
    records.faults.add(
        kind="error", path_prefix="/api.xro/2.0/Invoices", status=429, retry_after=40
    )
    start = len(records.call_log)
    answer = api("GET", PATH, headers=LIVE)
    assert answer.status == 429
    assert answer.headers["Retry-After"] == "40"
    assert answer.body["error"]["code"] == "rate_limited"
    # Every Lambda now waits for this tenant: the next read is refused without calling Xero.
    again = api("GET", PATH, headers=LIVE)
    assert again.status == 429 and 38 <= int(again.headers["Retry-After"]) <= 40
    # (The fault answered the first; had the second reached Xero it would be logged.)
    assert records.faults.active() == []
    assert [c for c in records.call_log[start:] if c[2] == TENANT] == []
