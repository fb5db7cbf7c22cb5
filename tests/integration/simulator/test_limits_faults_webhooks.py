"""Rate limits, idempotency, fault injection and signed webhooks (with Intent-To-Receive)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from devstack.xero_simulator import DEMO_TENANT_A, DEMO_TENANT_B
from devstack.xero_simulator.seed import A_CUSTOMER_ID, A_INVOICE_AUTHORISED_ID
from tests.integration.simulator.conftest import Api


def test_every_response_carries_limit_headers_and_minute_limit_gives_429(api: Api):
    api.sim.config.minute_limit = 3
    remaining = [api.get("/Organisation").headers["X-MinLimit-Remaining"] for _ in range(3)]
    assert remaining == ["2", "1", "0"]
    refused = api.get("/Organisation")
    assert refused.status_code == 429
    assert refused.headers["X-Rate-Limit-Problem"] == "minute"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.headers["X-DayLimit-Remaining"] == "4997"
    # Limits are per tenant, and the window moves with the simulator clock.
    assert api.get("/Organisation", headers={"xero-tenant-id": DEMO_TENANT_B}).status_code == 200
    api.sim.clock.advance(61)
    assert api.get("/Organisation").status_code == 200


def test_daily_and_app_limits(api: Api):
    api.sim.config.day_limit = 2
    api.get("/Organisation")
    api.get("/Organisation")
    daily = api.get("/Organisation")
    assert daily.status_code == 429 and daily.headers["X-Rate-Limit-Problem"] == "daily"
    assert int(daily.headers["Retry-After"]) > 3600
    api.sim.config.day_limit = 5000
    api.sim.config.app_minute_limit = 2  # the refused call did not count
    app = api.get("/Organisation", headers={"xero-tenant-id": DEMO_TENANT_B})
    assert app.status_code == 429 and app.headers["X-Rate-Limit-Problem"] == "appminute"


def test_concurrent_limit_counts_requests_in_flight(api: Api):
    api.sim.config.concurrent_limit = 2
    api.sim.faults.add(kind="slow", path_prefix="/api.xro/2.0/Organisation", delay=1.0, times=2)
    results: list[int] = []
    slow = [
        threading.Thread(target=lambda: results.append(api.get("/Organisation").status_code))
        for _ in range(2)
    ]
    for thread in slow:
        thread.start()
    time.sleep(0.5)
    third = api.get("/Accounts")
    for thread in slow:
        thread.join()
    assert third.status_code == 429 and third.headers["X-Rate-Limit-Problem"] == "concurrent"
    assert results == [200, 200]
    assert api.get("/Accounts").status_code == 200


def test_idempotency_key_replays_the_first_answer_for_six_minutes(api: Api):
    body = {
        "Payments": [
            {
                "Invoice": {"InvoiceID": A_INVOICE_AUTHORISED_ID},
                "Account": {"Code": "090"},
                "Amount": 100.0,
            }
        ]
    }
    first = api.put("/Payments", json=body, headers={"Idempotency-Key": "pay-1"})
    again = api.put("/Payments", json=body, headers={"Idempotency-Key": "pay-1"})
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert len(api.sim.created("Payments")) == 1
    api.sim.clock.advance(361)
    later = api.put("/Payments", json=body, headers={"Idempotency-Key": "pay-1"})
    assert later.json()["Payments"][0]["PaymentID"] != first.json()["Payments"][0]["PaymentID"]
    assert len(api.sim.created("Payments")) == 2


def test_faults_error_drop_and_slow(api: Api):
    sim = api.sim
    sim.faults.add(kind="error", path_prefix="/api.xro/2.0/Invoices", status=503, times=1)
    assert api.get("/Invoices").status_code == 503
    assert api.get("/Invoices").status_code == 200
    sim.faults.add(kind="drop", path_prefix="/api.xro/2.0/Contacts", times=None)
    for _ in range(2):
        with pytest.raises(httpx.TransportError):
            api.get("/Contacts")
    sim.faults.clear()
    assert api.get("/Contacts").status_code == 200
    sim.faults.add(kind="slow", path_prefix="/api.xro/2.0/Items", delay=0.4)
    started = time.monotonic()
    assert api.get("/Items").status_code == 200
    assert time.monotonic() - started >= 0.4


def test_an_injected_429_looks_like_xeros(api: Api, xero_openapi):
    sim = api.sim
    sim.faults.add(kind="error", path_prefix="/api.xro/2.0/Invoices", status=429)
    default = api.get("/Invoices")
    assert default.status_code == 429
    assert default.headers["Retry-After"] == "1"
    assert default.headers["X-Rate-Limit-Problem"] == "minute"
    sim.faults.add(
        kind="error",
        path_prefix="/api.xro/2.0/Invoices",
        status=429,
        retry_after=45,
        problem="daily",
    )
    refused = api.get("/Invoices")
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "45"
    assert refused.headers["X-Rate-Limit-Problem"] == "daily"
    body = refused.json()
    assert body["Title"] == "Too Many Requests" and body["Status"] == 429
    assert body["Detail"] == "Rate limit exceeded: daily"
    # The same body as the simulator's own limits give (the fault answers before the
    # response check, so it is checked here).
    assert (
        xero_openapi.violations(
            "GET",
            "/api.xro/2.0/Invoices",
            "",
            429,
            refused.headers["Content-Type"],
            refused.content,
        )
        == []
    )
    assert api.get("/Invoices").status_code == 200  # each fault was used once


def test_other_injected_errors_carry_no_retry_after(api: Api):
    api.sim.faults.add(kind="error", path_prefix="/api.xro/2.0/Invoices", status=503, retry_after=9)
    response = api.get("/Invoices")
    assert response.status_code == 503
    assert "Retry-After" not in response.headers
    assert "X-Rate-Limit-Problem" not in response.headers
    assert response.json()["Title"] == "Service Unavailable"


def test_a_429_fault_over_the_control_surface(api: Api):
    sim = api.sim
    added = httpx.post(
        f"{sim.url}/_sim/faults",
        json={
            "kind": "error",
            "path_prefix": "/api.xro/2.0/Contacts",
            "status": 429,
            "retry_after": 30,
            "problem": "appminute",
            "ignored": True,
        },
    )
    assert added.status_code == 201, added.text
    assert added.json() == {
        "kind": "error",
        "path_prefix": "/api.xro/2.0/Contacts",
        "status": 429,
        "delay": 2.0,
        "times": 1,
        "retry_after": 30,
        "problem": "appminute",
    }
    refused = api.get("/Contacts")
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "30"
    assert refused.headers["X-Rate-Limit-Problem"] == "appminute"
    for bad in ({"retry_after": "soon"}, {"retry_after": -1}, {"problem": "hourly"}):
        answer = httpx.post(f"{sim.url}/_sim/faults", json={"kind": "error", "status": 429, **bad})
        assert answer.status_code == 400, bad
        assert answer.json()["error"]
    assert sim.faults.active() == []


class Receiver:
    """A tiny webhook endpoint; checks signatures unless told to say 200 to everything."""

    def __init__(self, key: str, check: bool = True) -> None:
        self.key, self.check = key, check
        self.bodies: list[dict] = []
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}/webhooks/xero"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @Request.application
    def app(self, request: Request) -> Response:
        raw = request.get_data()
        expected = base64.b64encode(hmac.new(self.key.encode(), raw, hashlib.sha256).digest())
        if self.check and not hmac.compare_digest(
            expected.decode(), request.headers.get("x-xero-signature", "")
        ):
            return Response(status=401)
        self.bodies.append(json.loads(raw))
        return Response(status=200)


@pytest.fixture
def receiver(xero_sim) -> Iterator[Receiver]:
    receiver = Receiver(xero_sim.config.webhook_key)
    xero_sim.config.webhook_url = receiver.url
    yield receiver
    receiver.server.shutdown()


def test_changes_are_delivered_batched_and_signed(api: Api, receiver: Receiver, xero_openapi):
    api.sim.config.webhook_batch_delay = 30  # keep the background sender out of this test
    api.post(f"/Contacts/{A_CUSTOMER_ID}", json={"Contacts": [{"Website": "https://r.example"}]})
    api.sim.touch(DEMO_TENANT_A, "Invoices", A_INVOICE_AUTHORISED_ID, {"Reference": "by hand"})
    deliveries = api.sim.webhooks.flush()
    assert [d.status for d in deliveries] == [200]
    payload = receiver.bodies[-1]
    assert xero_openapi.webhook_violations(payload) == []
    assert [(e["eventCategory"], e["eventType"], e["resourceId"]) for e in payload["events"]] == [
        ("CONTACT", "UPDATE", A_CUSTOMER_ID),
        ("INVOICE", "UPDATE", A_INVOICE_AUTHORISED_ID),
    ]
    assert payload["firstEventSequence"] == 1 and payload["lastEventSequence"] == 2
    assert payload["events"][1]["resourceUrl"].endswith(f"/Invoices/{A_INVOICE_AUTHORISED_ID}")
    assert api.sim.webhooks.flush() == []


def test_background_sender_delivers_after_the_batching_delay(api: Api, receiver: Receiver):
    api.sim.config.webhook_batch_delay = 0.1
    api.put("/Contacts", json={"Contacts": [{"Name": "Webhook Person"}]})
    deadline = time.monotonic() + 5
    while not receiver.bodies and time.monotonic() < deadline:
        time.sleep(0.05)
    assert receiver.bodies and receiver.bodies[0]["events"][0]["eventType"] == "CREATE"


def test_wrong_key_delivery_stays_queued(api: Api, receiver: Receiver):
    api.sim.config.webhook_batch_delay = 30
    receiver.key = "something else"
    api.sim.touch(DEMO_TENANT_A, "Contacts", A_CUSTOMER_ID, {"Website": "https://x.example"})
    assert [d.status for d in api.sim.webhooks.flush()] == [401]
    assert len(api.sim.webhooks.pending()) == 1


def test_intent_to_receive(xero_sim, receiver: Receiver):
    assert xero_sim.webhooks.intent_to_receive() is True
    receiver.check = False  # an endpoint that says 200 to anything fails Xero's check
    assert xero_sim.webhooks.intent_to_receive() is False


def test_control_surface_over_http(xero_sim):
    sim = xero_sim
    assert (
        httpx.post(f"{sim.url}/_sim/clock/advance", json={"seconds": 120}).json()["offset"] == 120
    )
    httpx.post(
        f"{sim.url}/_sim/faults",
        json={"kind": "error", "path_prefix": "/connections", "status": 500},
    )
    assert httpx.get(f"{sim.url}/connections").status_code == 500
    assert httpx.get(f"{sim.url}/connections").status_code == 401
    calls = httpx.get(f"{sim.url}/_sim/calls").json()
    assert calls["count"] == 1  # the faulted request never reached the app
    assert httpx.post(f"{sim.url}/_sim/reset").status_code == 200
    assert sim.clock.offset == 0
