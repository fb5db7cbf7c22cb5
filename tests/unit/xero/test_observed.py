"""What an operator sees of Xero calls and token refreshes: EMF metrics per function
(Powertools adds the function's service name as the dimension)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from xero_python.exceptions import HTTPStatusException

from xero_bridge.observability import metrics
from xero_bridge.xero import observed


@pytest.fixture
def fresh_metrics() -> Any:
    metrics.clear_metrics()
    yield metrics
    metrics.clear_metrics()


def _emitted(capsys: pytest.CaptureFixture[str]) -> dict[str, float]:
    """The metrics of the one EMF document flushed, each summed over its values."""
    metrics.flush_metrics()
    [line] = [text for text in capsys.readouterr().out.splitlines() if '"_aws"' in text]
    document = json.loads(line)
    names = [m["Name"] for m in document["_aws"]["CloudWatchMetrics"][0]["Metrics"]]
    return {
        name: sum(document[name]) if isinstance(document[name], list) else document[name]
        for name in names
    }


def test_each_attempt_is_counted_and_a_429_and_a_5xx_by_kind(
    fresh_metrics: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    with observed.attempt("t", "GET", "Invoices/abc"):
        pass
    for status in (429, 503, 404):
        with pytest.raises(HTTPStatusException), observed.attempt("t", "GET", "Invoices"):
            raise HTTPStatusException(status=status)
    observed.repeated()
    assert _emitted(capsys) == {
        "XeroCalls": 4,
        "XeroRateLimited": 1,
        "XeroFailures": 1,
        "XeroCallsRepeated": 1,
    }


def test_a_refresh_sweep_counts_its_outcomes(
    fresh_metrics: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from collections import Counter

    from xero_bridge.connections.refresh import _count_outcomes

    _count_outcomes(Counter({"refreshed": 3, "needs_reconnect": 1, "skipped": 2}))
    emitted = _emitted(capsys)
    assert emitted["TokenRefreshes"] == 3
    assert emitted["ConnectionsNeedingReconnect"] == 1
    assert emitted["TokenRefreshFailures"] == 0
