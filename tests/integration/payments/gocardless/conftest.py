"""Collecting sales invoices by direct debit: the product (handlers, moto) against the
GoCardless simulator and the Xero simulator over loopback.

- ``gocardless``: the simulator (one per session, reset per test; its clock moves only when a
  test moves it; webhooks wait until a test sends them), the product pointed at it (the app
  secret's gocardless_* keys, GOCARDLESS_API_URL, the demo organisation's GoCardless EUR
  account as the clearing account). Its webhooks go to a recorder.
- ``dd``: drives the flow as the deployed pieces would: `ask_mandate`/`mandate`/`collect`
  through the payments handler; `authorise` submits GoCardless's page as the customer;
  `advance` moves GoCardless's clock; `send` has GoCardless send its webhooks (to the
  recorder); `deliver` hands them to the intake handler; `work` runs the rail worker on what
  the intake queued (as the SQS event source would).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import httpx
import pytest

from devstack.gocardless_simulator import GoCardlessSimulator
from devstack.xero_simulator.seed_direct_debit import (
    A_GOCARDLESS_ACCOUNT_CODE,
    CUSTOMERS,
    EUR_INVOICES,
)
from tests.events import call_handler, http_api_event
from tests.fixtures.aws import update_app_secret
from tests.fixtures.connected import Connected, _reset_all
from tests.fixtures.loopback import running
from tests.integration.payments.conftest import Answer
from tests.integration.payments.rails import (
    EventLog,
    WebhookRecorder,
    get_payment,
    recording,
    work_queue,
)
from tests.integration.simulators.gocardless.conftest import STEP, stepped_config

HTTP = httpx.Client(timeout=10)
DAY = 86400.0


@pytest.fixture(scope="session")
def _recorder() -> Iterator[WebhookRecorder]:
    """Stands in for POST /webhooks/gocardless: keeps what GoCardless sends, answers 204."""
    yield from recording(WebhookRecorder(status=204), "/webhooks/gocardless")


@pytest.fixture(scope="session")
def _gocardless_sim(_recorder: WebhookRecorder) -> Iterator[GoCardlessSimulator]:
    yield from running(GoCardlessSimulator(stepped_config(_recorder.url)))


@pytest.fixture
def gocardless(
    _gocardless_sim: GoCardlessSimulator, _recorder: WebhookRecorder, connected: Connected,
    aws: Any, monkeypatch: pytest.MonkeyPatch,
) -> GoCardlessSimulator:  # fmt: skip
    _gocardless_sim.reset()
    _recorder.take()
    update_app_secret(
        aws,
        gocardless_access_token=_gocardless_sim.config.access_token,
        gocardless_webhook_secret=_gocardless_sim.config.webhook_secret,
    )
    monkeypatch.setenv("GOCARDLESS_API_URL", _gocardless_sim.url)
    monkeypatch.setenv("GOCARDLESS_XERO_ACCOUNT_CODE", A_GOCARDLESS_ACCOUNT_CODE)
    _reset_all()
    return _gocardless_sim


MANDATE = "/tenants/{tenantId}/contacts/{id}/mandate"
COLLECT = "POST /tenants/{tenantId}/invoices/{id}/collect"


@dataclass
class DirectDebit:
    sim: GoCardlessSimulator
    recorder: WebhookRecorder
    connected: Connected
    aws: Any
    events: EventLog

    @property
    def tenant(self) -> str:
        return self.connected.tenant_a

    # ------------------------------------------------------------------ the product's API
    def _call(self, method: str, route: str, path: str, record_id: str, *, body: Any = None,
              key: str | None = None, sub: str = "alice",
              scopes: str = "payments:write") -> Answer:  # fmt: skip
        headers = {"idempotency-key": key} if key else {}
        event = http_api_event(
            method, path, route_key=route,
            path_parameters={"tenantId": self.tenant, "id": record_id}, headers=headers,
            body=body, authorizer_context=Connected.context(sub, scopes),
        )  # fmt: skip
        return Answer(call_handler("payments", event))

    def ask_mandate(self, scenario: str = "Successful", body: Any = None, **kw: Any) -> Answer:
        contact = CUSTOMERS[scenario].contact_id if scenario in CUSTOMERS else scenario
        path = f"/tenants/{self.tenant}/contacts/{contact}/mandate"
        return self._call("POST", f"POST {MANDATE}", path, contact, body=body, **kw)

    def mandate(self, scenario: str = "Successful", **kw: Any) -> Answer:
        contact = CUSTOMERS[scenario].contact_id if scenario in CUSTOMERS else scenario
        path = f"/tenants/{self.tenant}/contacts/{contact}/mandate"
        return self._call("GET", f"GET {MANDATE}", path, contact, **kw)

    def collect(self, invoice: str = "successful", body: Any = None, key: str | None = "auto",
                **kw: Any) -> Answer:  # fmt: skip
        invoice_id = EUR_INVOICES[invoice][0] if invoice in EUR_INVOICES else invoice
        key = str(uuid.uuid4()) if key == "auto" else key
        path = f"/tenants/{self.tenant}/invoices/{invoice_id}/collect"
        return self._call("POST", COLLECT, path, invoice_id, body=body, key=key, **kw)

    def payment(self, payment_id: str) -> dict[str, Any]:
        answer = get_payment(self.tenant, payment_id)
        assert answer.status == 200 and answer.body, answer
        return dict(answer.body)

    # ------------------------------------------------------------------ the customer
    def authorise(self, url: str, **answers: str) -> httpx.Response:
        """The customer confirms GoCardless's page as it is filled in (plus `answers`)."""
        from tests.integration.simulators.gocardless.conftest import form_fields

        page = HTTP.get(url)
        assert page.status_code == 200, page.text
        form = {**form_fields(page.text), **answers}
        return HTTP.post(url.split("?")[0], data=form)

    def active_mandate(self, scenario: str = "Successful") -> dict[str, Any]:
        """Asked, authorised on the page, the mandate's webhooks through: its status."""
        asked = self.ask_mandate(scenario)
        assert asked.status == 201 and asked.body, asked
        done = self.authorise(asked.body["authorisation_url"])
        assert done.status_code in (200, 303), done.text
        self.advance(3 * STEP)  # submitted, then active (a scenario moves a step a minute)
        self.flush()
        answer = self.mandate(scenario)
        assert answer.status == 200 and answer.body and answer.body["status"] == "active", answer
        return dict(answer.body)

    # ------------------------------------------------------------------ GoCardless's side
    def advance(self, seconds: float) -> None:
        self.sim.advance(seconds)

    def send(self, order: str = "created", separate: bool = False) -> list[dict[str, Any]]:
        """GoCardless sends the webhooks of everything pending (to the recorder)."""
        answer = HTTP.post(f"{self.sim.url}/_sim/webhooks/deliver",
                           json={"order": order, "separate": separate})  # fmt: skip
        assert answer.status_code == 200, answer.text
        return list(answer.json()["deliveries"])

    def redeliver(self, webhook_id: str) -> None:
        answer = HTTP.post(f"{self.sim.url}/_sim/webhooks/{webhook_id}/redeliver")
        assert answer.status_code == 200, answer.text

    def deliver(self) -> list[int]:
        """The recorded webhooks through the intake handler; the statuses it answered."""
        statuses = []
        for headers, body in self.recorder.take():
            statuses.append(self.post_webhook({k.lower(): v for k, v in headers.items()}, body))
        return statuses

    def post_webhook(self, headers: dict[str, str], body: bytes) -> int:
        event = http_api_event("POST", "/webhooks/gocardless",
                               route_key="POST /webhooks/gocardless", headers=headers,
                               body=body.decode())  # fmt: skip
        return int(call_handler("rail_callback_intake", event)["statusCode"])

    def work(self) -> dict[str, Any]:
        """Run the rail worker on everything the intake queued (as its SQS mapping would);
        a message that failed is back in the queue at once: the next `work` is "later"."""
        return work_queue(self.aws, release_failed=True)

    def flush(self) -> dict[str, Any]:
        """Everything pending at GoCardless sent, delivered and worked on."""
        self.send()
        assert set(self.deliver()) <= {200}
        return self.work()

    def sim_resources(self, kind: str) -> list[dict[str, Any]]:
        return list(HTTP.get(f"{self.sim.url}/_sim/resources/{kind}").json()[kind])

    # ------------------------------------------------------------------ Xero's side
    def xero_payments(self, invoice: str) -> list[dict[str, Any]]:
        invoice_id = EUR_INVOICES[invoice][0]
        return [p for p in self.connected.sim.created("Payments", self.tenant)
                if p["Invoice"]["InvoiceID"] == invoice_id]  # fmt: skip

    def invoice(self, invoice: str) -> dict[str, Any]:
        found = self.connected.sim.record(self.tenant, "Invoices", EUR_INVOICES[invoice][0])
        assert found is not None
        return found

    def amount_due(self, invoice: str) -> Decimal:
        return Decimal(str(self.invoice(invoice)["AmountDue"]))


@pytest.fixture
def dd(gocardless: GoCardlessSimulator, _recorder: WebhookRecorder, connected: Connected, aws: Any,
       event_log: EventLog) -> DirectDebit:  # fmt: skip
    connected.grant("bob")
    return DirectDebit(gocardless, _recorder, connected, aws, event_log)
