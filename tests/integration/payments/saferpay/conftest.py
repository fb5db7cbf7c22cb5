"""Card payment links through Saferpay: the product (handlers, moto) against the Saferpay and
Xero simulators over loopback.

- ``saferpay``: the simulator (one per session, reset per test) and the product pointed at it
  (the app secret's saferpay_* keys, SAFERPAY_API_URL = <sim>/api, the demo organisation's EUR
  card clearing account). Saferpay's notifications go to a recorder standing in for our API.
- ``card``: drives the flow as the deployed pieces would: `link`/`get` through the payments
  handler; `pay` fills in the simulator's payment page as a browser does; `deliver` hands the
  recorded notifications to the intake handler and `work` runs the rail worker on what it
  queued (as the SQS event source would).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urljoin

import httpx
import pytest

from devstack.demo_data import SAFERPAY_CARD_SUCCESS
from devstack.saferpay_simulator import SaferpayConfig, SaferpaySimulator
from devstack.xero_simulator.seed_cards import A_CARD_CLEARING_ACCOUNT_CODE, CARD_INVOICES
from tests.events import call_handler, http_api_event
from tests.fixtures.aws import update_app_secret
from tests.fixtures.connected import Connected, _reset_all
from tests.fixtures.loopback import running
from tests.integration.payments.conftest import Answer
from tests.integration.payments.rails import (
    EventLog,
    PathRecorder,
    get_payment,
    idempotency_headers,
    recording,
    set_environment,
    work_queue,
)
from tests.integration.simulators.saferpay.conftest import read_form

HTTP = httpx.Client(timeout=10)
LINK_ROUTE = "/tenants/{tenantId}/invoices/{id}/payment_link"


@pytest.fixture(scope="session")
def _recorder() -> Iterator[PathRecorder]:
    """Stands in for GET /webhooks/saferpay/{linkId}: keeps the paths, answers 200."""
    yield from recording(PathRecorder(status=200))


@pytest.fixture(scope="session")
def _saferpay_sim() -> Iterator[SaferpaySimulator]:
    yield from running(
        SaferpaySimulator(
            SaferpayConfig(notify_retry_delay_real_seconds=0.05, notify_timeout_real_seconds=2.0)
        )
    )


@pytest.fixture
def saferpay(
    _saferpay_sim: SaferpaySimulator, _recorder: PathRecorder, connected: Connected, aws: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> SaferpaySimulator:  # fmt: skip
    _saferpay_sim.reset()
    _recorder.take()
    config = _saferpay_sim.config
    update_app_secret(
        aws,
        saferpay_customer_id=config.customer_id,
        saferpay_terminal_id=config.terminal_ids[0],
        saferpay_api_user=config.api_user,
        saferpay_api_password=config.api_password,
    )
    set_environment(monkeypatch, {
        "SAFERPAY_API_URL": f"{_saferpay_sim.url}/api",
        "SAFERPAY_XERO_ACCOUNT_CODE": A_CARD_CLEARING_ACCOUNT_CODE,
        "SAFERPAY_NOTIFY_BASE_URL": _recorder.url,
        "SAFERPAY_RETRY_BASE_SECONDS": "0.01",
    })  # fmt: skip
    _reset_all()
    return _saferpay_sim


def invoice_id(name: str) -> str:
    return CARD_INVOICES[name][0]


@dataclass
class Card:
    sim: SaferpaySimulator
    recorder: PathRecorder
    connected: Connected
    aws: Any

    # ------------------------------------------------------------------ our API
    def call(self, method: str, invoice: str, *, body: Any = None, key: str | None = "auto",
             sub: str = "alice", scopes: str = "payments:write") -> Answer:  # fmt: skip
        tenant = self.connected.tenant_a
        target = CARD_INVOICES[invoice][0] if invoice in CARD_INVOICES else invoice
        headers = idempotency_headers(method, key)
        if isinstance(body, str):
            headers["content-type"] = "application/json"
        event = http_api_event(
            method, f"/tenants/{tenant}/invoices/{target}/payment_link",
            route_key=f"{method} {LINK_ROUTE}",
            path_parameters={"tenantId": tenant, "id": target},
            headers=headers, body=body,
            authorizer_context=Connected.context(sub, scopes),
        )  # fmt: skip
        return Answer(call_handler("payments", event))

    def link(self, invoice: str = "whole", **kwargs: Any) -> Answer:
        return self.call("POST", invoice, **kwargs)

    def get(self, invoice: str = "whole") -> dict[str, Any]:
        answer = self.call("GET", invoice, key=None)
        assert answer.status == 200, answer
        return dict(answer.body)

    def payment(self, payment_id: str) -> dict[str, Any]:
        answer = get_payment(self.connected.tenant_a, payment_id)
        assert answer.status == 200, answer
        return dict(answer.body)

    # ------------------------------------------------------------------ the payer
    def pay(self, redirect_url: str, number: str = SAFERPAY_CARD_SUCCESS,
            button: str = "pay") -> httpx.Response:  # fmt: skip
        """What the payer does in a browser: open the page, fill in its form, press a button;
        Saferpay's notification goes out meanwhile (waited for)."""
        page = HTTP.get(redirect_url)
        assert page.status_code == 200, page.text
        form = read_form(page.text)
        values = dict(form.inputs)
        values.update(CardNumber=number, ExpMonth="12", ExpYear="2031", VerificationCode="123",
                      HolderName="Anna Muster")  # fmt: skip
        values[form.buttons[button]] = button
        answer = HTTP.post(urljoin(redirect_url, form.action or ""), data=values)
        assert answer.status_code == 303, answer.text
        self.sim.wait_for_notifications()
        return answer

    # ------------------------------------------------------------------ callbacks
    def call_intake(self, path: str) -> dict[str, Any]:
        """GET <path> through the intake handler, as API Gateway would; its answer."""
        link_id = path.strip("/").split("/")[2] if path.count("/") >= 3 else ""
        route = "GET /webhooks/saferpay/{linkId}" + ("/return" if path.endswith("/return") else "")
        event = http_api_event("GET", path, route_key=route, path_parameters={"linkId": link_id})
        return dict(call_handler("rail_callback_intake", event))

    def notify(self, path: str) -> int:
        return int(self.call_intake(path)["statusCode"])

    def deliver(self, *, drop: bool = False) -> list[int]:
        """The recorded notifications through the intake handler; the statuses it answered."""
        return [self.notify(path) for path in self.recorder.take() if not drop]

    def work(self) -> dict[str, Any]:
        """Run the rail worker on everything the intake queued (as its SQS mapping would)."""
        return work_queue(self.aws)

    def reconcile(self) -> dict[str, Any]:
        return dict(call_handler("rail_reconciler", {"source": "aws.events"}))

    # ------------------------------------------------------------------ the simulators
    def sim_get(self, path: str) -> Any:
        return HTTP.get(f"{self.sim.url}/_sim{path}").json()

    def fault(self, **fault: Any) -> None:
        answer = HTTP.post(f"{self.sim.url}/_sim/faults", json=fault)
        assert answer.status_code == 201, answer.text

    def resend_notification(self) -> None:
        """Saferpay's notification of the (one) token again, a round of tries."""
        [session] = self.sim_get("/tokens")["tokens"]
        answer = HTTP.post(f"{self.sim.url}/_sim/tokens/{session['token']}/notify")
        assert answer.status_code == 200, answer.text

    def fault_hits(self) -> list[int]:
        """How often each active fault struck (a faulted call never reaches the call log)."""
        return [f["hits"] for f in self.sim_get("/faults")["faults"]]

    def clear_faults(self) -> None:
        assert HTTP.delete(f"{self.sim.url}/_sim/faults").status_code == 204

    def calls(self, path: str) -> list[dict[str, Any]]:
        return [c for c in self.sim_get("/calls")["calls"] if c["path"].endswith(path)]

    def xero_payments(self) -> list[dict[str, Any]]:
        return list(self.connected.sim.created("Payments"))

    def invoice(self, name: str = "whole") -> dict[str, Any]:
        found = self.connected.sim.record(self.connected.tenant_a, "Invoices", invoice_id(name))
        assert found is not None
        return dict(found)

    def notes(self, name: str) -> list[dict[str, Any]]:
        """The notes people (and we) wrote in the invoice's history in Xero."""
        with self.connected.sim.store.lock:
            book = self.connected.sim.store.book(self.connected.tenant_a)
            history = list(book.history.get(invoice_id(name), []))
        return [entry for entry in history if entry.get("Changes") == "Note"]

    def amount_due(self, name: str = "whole") -> Decimal:
        return Decimal(self.invoice(name)["AmountDue"])


@pytest.fixture
def card(saferpay: SaferpaySimulator, _recorder: PathRecorder, connected: Connected, aws: Any,
         event_log: EventLog) -> Card:  # fmt: skip
    return Card(saferpay, _recorder, connected, aws)
