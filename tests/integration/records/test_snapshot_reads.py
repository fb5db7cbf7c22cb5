"""GET of one invoice or contact answered from the webhook worker's snapshots.

Snapshots are made the honest way: a change in the simulator ("in Xero") queues a webhook,
the simulator signs and POSTs the delivery (here to a catcher on loopback), the webhook
intake handler verifies and enqueues it in moto's SQS, and the webhook worker handler gets
the queued messages as Lambda's SQS event source would hand them over, fetches from the
simulator and stores the snapshot. The simulator counts every Accounting API call per
tenant: that is how the tests see what a GET spent. Time moves by patching
`snapshot_reads._now_ms` (the simulator's own clock is real).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import boto3
import pytest

from devstack.sqs_poller import sqs_record
from devstack.xero_simulator import seed
from tests.events import call_handler, http_api_event, load_function
from tests.fixtures.aws import TEST_SECRET
from tests.integration.records.conftest import OTHER_TENANT, TENANT, Answer, api
from xero_bridge import snapshot_fences
from xero_bridge.persistence import snapshots
from xero_bridge.records import snapshot_reads
from xero_bridge.settings import get_settings
from xero_bridge.webhooks import queue
from xero_bridge.webhooks.source import XeroChangeSource
from xero_bridge.xero.dates import parse_xero_time_ms

T = f"/tenants/{TENANT}"
SOURCE = "X-Xero-Bridge-Source"


# ---------------------------------------------------------------------------- plumbing
class _Catcher(BaseHTTPRequestHandler):
    """Where the simulator POSTs its signed deliveries (Xero's side of the webhook)."""

    deliveries: list[tuple[bytes, str]]

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length") or 0))
        self.deliveries.append((body, self.headers.get("x-xero-signature") or ""))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


class Webhooks:
    """The simulator's webhooks → the intake handler → SQS → the webhook worker handler (as
    the queue's event source mapping would call it)."""

    def __init__(self, sim: Any) -> None:
        self.sim = sim
        handler = type("Catcher", (_Catcher,), {"deliveries": []})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.deliveries: list[tuple[bytes, str]] = handler.deliveries
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        sim.config.webhook_url = f"http://127.0.0.1:{self.server.server_address[1]}/webhooks"
        sim.config.webhook_key = TEST_SECRET["xero_webhook_key"]  # what our intake checks
        sim.config.webhook_batch_delay = 3600  # delivered when the caller says so

    def deliver(self) -> None:
        """Xero sends what is pending; our intake takes it; the worker processes it."""
        [delivery] = self.sim.webhooks.flush()
        assert delivery.ok, delivery
        body, signature = self.deliveries.pop()
        event = http_api_event(
            "POST",
            "/webhooks/xero",
            route_key="POST /webhooks/xero",
            headers={"content-type": "application/json", "x-xero-signature": signature},
            body=body,
        )
        assert call_handler("webhook_intake", event)["statusCode"] == 200
        sqs = boto3.client("sqs")
        url = get_settings().required("webhook_queue_url")
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
        while True:
            messages = sqs.receive_message(
                QueueUrl=url,
                MaxNumberOfMessages=10,
                AttributeNames=["All"],
                MessageAttributeNames=["All"],
            ).get("Messages", [])
            if not messages:
                return
            records = [sqs_record(m, arn["Attributes"]["QueueArn"]) for m in messages]
            answer = call_handler("webhook_worker", {"Records": records})
            assert answer["batchItemFailures"] == [], answer
            sqs.delete_message_batch(
                QueueUrl=url,
                Entries=[
                    {"Id": str(n), "ReceiptHandle": m["ReceiptHandle"]}
                    for n, m in enumerate(messages)
                ],
            )

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hooks(records: Any) -> Iterator[Webhooks]:
    queue.reset_client()
    webhooks = Webhooks(records)
    yield webhooks
    webhooks.close()
    queue.reset_client()


class Clock:
    """Moves the records function's clock (snapshot ages, write fences) forward."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.offset_ms = 0
        for module in (snapshot_reads, snapshot_fences):
            monkeypatch.setattr(module, "_now_ms", lambda: int(time.time() * 1000) + self.offset_ms)

    def advance(self, seconds: float) -> None:
        self.offset_ms += int(seconds * 1000)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


def spent(sim: Any, fn: Callable[[], Answer], tenant: str = TENANT) -> tuple[Answer, int]:
    """The answer of `fn` and the Xero calls it cost the tenant."""
    before = sim.calls(tenant)
    answer = fn()
    return answer, sim.calls(tenant) - before


def get(kind: str, record_id: str, **headers: str) -> Answer:
    return api("GET", f"{T}/{kind}/{record_id}", headers=headers or None)


def header(answer: Answer, name: str) -> str | None:
    return {k.lower(): v for k, v in answer.headers.items()}.get(name.lower())


def create_rich_invoice() -> dict[str, Any]:
    """A draft with several lines: 4-decimal unit prices, a discount, an item code."""
    created = api(
        "POST",
        f"{T}/invoices",
        body={
            "type": "ACCREC",
            "contact_id": seed.A_CUSTOMER_ID,
            "reference": "snapshot check",
            "line_items": [
                {
                    "description": "Consulting, 4-decimal rate",
                    "quantity": "3",
                    "unit_amount": "12.3456",
                    "account_code": "200",
                    "tax_type": "OUTPUT2",
                    "discount_rate": "10",
                },
                {
                    "description": "Travel",
                    "quantity": "1.5",
                    "unit_amount": "80.00",
                    "account_code": "200",
                },
                {"item_code": "DEV-HOUR", "quantity": "2"},
            ],
        },
    )
    assert created.status == 201, created.body
    return created.body


# ---------------------------------------------------------------------------- tests
def test_a_webhook_snapshot_answers_like_xero_without_a_call(records, hooks, clock):
    invoice = create_rich_invoice()
    invoice_id = invoice["invoice_id"]
    records.touch(TENANT, "Contacts", seed.A_CUSTOMER_ID, {"Website": "https://ridgeway.example"})
    hooks.deliver()  # CREATE of the invoice, UPDATE of the contact

    stored = snapshots.get_snapshot(TENANT, "INVOICE", invoice_id)
    assert stored is not None
    assert (stored["fetch_form"], stored["unitdp"]) == ("list", 4)
    assert stored["fetched_ms"] <= time.time() * 1000
    assert len(stored["data"]["LineItems"]) == 3

    clock.advance(7.4)
    from_snapshot, calls = spent(records, lambda: get("invoices", invoice_id))
    assert from_snapshot.status == 200, from_snapshot.body
    assert calls == 0
    assert header(from_snapshot, SOURCE) == "snapshot"
    assert int(header(from_snapshot, "Age") or -1) >= 7

    live, calls = spent(
        records, lambda: get("invoices", invoice_id, **{"Cache-Control": "no-cache"})
    )
    assert calls == 1
    assert header(live, SOURCE) == "xero" and header(live, "Age") is None
    assert from_snapshot.body == live.body  # the same JSON, field for field
    assert json.loads(from_snapshot.raw) == json.loads(live.raw)
    lines = live.body["line_items"]
    assert [line["unit_amount"] for line in lines[:2]] == ["12.3456", "80.00"]
    assert lines[0]["discount_rate"] == "10.00" and lines[2]["item_code"] == "DEV-HOUR"
    assert live.body["contact"]["contact_id"] == seed.A_CUSTOMER_ID

    # The contact's webhook snapshot is of the list form, which Xero does not promise to be
    # complete for contacts: the first GET asks Xero and keeps its answer as the snapshot.
    contact_first, calls = spent(records, lambda: get("contacts", seed.A_CUSTOMER_ID))
    assert (calls, header(contact_first, SOURCE)) == (1, "xero")
    contact_again, calls = spent(records, lambda: get("contacts", seed.A_CUSTOMER_ID))
    assert (calls, header(contact_again, SOURCE)) == (0, "snapshot")
    assert contact_again.body == contact_first.body
    assert contact_again.body["website"] == "https://ridgeway.example"
    assert contact_again.body["phones"] and contact_again.body["email_address"]


def test_the_workers_list_fetch_holds_what_a_single_get_holds_in_the_simulator(records):
    from xero_bridge.records import contacts, invoices

    ids = list(records.store.book(TENANT).table("Invoices"))
    listed = XeroChangeSource().fetch(TENANT, "INVOICE", ids)
    assert len(listed) == len(ids)
    for record in listed:
        single = invoices.get_invoice(TENANT, record["InvoiceID"])
        assert invoices.invoice_from_json(record) == single
        assert record["LineItems"]  # with page=1 the list carries the lines
    contact_ids = list(records.store.book(TENANT).table("Contacts"))
    for record in XeroChangeSource().fetch(TENANT, "CONTACT", contact_ids):
        assert contacts.contact_from_json(record) == contacts.get_contact(
            TENANT, record["ContactID"]
        )


def test_a_stale_snapshot_costs_one_call_and_is_refreshed(records, hooks, clock):
    records.touch(TENANT, "Invoices", seed.A_INVOICE_AUTHORISED_ID, {"Reference": "PO 77"})
    hooks.deliver()
    before = snapshots.get_snapshot(TENANT, "INVOICE", seed.A_INVOICE_AUTHORISED_ID)

    clock.advance(get_settings().records_snapshot_max_age_seconds + 1)
    stale, calls = spent(records, lambda: get("invoices", seed.A_INVOICE_AUTHORISED_ID))
    assert (calls, header(stale, SOURCE)) == (1, "xero")
    assert stale.body["reference"] == "PO 77"
    after = snapshots.get_snapshot(TENANT, "INVOICE", seed.A_INVOICE_AUTHORISED_ID)
    assert after["fetched_ms"] > before["fetched_ms"] and after["fetch_form"] == "single"
    assert after["updated_ms"] == before["updated_ms"]
    assert "publish_pending" not in after  # a refresh leaves the worker's publication alone

    fresh, calls = spent(records, lambda: get("invoices", seed.A_INVOICE_AUTHORISED_ID))
    assert (calls, header(fresh, SOURCE), header(fresh, "Age")) == (0, "snapshot", "0")
    assert fresh.body == stale.body


def test_cache_control_asks_for_live_data_or_a_younger_snapshot(records, hooks, clock):
    records.touch(TENANT, "Invoices", seed.A_INVOICE_AUTHORISED_ID, {"Reference": "cc"})
    hooks.deliver()
    clock.advance(10)
    invoice = seed.A_INVOICE_AUTHORISED_ID

    answer, calls = spent(
        records, lambda: get("invoices", invoice, **{"Cache-Control": "max-age=30"})
    )
    assert (calls, header(answer, SOURCE)) == (0, "snapshot")
    answer, calls = spent(
        records, lambda: get("invoices", invoice, **{"Cache-Control": "max-age=5"})
    )
    assert (calls, header(answer, SOURCE)) == (1, "xero")  # and refreshed
    answer, calls = spent(
        records, lambda: get("invoices", invoice, **{"Cache-Control": "max-age=5"})
    )
    assert (calls, header(answer, SOURCE)) == (0, "snapshot")

    for value in ("no-cache", "max-age=0", "private, NO-CACHE", "max-age=soon"):
        answer, calls = spent(
            records, lambda v=value: get("invoices", invoice, **{"Cache-Control": v})
        )
        assert (calls, header(answer, SOURCE)) == (1, "xero"), value
    answer, calls = spent(records, lambda: get("invoices", invoice, Pragma="no-cache"))
    assert (calls, header(answer, SOURCE)) == (1, "xero")

    # no-store: from Xero, and not kept.
    kept = snapshots.get_snapshot(TENANT, "INVOICE", invoice)["fetched_ms"]
    clock.advance(1)
    answer, calls = spent(
        records, lambda: get("invoices", invoice, **{"Cache-Control": "no-store"})
    )
    assert (calls, header(answer, SOURCE)) == (1, "xero")
    assert snapshots.get_snapshot(TENANT, "INVOICE", invoice)["fetched_ms"] == kept


WRITES = {
    "update invoice": (
        "invoices",
        seed.A_INVOICE_DRAFT_ID,
        lambda i: api("PUT", f"{T}/invoices/{i}", body={"reference": "changed by us"}),
        lambda body: body["reference"] == "changed by us",
    ),
    "void invoice": (
        "invoices",
        seed.A_INVOICE_AUTHORISED_ID,
        lambda i: api("POST", f"{T}/invoices/{i}/void"),
        lambda body: body["status"] == "VOIDED",
    ),
    "delete invoice": (
        "invoices",
        seed.A_INVOICE_DRAFT_ID,
        lambda i: api("DELETE", f"{T}/invoices/{i}"),
        lambda body: body["status"] == "DELETED",
    ),
    "email invoice": (
        "invoices",
        seed.A_INVOICE_AUTHORISED_ID,
        lambda i: api("POST", f"{T}/invoices/{i}/email"),
        lambda body: body["sent_to_contact"] is True,
    ),
    "attach to invoice": (
        "invoices",
        seed.A_INVOICE_AUTHORISED_ID,
        lambda i: api(
            "POST",
            f"{T}/invoices/{i}/attachments",
            body={"file_name": "note.txt", "mime_type": "text/plain", "content_base64": "aGk="},
        ),
        lambda body: body["has_attachments"] is True,
    ),
    "update contact": (
        "contacts",
        seed.A_CUSTOMER_ID,
        lambda i: api("PUT", f"{T}/contacts/{i}", body={"email_address": "new@ridgeway.example"}),
        lambda body: body["email_address"] == "new@ridgeway.example",
    ),
    "archive contact": (
        "contacts",
        seed.A_SUPPLIER_ID,
        lambda i: api("POST", f"{T}/contacts/{i}/archive"),
        lambda body: body["status"] == "ARCHIVED",
    ),
    "upsert contact": (
        "contacts",
        seed.A_CUSTOMER_ID,
        lambda i: api(
            "POST",
            f"{T}/contacts/upsert",
            body={"contacts": [{"name": seed.A_CUSTOMER_NAME, "first_name": "Maria"}]},
        ),
        lambda body: body["first_name"] == "Maria",
    ),
}


@pytest.mark.parametrize("write", sorted(WRITES))
def test_our_writes_never_leave_a_stale_snapshot_to_serve(records, clock, write):
    kind, record_id, do, changed = WRITES[write]
    first, calls = spent(records, lambda: get(kind, record_id))
    assert (calls, header(first, SOURCE)) == (1, "xero")  # kept as the snapshot
    cached, calls = spent(records, lambda: get(kind, record_id))
    assert (calls, header(cached, SOURCE)) == (0, "snapshot")
    assert not changed(cached.body)

    done = do(record_id)
    assert done.status in (200, 201, 204), done.body

    after, calls = spent(records, lambda: get(kind, record_id))
    assert (calls, header(after, SOURCE)) == (1, "xero"), write
    assert changed(after.body), after.body
    again, calls = spent(records, lambda: get(kind, record_id))
    assert (calls, header(again, SOURCE)) == (0, "snapshot")
    assert again.body == after.body


def test_a_payment_fences_the_paid_invoice(records, clock):
    """Paying (or reversing) changes an invoice's amount due: no answer from before it."""
    from xero_bridge.payments.xero_gateway import XeroPayments, payment_body

    invoice = seed.A_INVOICE_AUTHORISED_ID
    api("GET", f"{T}/invoices/{invoice}")
    before = get("invoices", invoice)
    assert header(before, SOURCE) == "snapshot"
    gateway = XeroPayments(TENANT)
    body = payment_body(
        invoice_id=invoice,
        account_id=seed.A_BANK_ACCOUNT_ID,
        amount=Decimal("10.00"),
        payment_date=time.strftime("%Y-%m-%d"),
        reference="fence test",
        currency_rate=None,
    )
    [paid] = gateway.create_payments([body], idempotency_key="fence-test-pay")
    after, calls = spent(records, lambda: get("invoices", invoice))
    assert (calls, header(after, SOURCE)) == (1, "xero")
    due_before = Decimal(before.body["amount_due"])
    assert Decimal(after.body["amount_due"]) == due_before - Decimal("10.00")

    gateway.reverse(paid["PaymentID"], invoice, idempotency_key="fence-test-reverse")
    restored, calls = spent(records, lambda: get("invoices", invoice))
    assert (calls, header(restored, SOURCE)) == (1, "xero")
    assert Decimal(restored.body["amount_due"]) == due_before


def test_a_fetch_that_raced_with_our_write_is_not_served(records, clock):
    invoice = seed.A_INVOICE_DRAFT_ID
    api("GET", f"{T}/invoices/{invoice}")
    old = snapshots.get_snapshot(TENANT, "INVOICE", invoice)
    fetched_during_write = snapshot_reads._now_ms()
    assert api("PUT", f"{T}/invoices/{invoice}", body={"reference": "new"}).status == 200
    # The worker (or another reader) fetched the old version while the write ran, and stores
    # it only now, with a fetch time later than the stored one.
    outcome = snapshots.record_fetch(
        snapshots.Snapshot(
            TENANT,
            "INVOICE",
            invoice,
            int(old["updated_ms"]),
            old["data"],
            fetched_ms=fetched_during_write,
            fetch_form="list",
            unitdp=4,
        )
    )
    assert outcome == "refreshed"
    answer, calls = spent(records, lambda: get("invoices", invoice))
    assert (calls, header(answer, SOURCE), answer.body["reference"]) == (1, "xero", "new")


def test_a_contact_write_fences_the_invoices_that_name_it(records, clock):
    invoice = seed.A_INVOICE_AUTHORISED_ID
    api("GET", f"{T}/invoices/{invoice}")
    assert header(get("invoices", invoice), SOURCE) == "snapshot"
    renamed = api("PUT", f"{T}/contacts/{seed.A_CUSTOMER_ID}", body={"name": "Ridgeway Uni"})
    assert renamed.status == 200, renamed.body
    answer, calls = spent(records, lambda: get("invoices", invoice))
    assert (calls, header(answer, SOURCE)) == (1, "xero")
    assert answer.body["contact"]["name"] == "Ridgeway Uni"
    assert header(get("invoices", invoice), SOURCE) == "snapshot"


def test_an_invoice_for_a_contact_fences_that_contact(records, clock):
    api("GET", f"{T}/contacts/{seed.A_CUSTOMER_2_ID}")
    assert header(get("contacts", seed.A_CUSTOMER_2_ID), SOURCE) == "snapshot"
    created = api(
        "POST",
        f"{T}/invoices",
        body={
            "type": "ACCREC",
            "contact_id": seed.A_CUSTOMER_2_ID,
            "line_items": [{"description": "x", "quantity": "1", "unit_amount": "5.00"}],
        },
    )
    assert created.status == 201, created.body
    answer, calls = spent(records, lambda: get("contacts", seed.A_CUSTOMER_2_ID))
    assert (calls, header(answer, SOURCE)) == (1, "xero")


def test_a_write_whose_fence_was_not_closed_keeps_its_snapshots_unserved_until_it_expires(
    records, clock, monkeypatch
):
    invoice = seed.A_INVOICE_DRAFT_ID
    api("GET", f"{T}/invoices/{invoice}")

    def fail(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("DynamoDB unreachable")

    monkeypatch.setattr(snapshots, "end_write", fail)
    assert api("PUT", f"{T}/invoices/{invoice}", body={"reference": "r2"}).status == 200
    for _ in range(2):  # each asks Xero: the write might still be running
        answer, calls = spent(records, lambda: get("invoices", invoice))
        assert (calls, header(answer, SOURCE), answer.body["reference"]) == (1, "xero", "r2")
    clock.advance(snapshot_fences.WRITE_WINDOW_MS / 1000 + 1)
    answer, calls = spent(records, lambda: get("invoices", invoice))
    assert (calls, header(answer, SOURCE)) == (1, "xero")  # fetched after the fence expired
    answer, calls = spent(records, lambda: get("invoices", invoice))
    assert (calls, header(answer, SOURCE)) == (0, "snapshot")


def test_a_write_is_refused_before_xero_when_its_snapshots_cannot_be_fenced(records, monkeypatch):
    def fail(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("DynamoDB unreachable")

    monkeypatch.setattr(snapshots, "begin_write", fail)
    answer, calls = spent(
        records,
        lambda: api("PUT", f"{T}/invoices/{seed.A_INVOICE_DRAFT_ID}", body={"reference": "x"}),
    )
    assert (answer.status, answer.body["error"]["code"], calls) == (503, "service_unavailable", 0)
    # Reads do not need the table: a failing read of it is a call to Xero, not an error.
    monkeypatch.setattr(snapshots, "get_for_read", fail)
    answer, calls = spent(records, lambda: get("invoices", seed.A_INVOICE_DRAFT_ID))
    assert (answer.status, calls, header(answer, SOURCE)) == (200, 1, "xero")


def test_another_tenants_snapshot_is_never_served(records, clock, monkeypatch):
    # Tenant B's invoice, stored as a perfectly fresh snapshot under tenant B (alice has no
    # grant to tenant B).
    data = {
        "InvoiceID": seed.B_INVOICE_AUTHORISED_ID,
        "Type": "ACCREC",
        "Status": "AUTHORISED",
        "Total": Decimal("100.00"),
        "UpdatedDateUTC": "/Date(1750000000000+0000)/",
    }
    snapshots.record_fetch(
        snapshots.Snapshot(
            OTHER_TENANT,
            "INVOICE",
            seed.B_INVOICE_AUTHORISED_ID,
            1_750_000_000_000,
            data,
            fetched_ms=snapshot_reads._now_ms(),
            fetch_form="single",
            unitdp=4,
        )
    )
    reads: list[tuple[str, ...]] = []
    real = snapshots.get_for_read

    def recording(*args: str) -> Any:
        reads.append(args)
        return real(*args)

    monkeypatch.setattr(snapshots, "get_for_read", recording)
    path = f"/tenants/{OTHER_TENANT}/invoices/{seed.B_INVOICE_AUTHORISED_ID}"
    answer, calls = spent(records, lambda: api("GET", path), tenant=OTHER_TENANT)
    assert (answer.status, calls, reads) == (403, 0, [])  # refused before anything
    assert header(answer, SOURCE) is None
    # The same id under the caller's own tenant: looked up under that tenant only, and Xero
    # (tenant A) has no such invoice.
    answer, calls = spent(records, lambda: get("invoices", seed.B_INVOICE_AUTHORISED_ID))
    assert (answer.status, calls, header(answer, SOURCE)) == (404, 1, None)
    assert reads == [(TENANT, "INVOICE", seed.B_INVOICE_AUTHORISED_ID)]


def test_snapshots_off_with_a_max_age_of_zero(records, clock, monkeypatch):
    api("GET", f"{T}/invoices/{seed.A_INVOICE_AUTHORISED_ID}")  # a fresh snapshot exists
    monkeypatch.setenv("RECORDS_SNAPSHOT_MAX_AGE_SECONDS", "0")
    get_settings.cache_clear()
    kept = snapshots.get_snapshot(TENANT, "INVOICE", seed.A_INVOICE_AUTHORISED_ID)["fetched_ms"]
    for _ in range(3):
        answer, calls = spent(records, lambda: get("invoices", seed.A_INVOICE_AUTHORISED_ID))
        assert (calls, header(answer, SOURCE), header(answer, "Age")) == (1, "xero", None)
    stored = snapshots.get_snapshot(TENANT, "INVOICE", seed.A_INVOICE_AUTHORISED_ID)
    assert stored["fetched_ms"] == kept  # not read, not written


def test_a_snapshot_stored_before_fetch_times_were_recorded_is_not_served(records, clock):
    invoice = seed.A_INVOICE_OVERDUE_ID
    # Stored as the worker stored snapshots before fetch times were recorded.
    [record] = XeroChangeSource().fetch(TENANT, "INVOICE", [invoice])
    version = parse_xero_time_ms(record["UpdatedDateUTC"])
    assert version is not None
    legacy = snapshots.Snapshot(TENANT, "INVOICE", invoice, version, record)
    assert snapshots.store_if_newer(legacy, "an older worker", 0)
    assert "fetched_ms" not in snapshots.get_snapshot(TENANT, "INVOICE", invoice)

    answer, calls = spent(records, lambda: get("invoices", invoice))
    assert (calls, header(answer, SOURCE)) == (1, "xero")  # and now recorded with its time
    again, calls = spent(records, lambda: get("invoices", invoice))
    assert (calls, header(again, SOURCE)) == (0, "snapshot")
    assert again.body == answer.body


def test_the_openapi_document_describes_the_headers(records):
    document = json.loads(load_function("records").app.get_openapi_json_schema())
    for path in ("/tenants/{tenantId}/invoices/{id}", "/tenants/{tenantId}/contacts/{id}"):
        operation = document["paths"][path]["get"]
        ok = operation["responses"]["200"]
        assert set(ok["headers"]) == {SOURCE, "Age"}
        assert ok["headers"][SOURCE]["schema"]["enum"] == ["snapshot", "xero"]
        assert "$ref" in json.dumps(ok["content"]["application/json"]["schema"])
        [cache_control] = [p for p in operation["parameters"] if p["in"] == "header"]
        assert cache_control["name"].lower() == "cache-control"


def test_the_read_policy_of_a_request():
    from xero_bridge.settings import Settings

    on = Settings.model_validate({"SNAPSHOTS_TABLE": "t", "RECORDS_SNAPSHOT_MAX_AGE_SECONDS": "60"})
    from xero_bridge.http.caching import cache_request

    def policy(headers: dict[str, str], settings: Settings) -> snapshot_reads.ReadPolicy:
        return snapshot_reads.read_policy(cache_request(headers), settings)

    assert policy({}, on) == snapshot_reads.ReadPolicy(60_000, True)
    assert policy({"cache-control": 'max-age="5"'}, on).max_age_ms == 5_000
    assert policy({"Cache-Control": "max-age=600"}, on).max_age_ms == 60_000  # never looser
    assert policy({"cache-control": "max-age=-1"}, on).max_age_ms == 0
    assert policy({"cache-control": "max-age=5, no-cache"}, on) == snapshot_reads.ReadPolicy(None)
    assert policy({"cache-control": "no-store"}, on) == snapshot_reads.ReadPolicy(None, False)
    assert policy({"pragma": "no-cache"}, on).max_age_ms is None
    assert policy({"pragma": "no-cache", "cache-control": "max-age=9"}, on).max_age_ms == 9_000
    off = Settings.model_validate({"SNAPSHOTS_TABLE": "t", "RECORDS_SNAPSHOT_MAX_AGE_SECONDS": "0"})
    assert policy({}, off) == snapshot_reads.LIVE
    assert policy({}, Settings.model_validate({})) == snapshot_reads.LIVE  # no table
    assert Settings.model_validate({}).records_snapshot_max_age_seconds == 60
