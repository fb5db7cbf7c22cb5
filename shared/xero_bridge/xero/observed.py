"""What the shared Xero client tells an operator about each call it sends.

- Metrics (EMF, per function through Powertools' service dimension): `XeroCalls` for every
  attempt sent, `XeroRateLimited` for every 429, `XeroFailures` for 5xx answers and dropped
  connections, `XeroCallsRepeated` for every repeat.
- A trace subsegment per attempt (`## xero <METHOD> <resource>`), annotated with the tenant
  and the resource; X-Ray's patched HTTP client records the request itself inside it, and
  the DynamoDB calls of the token store and the call budget beside it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import urllib3
from aws_lambda_powertools.metrics import MetricUnit
from xero_python.exceptions import HTTPStatusException

from xero_bridge.observability import metrics, tracer


def _count(name: str) -> None:
    metrics.add_metric(name=name, unit=MetricUnit.Count, value=1)


@contextmanager
def attempt(tenant_id: str, method: str, path: str) -> Iterator[None]:
    """One attempt of a Xero call: counted, traced, and its failure counted by kind."""
    resource = path.split("/", 1)[0] or "?"
    _count("XeroCalls")
    with tracer.provider.in_subsegment(f"## xero {method.upper()} {resource}") as subsegment:
        subsegment.put_annotation("tenant_id", tenant_id)
        subsegment.put_annotation("xero_resource", resource)
        try:
            yield
        except HTTPStatusException as exc:
            subsegment.put_annotation("xero_status", exc.status)
            if exc.status == 429:
                _count("XeroRateLimited")
            elif exc.status >= 500:
                _count("XeroFailures")
            raise
        except urllib3.exceptions.HTTPError:  # a connection dropped or timed out
            _count("XeroFailures")
            raise


def repeated() -> None:
    _count("XeroCallsRepeated")
