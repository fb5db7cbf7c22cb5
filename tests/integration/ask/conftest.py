import warnings
from collections.abc import Iterator

import pytest

from xero_bridge.observability import metrics

TEST_NAMESPACE = "XeroBridgeTests"


@pytest.fixture(autouse=True)
def fresh_metrics(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No metric left over from another test, and a namespace to flush them under.

    Powertools reads POWERTOOLS_METRICS_NAMESPACE when `metrics` is created, at the first
    import of xero_bridge.observability: in Lambda after the template's variables are set,
    here at collection, before any fixture sets them.
    """
    metrics.clear_metrics()
    # A refused or failed question has no metrics, and Powertools warns of it on each flush.
    warnings.filterwarnings("ignore", "No application metrics to publish", UserWarning)
    monkeypatch.setattr(metrics, "namespace", TEST_NAMESPACE)
    yield
    metrics.clear_metrics()
