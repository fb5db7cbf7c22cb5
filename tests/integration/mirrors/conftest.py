"""Mirrors end to end in one process: the Xero simulator's two demo organisations, moto for
AWS (its EventBridge delivering to the mirror queue by the template's rule), the local
gateway for Xero's webhooks, and the local SQS poller running the real webhook worker and
mirror worker.

``world`` connects both organisations for ``alice`` (the real OAuth flow, in-process) and
grants her both; ``world.mirrors(method, path, body)`` calls the mirrors handler as an
administrator; ``world.in_a(...)`` / ``world.in_b(...)`` write to an organisation through the
shared Xero client, as any Xero app would; ``world.settle()`` delivers the simulator's
webhooks and drains the queues until nothing moves.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest

from devstack.sqs_poller import SqsPoller
from devstack.xero_simulator import DEMO_TENANT_A, DEMO_TENANT_B
from tests.events import call_handler, http_api_event
from tests.fixtures.aws import update_app_secret
from tests.fixtures.connected import Connected, _reset_all
from tests.fixtures.gateway import xero_webhooks_gateway
from xero_bridge.auth.principal import Principal
from xero_bridge.aws import event_bus, queue
from xero_bridge.mirrors import xero_io
from xero_bridge.xero.raw import accounting_request

ADMIN = Principal(sub="alice", scopes=["admin"], groups=[]).to_context()


@dataclass
class Answer:
    status: int
    body: Any


@dataclass
class World:
    sim: Any
    poller: SqsPoller
    aws: dict[str, Any]
    a: str = DEMO_TENANT_A
    b: str = DEMO_TENANT_B
    contexts: dict[str, Any] = field(default_factory=dict)

    def mirrors(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        query: dict[str, str] | None = None,
        context: dict[str, Any] | None = None,
    ) -> Answer:
        event = http_api_event(
            method, path, body=body, query=query, authorizer_context=context or ADMIN
        )
        result = call_handler("mirrors", event)
        raw = result.get("body") or ""
        return Answer(int(result["statusCode"]), json.loads(raw) if raw else None)

    def create_mirror(self, source: str | None = None, **body: Any) -> dict[str, Any]:
        body.setdefault("target_tenant_id", self.b if (source or self.a) == self.a else self.a)
        body.setdefault("types", ["ACCREC"])
        body.setdefault("create_missing_contacts", True)
        body.setdefault("create_missing_items", True)
        answer = self.mirrors("POST", f"/tenants/{source or self.a}/mirrors", body)
        assert answer.status == 201, answer.body
        return dict(answer.body)

    def log(self, mirror: dict[str, Any], **query: str) -> list[dict[str, Any]]:
        path = f"/tenants/{mirror['source_tenant_id']}/mirrors/{mirror['mirror_id']}/log"
        answer = self.mirrors("GET", path, query={"page_size": "200", **query})
        assert answer.status == 200, answer.body
        return list(answer.body["entries"])

    def write(self, tenant: str, method: str, path: str, body: Any = None) -> Any:
        answer = accounting_request(tenant, method, path, body=body)  # type: ignore[arg-type]
        data = answer.json()
        assert answer.status == 200, data
        return data

    def in_a(self, method: str, path: str, body: Any = None) -> Any:
        return self.write(self.a, method, path, body)

    def in_b(self, method: str, path: str, body: Any = None) -> Any:
        return self.write(self.b, method, path, body)

    def record(self, tenant: str, kind: str, record_id: str) -> dict[str, Any]:
        found = self.sim.record(tenant, kind, record_id)
        assert found is not None, (kind, record_id)
        return dict(found)

    def copies_of(self, tenant: str, source_url_part: str) -> list[dict[str, Any]]:
        with self.sim.store.lock:
            invoices = self.sim.store.book(tenant).table("Invoices").values()
            return [dict(i) for i in invoices if source_url_part in str(i.get("Url") or "")]

    def settle(self, rounds: int = 8) -> None:
        """Deliver webhooks and drain the queues until nothing is left to do."""
        for _ in range(rounds):
            delivered = self.sim.webhooks.flush()
            assert all(d.ok for d in delivered), [d.status for d in delivered]
            assert self.poller.drain(timeout=60)
            if not self.sim.webhooks.pending():
                break
        assert self.poller.errors == []


@pytest.fixture
def world(
    connected: Connected, aws: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> Iterator[World]:
    sim = connected.sim
    update_app_secret(aws, xero_webhook_key=sim.config.webhook_key)
    connected.grant("alice", connected.tenant_b)
    monkeypatch.setenv("WEBHOOK_RETRY_BASE_SECONDS", "0")
    monkeypatch.setenv("MIRROR_RETRY_BASE_SECONDS", "0")
    _reset_all()
    queue.reset_client()
    event_bus.reset_client()
    xero_io.calls.clear()
    try:
        with xero_webhooks_gateway(sim, aws, idle_sleep=0.05) as (_, poller):
            yield World(sim=sim, poller=poller, aws=aws)
    finally:
        queue.reset_client()
        event_bus.reset_client()
        _reset_all()


def line(description: str, quantity: str, unit: str, **extra: Any) -> dict[str, Any]:
    return {
        "Description": description,
        "Quantity": Decimal(quantity),
        "UnitAmount": Decimal(unit),
        "AccountCode": "200",
        **extra,
    }


def authorised(
    collection: str, kind: str, contact_id: str, date: str, **fields: Any
) -> dict[str, Any]:
    """The body of Xero's PUT /<collection> for one AUTHORISED document of Type `kind`."""
    document = {
        "Type": kind,
        "Status": "AUTHORISED",
        "Contact": {"ContactID": contact_id},
        "Date": date,
        **fields,
    }
    return {collection: [document]}


def sale(contact_id: str, lines: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return authorised(
        "Invoices",
        "ACCREC",
        contact_id,
        "2024-06-03",
        DueDate="2024-07-03",
        LineAmountTypes="Exclusive",
        LineItems=lines,
        **extra,
    )
