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

import json
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import boto3
import httpx
import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from devstack.gocardless_simulator import GoCardlessConfig, GoCardlessSimulator
from devstack.sqs_poller import sqs_record
from devstack.xero_simulator.seed_direct_debit import (
    A_GOCARDLESS_ACCOUNT_CODE,
    CUSTOMERS,
    EUR_INVOICES,
)
from tests.events import call_handler, http_api_event
from tests.fixtures.connected import Connected, _reset_all
from tests.integration.payments.conftest import Answer
from tests.integration.payments.solaris.conftest import EventLog
from xero_bridge.payments import events

HTTP = httpx.Client(timeout=10)
STEP = 60.0  # sim seconds between a scenario's steps
DAY = 86400.0


@dataclass
class Recorder:
    """Stands in for POST /webhooks/gocardless: keeps what GoCardless sends, answers 204."""

    url: str = ""
    requests: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        with self.lock:
            self.requests.append((dict(request.headers), request.get_data()))
        return Response("", status=204)(environ, start_response)

    def take(self) -> list[tuple[dict[str, str], bytes]]:
        with self.lock:
            taken, self.requests = self.requests, []
        return taken


@pytest.fixture(scope="session")
def _recorder() -> Iterator[Recorder]:
    recorder = Recorder()
    server = make_server("127.0.0.1", 0, recorder, threaded=True)
    recorder.url = f"http://127.0.0.1:{server.server_port}/webhooks/gocardless"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield recorder
    server.shutdown()


@pytest.fixture(scope="session")
def _gocardless_sim(_recorder: Recorder) -> Iterator[GoCardlessSimulator]:
    config = GoCardlessConfig(
        webhook_url=_recorder.url, scenario_step=STEP, webhook_auto_deliver=False
    )
    sim = GoCardlessSimulator(config)
    sim.start("127.0.0.1", 0)
    yield sim
    sim.stop()


@pytest.fixture
def gocardless(
    _gocardless_sim: GoCardlessSimulator, _recorder: Recorder, connected: Connected, aws: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> GoCardlessSimulator:  # fmt: skip
    _gocardless_sim.reset()
    _recorder.take()
    client = boto3.client("secretsmanager")
    secret_id = aws["AppSecret"].ref
    secret = json.loads(client.get_secret_value(SecretId=secret_id)["SecretString"])
    secret.update(
        gocardless_access_token=_gocardless_sim.config.access_token,
        gocardless_webhook_secret=_gocardless_sim.config.webhook_secret,
    )
    client.put_secret_value(SecretId=secret_id, SecretString=json.dumps(secret))
    monkeypatch.setenv("GOCARDLESS_API_URL", _gocardless_sim.url)
    monkeypatch.setenv("GOCARDLESS_XERO_ACCOUNT_CODE", A_GOCARDLESS_ACCOUNT_CODE)
    _reset_all()
    return _gocardless_sim


MANDATE = "/tenants/{tenantId}/contacts/{id}/mandate"
COLLECT = "POST /tenants/{tenantId}/invoices/{id}/collect"


@dataclass
class DirectDebit:
    sim: GoCardlessSimulator
    recorder: Recorder
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
        path = f"/tenants/{self.tenant}/payments/{payment_id}"
        event = http_api_event(
            "GET", path, route_key="GET /tenants/{tenantId}/payments/{paymentId}",
            path_parameters={"tenantId": self.tenant, "paymentId": payment_id},
            authorizer_context=Connected.context("alice", "payments:write"),
        )  # fmt: skip
        answer = Answer(call_handler("payments", event))
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
        """Run the rail worker on everything the intake queued (as its SQS mapping would)."""
        sqs = boto3.client("sqs")
        url = self.aws["RailCallbackQueue"].ref
        arn = self.aws["RailCallbackQueue"].attributes["Arn"]
        results: dict[str, Any] = {"batches": 0, "failed": []}
        while True:
            messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
            if not messages:
                return results
            answer = call_handler(
                "rail_worker", {"Records": [sqs_record(dict(m), arn) for m in messages]}
            )
            results["batches"] += 1
            failed = {f["itemIdentifier"] for f in answer.get("batchItemFailures", [])}
            results["failed"].extend(sorted(failed))
            for message in messages:
                receipt = message["ReceiptHandle"]
                if message["MessageId"] not in failed:
                    sqs.delete_message(QueueUrl=url, ReceiptHandle=receipt)
                else:  # back in the queue: the next `work` is "later"
                    sqs.change_message_visibility(
                        QueueUrl=url, ReceiptHandle=receipt, VisibilityTimeout=0
                    )
            if failed:
                return results

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
def event_log(monkeypatch: pytest.MonkeyPatch) -> EventLog:
    log = EventLog()
    monkeypatch.setattr(events, "publisher", log)
    return log


@pytest.fixture
def dd(gocardless: GoCardlessSimulator, _recorder: Recorder, connected: Connected, aws: Any,
       event_log: EventLog) -> DirectDebit:  # fmt: skip
    connected.grant("bob")
    return DirectDebit(gocardless, _recorder, connected, aws, event_log)
