"""100 concurrent reads for one tenant against the simulator's limits (the shared budget)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from devstack.xero_simulator import seed
from tests.integration.records.conftest import TENANT, api
from xero_bridge.settings import get_settings

PATH = f"/tenants/{TENANT}/invoices/{seed.A_INVOICE_AUTHORISED_ID}"


def _burst(n: int) -> list[int]:
    with ThreadPoolExecutor(max_workers=25) as pool:
        return [a.status for a in pool.map(lambda _: api("GET", PATH), range(n))]


@pytest.mark.xfail(
    reason=(
        "waits on the lead (budget owner): the budget frees a slot when our client has read "
        "the response, Xero (the simulator) a moment later, so a burst can briefly be the "
        "6th in flight at Xero; needs a release margin or retry-after-429 in the client path"
    ),
    strict=False,
)
def test_100_concurrent_reads_stay_within_the_in_flight_limit(records, monkeypatch):
    records.config.concurrent_limit = 5
    records.config.minute_limit = 1000
    monkeypatch.setenv("XERO_CONCURRENT_LIMIT", "5")
    monkeypatch.setenv("XERO_MINUTE_LIMIT", "1000")
    get_settings.cache_clear()
    start = len(records.call_log)
    statuses = _burst(100)
    seen = [c for c in records.call_log[start:] if c[2] == TENANT]
    assert [c for c in seen if c[3] == 429] == []  # Xero never had to refuse one
    assert statuses.count(200) == 100


def test_per_minute_limit_is_never_exceeded_at_xero(records, monkeypatch):
    records.config.minute_limit = 30
    monkeypatch.setenv("XERO_MINUTE_LIMIT", "30")
    get_settings.cache_clear()
    start = len(records.call_log)
    statuses = _burst(100)
    seen = [c for c in records.call_log[start:] if c[2] == TENANT]
    assert [c for c in seen if c[3] == 429] == []  # our budget said wait before Xero did
    assert set(statuses) <= {200, 429}
    assert 0 < statuses.count(200) <= 30


@pytest.mark.xfail(
    reason="waits on the lead: retries with backoff in the shared client path", strict=False
)
def test_all_100_reads_eventually_succeed_under_the_minute_limit(records, monkeypatch):
    records.config.minute_limit = 30
    monkeypatch.setenv("XERO_MINUTE_LIMIT", "30")
    get_settings.cache_clear()
    assert _burst(100).count(200) == 100
