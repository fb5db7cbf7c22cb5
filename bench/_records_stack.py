"""The in-process stack the records benchmarks run against: moto provisioned from
template.yaml, the Xero simulator on loopback, and DEMO_TENANT_A connected by `alice` through
the real OAuth flow. Requests go to the records handler as Lambda runs it
(`tests.integration.records.conftest.api`)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def records_stack(**environment: str) -> Iterator[Any]:
    """Yields the running `XeroSimulator`; `environment` adds or overrides variables."""
    from bench._environment import offline_aws_environment

    offline_aws_environment(POWERTOOLS_LOG_LEVEL="ERROR")  # before any logger is made

    import pytest
    from moto import mock_aws

    from devstack.xero_simulator import DEMO_TENANT_A, XeroSimulator
    from tests.fixtures.aws import provision, reset_caches
    from tests.fixtures.xero import point_product_at
    from tests.integration.connections import conftest as connections
    from xero_bridge.observability import metrics

    sim = XeroSimulator()
    sim.start()
    try:
        with mock_aws(), pytest.MonkeyPatch.context() as monkeypatch:
            physical = provision(monkeypatch)
            # The callers may import the product (and its metrics) before this sets the
            # environment; a metric set without a namespace cannot be serialised.
            monkeypatch.setattr(metrics, "namespace", "XeroBridgeBench")
            point_product_at(sim, physical["AppSecret"].ref, monkeypatch)
            for key, value in {
                "APP_ENV": "test",
                "POWERTOOLS_LOG_LEVEL": "ERROR",
                **environment,
            }.items():
                monkeypatch.setenv(key, value)
            reset_caches()
            connections.reset_all()
            answer = connections.oauth("POST", "/xero/connect", ctx=connections.context("alice"))
            url = json.loads(answer["body"])["authorize_url"]
            connections.oauth(
                "GET", "/xero/callback", query=connections.consent(url, [DEMO_TENANT_A])
            )
            yield sim
            reset_caches()
    finally:
        sim.stop()
        os.environ.pop("RATE_BUDGET_TABLE", None)


def copy_invoices(sim: Any, tenant: str, count: int, prefix: str) -> list[str]:
    """`count` more authorised invoices in the simulator's books, copies of the seeded one."""
    import copy
    import uuid

    from devstack.xero_simulator import seed

    ids = []
    with sim.store.lock:
        book = sim.store.book(tenant)
        template = book.table("Invoices")[seed.A_INVOICE_AUTHORISED_ID]
        for n in range(count):
            invoice = copy.deepcopy(template)
            invoice["InvoiceID"] = str(uuid.uuid4())
            invoice["InvoiceNumber"] = f"{prefix}-{n:05d}"
            book.add("Invoices", invoice)
            ids.append(invoice["InvoiceID"])
    return ids
