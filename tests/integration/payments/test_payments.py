"""Payments through the handler against the Xero simulator (moto for AWS)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from devstack.xero_simulator import seed
from tests.events import LocalContext
from tests.fixtures.connected import Connected
from tests.integration.payments.conftest import Answer, payments_event
from xero_bridge.persistence import audit
from xero_bridge.persistence import payments as store


def body(**overrides: Any) -> dict[str, Any]:
    data = {
        "invoice_id": seed.A_INVOICE_AUTHORISED_ID,
        "account_code": "090",
        "amount": "100.00",
        "date": "2024-05-01",
        "reference": "May instalment",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def invoice(connected: Connected, invoice_id: str, tenant: str | None = None) -> dict[str, Any]:
    record = connected.sim.record(tenant or connected.tenant_a, "Invoices", invoice_id)
    assert record is not None
    return record


def writes(connected: Connected) -> int:
    return len(connected.sim.created("Payments"))


def act(pay: Callable[..., Any], action: str, payment_id: str, **kwargs: Any) -> Any:
    """POST /payments/{payment_id}/{action} (approve, reject, reverse) through `pay`."""
    return pay("POST", f"/{payment_id}/{action}", payment_id=payment_id, **kwargs)


# ---------------------------------------------------------------------------- happy paths
def test_paying_a_bill_in_full_marks_it_paid(pay, connected):
    bill = invoice(connected, seed.A_BILL_AUTHORISED_ID)
    due = bill["AmountDue"]
    answer = pay("POST", body=body(invoice_id=seed.A_BILL_AUTHORISED_ID, amount=str(due)))
    assert answer.status == 201, answer
    assert answer.body["status"] == "recorded"
    assert answer.body["kind"] == "pay"
    assert answer.body["amount"] == f"{due:.2f}"
    [created] = connected.sim.created("Payments")
    assert created["Amount"] == due  # exact on the wire, not a float approximation
    assert created["PaymentType"] == "ACCPAYPAYMENT"
    assert answer.body["xero_payment_id"] == created["PaymentID"]
    assert invoice(connected, seed.A_BILL_AUTHORISED_ID)["Status"] == "PAID"
    # Every answer about a payment names its rail; the xero rail has no provider id.
    assert answer.body["rail"] == "xero"
    assert answer.body["rail_status"] is None and answer.body["rail_reference"] is None


def test_partial_receipt_leaves_the_right_amount_due_and_reversal_restores_it(pay, connected):
    before = invoice(connected, seed.A_INVOICE_AUTHORISED_ID)["AmountDue"]
    answer = pay("POST", body=body(amount="123.45"))
    assert answer.status == 201, answer
    assert answer.body["kind"] == "receive"
    after = invoice(connected, seed.A_INVOICE_AUTHORISED_ID)
    assert after["AmountDue"] == before - Decimal("123.45")
    assert after["Status"] == "AUTHORISED"

    payment_id = answer.body["payment_id"]
    reversed_ = act(pay, "reverse", payment_id)
    assert reversed_.status == 200, reversed_
    assert reversed_.body["status"] == "reversed"
    assert reversed_.body["xero_status"] == "DELETED"
    assert invoice(connected, seed.A_INVOICE_AUTHORISED_ID)["AmountDue"] == before
    again = act(pay, "reverse", payment_id)
    assert again.status == 200 and again.body["status"] == "reversed"
    actions = [e.action for e in audit.entries_for_payment(connected.tenant_a, payment_id)]
    assert actions == ["submitted", "recorded", "reversed"]


def test_paying_by_invoice_number_and_account_id(pay, connected):
    # The amount as a JSON number: parsed from its text, never through a float.
    text = (
        f'{{"invoice_number": "{seed.A_INVOICE_AUTHORISED_NUMBER}", '
        f'"account_id": "{seed.A_BANK_ACCOUNT_ID}", "amount": 50.10, "date": "2024-05-01"}}'
    )
    answer = pay("POST", body=text)
    assert answer.status == 201, answer
    assert answer.body["invoice_id"] == seed.A_INVOICE_AUTHORISED_ID
    assert connected.sim.created("Payments")[0]["Amount"] == Decimal("50.10")


# ---------------------------------------------------------------------------- bad input
def raw(amount: str) -> str:
    """A body with the amount as a bare JSON token (number, NaN…), exactly as typed."""
    return (
        f'{{"invoice_id": "{seed.A_INVOICE_AUTHORISED_ID}", "account_code": "090", '
        f'"amount": {amount}, "date": "2024-05-01"}}'
    )


BAD = [
    ("negative", body(amount="-5.00"), 400),
    ("zero", body(amount="0"), 400),
    ("three decimals", body(amount="10.005"), 400),
    ("float trap as a number", raw("0.30000000000000004"), 400),
    ("exponent", raw("1e2"), 400),
    ("NaN", raw("NaN"), 400),
    ("not a date", body(date="01/05/2024"), 400),
    ("impossible date", body(date="2024-02-30"), 400),
    ("above amount due", body(amount="999999.00"), 422),
    ("draft invoice", body(invoice_id=seed.A_INVOICE_DRAFT_ID), 422),
    ("paid invoice", body(invoice_id=seed.A_INVOICE_PAID_ID), 422),
    ("another tenant's invoice", body(invoice_id=seed.B_INVOICE_AUTHORISED_ID), 422),
    ("unknown account", body(account_code="999"), 422),
    ("not a bank account", body(account_code="200"), 422),
    ("two invoice references", body(invoice_number="INV-0002"), 400),
]


@pytest.mark.parametrize(("name", "payload", "status"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_is_refused_before_xero_is_written(pay, connected, name, payload, status):
    answer = pay("POST", body=payload)
    assert answer.status == status, answer
    assert answer.body["error"]["code"] in ("bad_request", "validation_failed")
    assert answer.body["error"]["details"], answer
    assert writes(connected) == 0
    assert not any(m in ("PUT", "POST") for m, p, *_ in connected.sim.call_log if "Payments" in p)


def test_an_unknown_rail_is_refused_naming_the_rails_there_are(pay, connected):
    answer = pay("POST", body=body(rail="swift"))
    assert answer.status == 400, answer
    [detail] = answer.body["error"]["details"]
    assert detail == {
        "field": "rail",
        "problem": "must be one of: xero, solaris_sepa, saferpay, okx, gocardless",
    }
    assert pay("POST", body=body(rail="xero")).status == 201
    assert writes(connected) == 1


def test_a_voided_invoice_is_refused(pay, connected):
    created = pay("POST", body=body(invoice_id=seed.A_INVOICE_OVERDUE_ID, amount="1.00"))
    assert created.status == 201  # overdue but authorised: payable
    connected.sim.store.book(connected.tenant_a).table("Invoices")[seed.A_INVOICE_DRAFT_ID][
        "Status"
    ] = "VOIDED"
    answer = pay("POST", body=body(invoice_id=seed.A_INVOICE_DRAFT_ID))
    assert answer.status == 422
    assert "VOIDED" in str(answer.body["error"]["details"])
    assert writes(connected) == 1


def test_the_idempotency_key_is_required(pay, connected):
    answer = pay("POST", body=body(), key=None)
    assert answer.status == 400
    assert answer.body["error"]["details"][0]["field"] == "Idempotency-Key"
    assert writes(connected) == 0


def test_same_key_same_body_replays_and_another_body_conflicts(pay, connected):
    key = str(uuid.uuid4())
    first = pay("POST", body=body(), key=key)
    second = pay("POST", body=body(), key=key)
    assert first.status == second.status == 201
    assert first.raw["body"] == second.raw["body"]  # the first answer, byte for byte
    assert second.headers.get("Idempotent-Replayed") == "true"
    conflict = pay("POST", body=body(amount="100.01"), key=key)
    assert conflict.status == 409
    assert conflict.body["error"]["code"] == "conflict"
    assert writes(connected) == 1


def test_a_user_without_a_grant_is_refused_before_xero(pay, connected):
    calls = connected.sim.calls(connected.tenant_a)
    answer = pay("POST", body=body(), sub="mallory")
    assert answer.status == 403
    assert connected.sim.calls(connected.tenant_a) == calls
    assert pay("GET", sub="mallory").status == 403


# ---------------------------------------------------------------------------- exactly once
def test_fifty_concurrent_submissions_with_one_key_make_one_payment(connected):
    from devstack.lambda_runtime import load_handler_module
    from devstack.template import ROOT

    key = str(uuid.uuid4())
    # 50 "Lambda containers": one handler module each (a resolver is not thread-safe).
    modules = [
        load_handler_module(ROOT / "functions" / "payments", "app.lambda_handler", f"pay_c{i}")[0]
        for i in range(50)
    ]
    answers: list[Answer | None] = [None] * 50
    barrier = threading.Barrier(50)

    def run(i: int) -> None:
        event = payments_event("POST", connected.tenant_a, body=body(), key=key)
        barrier.wait()
        answers[i] = Answer(modules[i].lambda_handler(event, LocalContext(function_name="p")))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert all(a is not None for a in answers)
    statuses = {a.status for a in answers if a}
    assert statuses == {201}, [a for a in answers if a and a.status != 201][:3]
    distinct = {a.raw["body"] for a in answers if a}  # byte-identical bodies
    assert len(distinct) == 1, distinct
    assert writes(connected) == 1


def test_a_timeout_after_xero_recorded_the_payment_then_a_retry_is_still_one(
    pay, connected, monkeypatch
):
    from tests.fixtures.connected import _reset_all

    monkeypatch.setenv("XERO_READ_TIMEOUT_SECONDS", "0.5")
    _reset_all()
    key = str(uuid.uuid4())
    connected.sim.faults.add(
        kind="slow", path_prefix="/api.xro/2.0/Payments", delay=1.5, method="PUT"
    )
    first = pay("POST", body=body(), key=key)
    assert first.status == 503, first
    # Xero applies the write after our timeout.
    import time

    deadline = time.monotonic() + 5
    while writes(connected) == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert writes(connected) == 1
    [record] = store.list_newest_first(connected.tenant_a, page_size=10)[0]
    assert record.status == "submitted"  # outcome unknown to us
    # Xero has forgotten its idempotency key (6 minutes): only our record and the look-up help.
    connected.sim.idempotency.reset()
    retry = pay("POST", body=body(), key=key)
    assert retry.status == 201, retry
    assert retry.body["status"] == "recorded"
    assert writes(connected) == 1
    [created] = connected.sim.created("Payments")
    assert retry.body["xero_payment_id"] == created["PaymentID"]


@pytest.mark.parametrize("kind", ["error", "drop"])
def test_a_passing_outage_is_ridden_out_and_pays_once(pay, connected, kind):
    """The client repeats the PUT (it carries an Idempotency-Key): the caller sees 201."""
    connected.sim.faults.add(kind=kind, path_prefix="/api.xro/2.0/Payments", method="PUT")
    answer = pay("POST", body=body())
    assert answer.status == 201, answer
    assert writes(connected) == 1


@pytest.mark.parametrize("kind", ["error", "drop"])
def test_a_lasting_outage_is_503_and_the_same_key_then_pays_once(pay, connected, kind):
    key = str(uuid.uuid4())
    connected.sim.faults.add(
        kind=kind, path_prefix="/api.xro/2.0/Payments", status=503, method="PUT", times=None
    )
    first = pay("POST", body=body(), key=key)
    assert first.status == 503
    assert first.body["error"]["code"] == "service_unavailable"
    assert writes(connected) == 0
    connected.sim.faults.clear()
    retry = pay("POST", body=body(), key=key)
    assert retry.status == 201, retry
    assert writes(connected) == 1


@pytest.mark.parametrize(
    ("retry_after", "status", "retry_header", "paid"),
    [
        (40, 429, "40", 0),  # longer than the client waits within one request: the caller's
        (1, 201, None, 1),  # short: waited out
    ],
    ids=["passed-on", "waited-out"],
)
def test_a_xero_rate_limit_is_waited_out_or_passed_on_as_429_with_retry_after(
    pay, connected, retry_after, status, retry_header, paid
):
    connected.sim.faults.add(
        kind="error", path_prefix="/api.xro/2.0/Invoices", status=429, retry_after=retry_after
    )
    answer = pay("POST", body=body())
    assert answer.status == status, answer
    assert answer.headers.get("Retry-After") == retry_header
    assert writes(connected) == paid


# ---------------------------------------------------------------------------- approval
def test_above_the_threshold_waits_for_a_second_person(pay, connected, monkeypatch):
    monkeypatch.setenv("PAYMENT_APPROVAL_THRESHOLDS", f"{connected.tenant_a}=100.00")
    from xero_bridge.settings import get_settings

    get_settings.cache_clear()
    connected.grant("bob")
    pending = pay("POST", body=body(amount="100.01"))
    assert pending.status == 202, pending
    assert pending.body["status"] == "pending_approval"
    assert writes(connected) == 0
    payment_id = pending.body["payment_id"]

    own = act(pay, "approve", payment_id, sub="alice")
    assert own.status == 403
    assert writes(connected) == 0

    approved = act(pay, "approve", payment_id, sub="bob", scopes="payments:approve")
    assert approved.status == 201, approved
    assert approved.body["status"] == "recorded"
    assert approved.body["approved_by"] == "bob"
    assert writes(connected) == 1
    again = act(pay, "approve", payment_id, sub="bob", scopes="payments:approve")
    assert again.status == 201 and writes(connected) == 1
    actions = [e.action for e in audit.entries_for_payment(connected.tenant_a, payment_id)]
    assert actions == ["approval_requested", "approved", "recorded"]

    other = pay("POST", body=body(amount="200.00"))
    assert other.status == 202
    other_id = other.body["payment_id"]
    rejected = act(pay, "reject", other_id, sub="bob", key=None)
    assert rejected.status == 200 and rejected.body["status"] == "rejected"
    late = act(pay, "approve", other_id, sub="bob")
    assert late.status == 409
    assert writes(connected) == 1


# ---------------------------------------------------------------------------- batch
def test_a_batch_is_one_xero_write_with_a_result_per_item(pay, connected):
    items = [
        body(amount="10.00", reference="a"),
        body(invoice_id=seed.A_BILL_AUTHORISED_ID, amount="20.00", reference="b"),
        body(amount="10.001"),  # invalid: 3 decimals
        body(invoice_id=seed.A_INVOICE_DRAFT_ID),  # not authorised
        body(invoice_id=seed.A_INVOICE_OVERDUE_ID, amount="30.00"),
    ]
    key = str(uuid.uuid4())
    before = list(connected.sim.call_log)
    answer = pay("POST", "/batch", body={"payments": items}, key=key)
    assert answer.status == 200, answer
    statuses = [r["status"] for r in answer.body["results"]]
    assert statuses == ["recorded", "recorded", "invalid", "failed", "recorded"]
    assert answer.body["results"][2]["error"]["status"] == 400
    assert answer.body["results"][3]["error"]["status"] == 422
    new_calls = connected.sim.call_log[len(before) :]
    puts = [c for c in new_calls if c[0] == "PUT" and c[1].endswith("/Payments")]
    assert len(puts) == 1
    assert writes(connected) == 3
    replay = pay("POST", "/batch", body={"payments": items}, key=key)
    assert replay.raw["body"] == answer.raw["body"]  # byte for byte, summary order and all
    assert replay.headers.get("Idempotent-Replayed") == "true"
    assert writes(connected) == 3


# ---------------------------------------------------------------------------- history
def test_history_newest_first_paginated_and_filtered(pay, connected):
    ids = []
    for n in range(5):
        answer = pay("POST", body=body(amount=f"{n + 1}.00"))
        assert answer.status == 201
        ids.append(answer.body["payment_id"])
    first = pay("GET", query={"page_size": "2"})
    assert first.status == 200, first
    assert [p["payment_id"] for p in first.body["payments"]] == ids[::-1][:2]
    assert first.body["payments"][0]["xero_status"] == "AUTHORISED"
    assert first.body["payments"][0]["xero_status_checked"] is True
    assert first.body["next_page"]
    second = pay("GET", query={"page_size": "2", "page": first.body["next_page"]})
    third = pay("GET", query={"page_size": "2", "page": second.body["next_page"]})
    assert [p["payment_id"] for p in second.body["payments"]] == ids[::-1][2:4]
    assert [p["payment_id"] for p in third.body["payments"]] == ids[:1]
    assert third.body["next_page"] is None

    act(pay, "reverse", ids[0])
    only = pay("GET", query={"status": "reversed"})
    assert [p["payment_id"] for p in only.body["payments"]] == [ids[0]]
    assert only.body["payments"][0]["xero_status"] == "DELETED"
    none = pay("GET", query={"date_from": "2024-06-01"})
    assert none.body["payments"] == []
    assert pay("GET", query={"status": "bogus"}).status == 400
    assert pay("GET", query={"page": "not-a-cursor"}).status == 400

    one = pay("GET", f"/{ids[1]}", payment_id=ids[1])
    assert one.status == 200 and one.body["amount"] == "2.00"
    assert [e["action"] for e in one.body["audit"]] == ["submitted", "recorded"]
    unknown = str(uuid.uuid4())
    assert pay("GET", f"/{unknown}", payment_id=unknown).status == 404
