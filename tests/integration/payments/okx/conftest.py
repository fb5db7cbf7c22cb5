"""Paying bills in crypto through OKX: the product (handlers, moto) against the OKX simulator
and the Xero simulator over loopback.

- ``okx``: the simulator (one per session, reset per test) and the product pointed at it as
  `make dev` points it (the app secret's okx_* keys, OKX_API_URL, the demo organisation's USD
  clearing account and fee account); the Xero connection also holds accounting.banktransactions
  so that fees can be booked.
- ``crypto``: drives the flow as people do: an admin adds a payout address, another person
  approves it; alice submits, bob approves the quote; `advance` moves OKX's clock so the
  withdrawal moves on; `poll` runs the reconciler handler (the schedule).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from devstack import demo_data
from devstack.okx_simulator import OkxSimulator
from devstack.xero_simulator.seed_rails import (
    A_OKX_BANK_ACCOUNT_CODE,
    A_OKX_FEE_ACCOUNT_CODE,
    OKX_SUPPLIER_ID,
    USD_BILLS,
)
from tests.events import call_handler, http_api_event
from tests.fixtures.aws import update_app_secret
from tests.fixtures.connected import Connected, _reset_all
from tests.fixtures.loopback import running
from tests.integration.payments.conftest import Answer, payment_call
from tests.integration.payments.rails import EventLog, set_environment
from xero_bridge.rails.okx import client as okx_client

HTTP = httpx.Client(timeout=10)
ADDRESS = demo_data.OKX_VERIFIED_ADDRESSES[0][2]
UNVERIFIED = demo_data.OKX_UNVERIFIED_ADDRESS
SCOPES = "payments:write payments:approve"
ADDRESS_ROUTES = {
    ("GET", ""): "GET /tenants/{tenantId}/payout_addresses",
    ("POST", ""): "POST /tenants/{tenantId}/payout_addresses",
    ("POST", "approve"): "POST /tenants/{tenantId}/payout_addresses/{payoutAddressId}/approve",
    ("DELETE", ""): "DELETE /tenants/{tenantId}/payout_addresses/{payoutAddressId}",
}


@pytest.fixture(scope="session")
def _okx_sim() -> Iterator[OkxSimulator]:
    yield from running(OkxSimulator())


@pytest.fixture
def _bank_scope(aws: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from xero_bridge.settings import Settings

    default = Settings.model_fields["xero_scopes"].default
    monkeypatch.setenv("XERO_SCOPES", f"{default} accounting.banktransactions")


@pytest.fixture
def okx(
    _bank_scope: None,
    _okx_sim: OkxSimulator,
    connected: Connected,
    aws: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> OkxSimulator:
    _okx_sim.reset()
    update_app_secret(
        aws,
        okx_api_key=demo_data.OKX_API_KEY,
        okx_secret_key=demo_data.OKX_SECRET_KEY,
        okx_passphrase=demo_data.OKX_PASSPHRASE,
    )
    set_environment(monkeypatch, {
        "OKX_API_URL": _okx_sim.url,
        "OKX_XERO_ACCOUNT_CODE": A_OKX_BANK_ACCOUNT_CODE,
        "OKX_XERO_FEE_ACCOUNT_CODE": A_OKX_FEE_ACCOUNT_CODE,
        "OKX_RETRY_BASE_SECONDS": "0.01",
        "OKX_POLL_AFTER_SECONDS": "0",
    })  # fmt: skip
    _reset_all()
    okx_client.forget_clock()
    return _okx_sim


def usd_body(bill: str = "usd", address_id: str = "", **overrides: Any) -> dict[str, Any]:
    bill_id, _, amount = USD_BILLS[bill]
    data: dict[str, Any] = {
        "invoice_id": bill_id,
        "amount": str(amount),
        "date": "2024-05-01",
        "rail": "okx",
        "crypto": {"ccy": "USDT", "chain": "USDT-TRC20", "address_id": address_id},
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@dataclass
class Crypto:
    sim: OkxSimulator
    connected: Connected
    events: EventLog

    # ------------------------------------------------------------------ the address book
    def book(
        self,
        method: str,
        entry_id: str | None = None,
        action: str = "",
        *,
        sub: str = "carol",
        scopes: str = "admin",
        body: Any = None,
        query: dict[str, str] | None = None,
    ) -> Answer:
        tenant = self.connected.tenant_a
        path = f"/tenants/{tenant}/payout_addresses"
        params = {"tenantId": tenant}
        if entry_id:
            path += f"/{entry_id}" + (f"/{action}" if action else "")
            params["payoutAddressId"] = entry_id
        event = http_api_event(
            method,
            path,
            route_key=ADDRESS_ROUTES[(method, action)],
            path_parameters=params,
            body=body,
            query=query,
            authorizer_context=Connected.context(sub, scopes),
        )
        return Answer(call_handler("payout_addresses", event))

    def add_address(self, address: str = ADDRESS, **fields: Any) -> Answer:
        body = {
            "contact_id": OKX_SUPPLIER_ID,
            "ccy": "USDT",
            "chain": "USDT-TRC20",
            "address": address,
            **fields,
        }
        return self.book("POST", body={k: v for k, v in body.items() if v is not None})

    def approved_address(self, address: str = ADDRESS) -> str:
        added = self.add_address(address)
        assert added.status == 201, added
        entry_id = added.body["payout_address_id"]
        approved = self.book("POST", entry_id, "approve", sub="bob", scopes="payments:approve")
        assert approved.status == 200 and approved.body["status"] == "approved", approved
        return str(entry_id)

    # ------------------------------------------------------------------ payments
    def call(
        self,
        action: str,
        payment_id: str | None = None,
        *,
        sub: str = "alice",
        body: Any = None,
        key: str | None = "auto",
    ) -> Answer:
        tenant = self.connected.tenant_a
        return payment_call(tenant, action, payment_id, sub=sub, scopes=SCOPES, body=body, key=key)

    def submit(
        self, address_id: str, bill: str = "usd", key: str | None = "auto", **overrides: Any
    ) -> Answer:
        return self.call("", body=usd_body(bill, address_id, **overrides), key=key)

    def approve(
        self,
        payment: dict[str, Any],
        sub: str = "bob",
        key: str | None = "auto",
        quote_id: str | None = None,
    ) -> Answer:
        quote = quote_id or payment["crypto"]["quote"]["quote_id"]
        return self.call(
            "approve", payment["payment_id"], sub=sub, key=key, body={"quote_id": quote}
        )

    def get(self, payment_id: str) -> dict[str, Any]:
        answer = self.call("get", payment_id)
        assert answer.status == 200, answer
        return dict(answer.body)

    # ------------------------------------------------------------------ OKX and time
    def advance(self, seconds: float) -> None:
        """OKX's clock moves on (its withdrawals with it); ours stays: the client keeps up."""
        self.sim.advance(seconds)

    def poll(self) -> Any:
        return call_handler(
            "rail_reconciler", {"source": "aws.events", "detail-type": "Scheduled Event"}
        )

    def later(self, seconds: float, payment: dict[str, Any]) -> dict[str, Any]:
        """OKX's clock `seconds` on and a run of the poller: the payment as it is then."""
        self.advance(seconds)
        self.poll()
        return self.get(payment["payment_id"])

    def control(self, method: str, path: str, body: Any = None) -> Any:
        response = HTTP.request(method, f"{self.sim.url}/_sim{path}", json=body)
        assert response.status_code < 300, response.text
        return response.json() if response.content else None

    def fault(self, **fault: Any) -> None:
        self.control("POST", "/faults", fault)

    def withdrawals(self) -> list[dict[str, Any]]:
        return self.sim.withdrawals()

    def xero_created(self, kind: str = "Payments") -> list[dict[str, Any]]:
        return list(self.connected.sim.created(kind))


@pytest.fixture
def crypto(okx: OkxSimulator, connected: Connected, event_log: EventLog) -> Crypto:
    for sub in ("bob", "carol", "dave"):
        connected.grant(sub)
    return Crypto(okx, connected, event_log)
