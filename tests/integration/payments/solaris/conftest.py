"""Paying bills through Solaris: the product (handlers, moto) against the Solaris simulator
and the Xero simulator over loopback.

- ``solaris``: the simulator (one per session, reset per test), the product pointed at it
  (the app secret's solaris_* keys, SOLARIS_* URLs, the sandbox's static TAN, the demo
  organisation's EUR bank account as the clearing account). Its webhooks go to a recorder.
- ``rail``: drives the flow as the deployed pieces would: `submit`/`approve`/`confirm` through
  the payments handler; `settle` moves Solaris's clock so transfers execute and webhooks are
  sent; `deliver` hands the recorded webhooks to the intake handler and `work` runs the rail
  worker handler on what the intake queued (as the SQS event source would).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from devstack.demo_data import SOLARIS_STATIC_TAN
from devstack.solaris_simulator import SolarisConfig, SolarisSimulator
from devstack.xero_simulator.seed_rails import A_EUR_BANK_ACCOUNT_CODE, EUR_BILLS
from tests.events import call_handler, http_api_event
from tests.fixtures.aws import update_app_secret
from tests.fixtures.connected import Connected, _reset_all
from tests.fixtures.loopback import running
from tests.integration.payments.conftest import Answer, payment_call
from tests.integration.payments.rails import (
    EventLog,
    WebhookRecorder,
    recording,
    set_environment,
    work_queue,
)
from xero_bridge.rails.solaris import client as solaris_client

HTTP = httpx.Client(timeout=10)


@pytest.fixture(scope="session")
def _recorder() -> Iterator[WebhookRecorder]:
    """Stands in for POST /webhooks/solaris: keeps what Solaris sends, answers 200."""
    yield from recording(WebhookRecorder(status=200), "/webhooks/solaris")


@pytest.fixture(scope="session")
def _solaris_sim(_recorder: WebhookRecorder) -> Iterator[SolarisSimulator]:
    yield from running(
        SolarisSimulator(SolarisConfig(webhook_url=_recorder.url, webhook_timeout=2.0))
    )


@pytest.fixture
def solaris(
    _solaris_sim: SolarisSimulator, _recorder: WebhookRecorder, connected: Connected, aws: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> SolarisSimulator:  # fmt: skip
    _solaris_sim.reset()
    _solaris_sim.config.webhook_url = _recorder.url
    _recorder.take()
    config = _solaris_sim.config
    update_app_secret(
        aws,
        solaris_client_id=config.client_id,
        solaris_client_secret=config.client_secret,
        solaris_account_id=config.account_id,
        solaris_person_id=config.person_id,
        solaris_webhook_secret=config.webhook_secret,
    )
    set_environment(monkeypatch, {
        "SOLARIS_AUTH_URL": _solaris_sim.url,
        "SOLARIS_API_URL": _solaris_sim.url,
        "SOLARIS_TAN_DELIVERY": "static",
        "SOLARIS_XERO_ACCOUNT_CODE": A_EUR_BANK_ACCOUNT_CODE,
        "SOLARIS_RETRY_BASE_SECONDS": "0.01",
    })  # fmt: skip
    _reset_all()
    solaris_client.forget_tokens()
    return _solaris_sim


def sepa_body(bill: str = "match", **overrides: Any) -> dict[str, Any]:
    bill_id, _, amount = EUR_BILLS[bill]
    data = {"invoice_id": bill_id, "amount": str(amount), "date": "2024-05-01",
            "rail": "solaris_sepa"}  # fmt: skip
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@dataclass
class Rail:
    sim: SolarisSimulator
    recorder: WebhookRecorder
    connected: Connected
    aws: Any

    def call(self, action: str, payment_id: str | None = None, *, sub: str = "alice",
             body: Any = None, key: str | None = "auto") -> Answer:  # fmt: skip
        scopes = "payments:write payments:approve"
        return payment_call(self.connected.tenant_a, action, payment_id, sub=sub, scopes=scopes,
                            body=body, key=key)  # fmt: skip

    def submit(self, bill: str = "match", key: str | None = "auto", **overrides: Any) -> Answer:
        return self.call("", body=sepa_body(bill, **overrides), key=key)

    def confirm(self, payment_id: str, tan: str = SOLARIS_STATIC_TAN, sub: str = "alice") -> Answer:
        return self.call("confirm", payment_id, body={"tan": tan}, sub=sub, key=None)

    def get(self, payment_id: str) -> dict[str, Any]:
        answer = self.call("get", payment_id)
        assert answer.status == 200, answer
        return dict(answer.body)

    def settle(self) -> None:
        """Solaris executes (or declines) every accepted transfer and sends its webhooks."""
        self.sim.settle()

    def deliver(self, *, drop: bool = False) -> list[int]:
        """The recorded webhooks through the intake handler; the statuses it answered."""
        statuses = []
        for headers, body in self.recorder.take():
            if drop:
                continue
            event = http_api_event("POST", "/webhooks/solaris", route_key="POST /webhooks/solaris",
                                   headers={k.lower(): v for k, v in headers.items()},
                                   body=body.decode())  # fmt: skip
            statuses.append(call_handler("rail_callback_intake", event)["statusCode"])
        return statuses

    def work(self) -> dict[str, Any]:
        """Run the rail worker on everything the intake queued (as its SQS mapping would)."""
        return work_queue(self.aws)

    def sim_get(self, path: str) -> Any:
        return HTTP.get(f"{self.sim.url}/_sim{path}").json()

    def sim_put_balance(self, cents: int) -> None:
        answer = HTTP.put(f"{self.sim.url}/_sim/balance", json={"value": cents})
        assert answer.status_code == 200, answer.text

    def fault(self, **fault: Any) -> None:
        answer = HTTP.post(f"{self.sim.url}/_sim/faults", json=fault)
        assert answer.status_code == 201, answer.text

    def xero_payments(self) -> list[dict[str, Any]]:
        return list(self.connected.sim.created("Payments"))


@pytest.fixture
def rail(solaris: SolarisSimulator, _recorder: WebhookRecorder, connected: Connected, aws: Any,
         event_log: EventLog) -> Rail:  # fmt: skip
    connected.grant("bob")
    return Rail(solaris, _recorder, connected, aws)


def grant(connected: Connected, sub: str) -> None:
    connected.grant(sub)


Factory = Callable[..., Answer]
