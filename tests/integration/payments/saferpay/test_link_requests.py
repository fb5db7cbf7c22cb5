"""Making a link: once per Idempotency-Key, refused plainly when the invoice cannot be paid by
card, and safe when Saferpay fails — its ``Behavior`` decides what is tried again."""

from __future__ import annotations

import uuid

import pytest

from devstack.xero_simulator.seed import (
    A_BILL_AUTHORISED_ID,
    A_INVOICE_AUTHORISED_ID,
    A_INVOICE_DRAFT_ID,
    A_INVOICE_PAID_ID,
)
from devstack.xero_simulator.seed_cards import A_CARD_CLEARING_ACCOUNT_CODE
from devstack.xero_simulator.seed_rails import A_EUR_BANK_ACCOUNT_CODE

from .conftest import invoice_id

INIT = "/api/Payment/v1/PaymentPage/Initialize"
ASSERT = "/api/Payment/v1/PaymentPage/Assert"
CAPTURE = "/api/Payment/v1/Transaction/Capture"


# ------------------------------------------------------------------ once per key
def test_the_same_key_answers_the_same_link_and_opens_one_page(card):
    key = str(uuid.uuid4())
    first = card.link("whole", key=key)
    again = card.link("whole", key=key)
    assert first.status == again.status == 201
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.body["payment_link_id"] == first.body["payment_link_id"]
    assert again.body["redirect_url"] == first.body["redirect_url"]
    assert len(card.sim_get("/tokens")["tokens"]) == 1
    other = card.link("whole", key=key, body={"amount": "10.00"})
    assert other.status == 409 and other.body["error"]["code"] == "conflict"


def test_without_a_key_each_request_is_a_new_link_and_the_newest_is_answered(card):
    first = card.link("whole", key=None).body
    second = card.link("whole", key=None).body
    assert first["payment_link_id"] != second["payment_link_id"]
    assert card.get("whole")["payment_link_id"] == second["payment_link_id"]
    assert card.call("GET", "parts", key=None).status == 404  # no link for that invoice


def test_an_initialize_whose_answer_was_lost_is_repeated_as_the_same_request(card):
    card.fault(kind="drop", path_prefix=INIT, after=True, times=3)  # every attempt's answer
    key = str(uuid.uuid4())
    lost = card.link("whole", key=key)
    assert lost.status == 503, lost  # we cannot tell: retry with the same key
    assert len(card.sim_get("/tokens")["tokens"]) == 1  # Saferpay did open the page
    again = card.link("whole", key=key)
    assert again.status == 201, again
    [session] = card.sim_get("/tokens")["tokens"]  # still one: its first answer, replayed
    assert again.body["redirect_url"] == session["redirect_url"]
    inits = card.calls("/PaymentPage/Initialize")
    assert [c["retry_indicator"] for c in inits] == [0, 1, 2, 1]
    assert [c["replayed"] for c in inits] == [False, True, True, True]


# ------------------------------------------------------------------ Saferpay's Behavior
def test_a_retry_behavior_is_tried_again_at_once(card):
    card.fault(kind="error", path_prefix=INIT, status=500, behavior="RETRY", times=1)
    made = card.link("whole")
    assert made.status == 201, made
    # The faulted first attempt never reached the API; the second one says it is a retry.
    inits = card.calls("/PaymentPage/Initialize")
    assert [(c["status"], c["retry_indicator"]) for c in inits] == [(200, 1)]


def test_a_do_not_retry_refusal_is_a_422_and_not_tried_again(card):
    card.fault(kind="error", path_prefix=INIT, status=402, behavior="DO_NOT_RETRY",
               error_name="PERMISSION_DENIED", times=5)  # fmt: skip
    key = str(uuid.uuid4())
    refused = card.link("whole", key=key)
    assert refused.status == 422, refused
    assert "Saferpay refused the payment page" in refused.body["error"]["message"]
    assert card.fault_hits() == [1]  # asked once
    link = card.get("whole")
    assert (link["status"], link["reason"]["code"]) == ("failed", "saferpay_refused")
    assert card.link("whole", key=key).status == 422  # the same refusal, nothing sent
    assert card.fault_hits() == [1]


def test_a_retry_later_on_assert_sends_the_notification_back_for_later(card):
    link = card.link("whole").body
    card.pay(link["redirect_url"])
    card.fault(kind="error", path_prefix=ASSERT, status=500, behavior="RETRY_LATER", times=2)
    card.deliver()
    result = card.work()
    assert len(result["failed"]) == 1  # back to the queue, not lost
    assert card.fault_hits() == [1]  # and not asked again now
    card.clear_faults()
    assert card.get()["status"] == "open" and card.xero_payments() == []
    card.resend_notification()
    card.deliver()
    card.work()
    assert card.get()["status"] == "paid" and len(card.xero_payments()) == 1


def test_a_capture_whose_answer_was_lost_captures_once(card, monkeypatch):
    link = card.link("whole").body
    card.pay(link["redirect_url"])
    card.fault(kind="drop", path_prefix=CAPTURE, after=True, times=3)
    card.deliver()
    assert len(card.work()["failed"]) == 1  # we cannot tell: the notification goes back
    assert card.get()["status"] == "open"
    [transaction] = card.sim_get("/transactions")["transactions"]
    assert transaction["Transaction"]["Status"] == "CAPTURED"  # it was, at Saferpay
    card.resend_notification()
    card.deliver()
    card.work()
    assert card.get()["status"] == "paid" and len(card.xero_payments()) == 1
    captures = card.calls("/Transaction/Capture")
    assert [c["replayed"] for c in captures] == [False, True, True]  # one capture in all


# ------------------------------------------------------------------ refusals
@pytest.mark.parametrize(
    ("invoice", "status", "problem"),
    [
        (A_BILL_AUTHORISED_ID, 422, "not a sales invoice"),
        (A_INVOICE_DRAFT_ID, 422, "DRAFT"),
        (A_INVOICE_PAID_ID, 422, "PAID"),
        (A_INVOICE_AUTHORISED_ID, 422, "currency"),  # NZD: the clearing account is in EUR
        ("6f0b8f57-3f5e-4f4e-9d7b-5c1f0f5a7e21", 404, "no such invoice"),
    ],
    ids=["bill", "draft", "paid", "other-currency", "unknown"],
)
def test_an_invoice_that_cannot_be_paid_by_card_is_refused_and_nothing_is_sent(
    card, invoice, status, problem
):
    answer = card.link(invoice)
    assert answer.status == status, answer
    assert problem in str(answer.body["error"])
    assert card.sim_get("/calls")["calls"] == []


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"amount": "9999.00"}, 422),  # more than is due
        ({"amount": "10.001"}, 400),
        ('{"amount": 1e1}', 400),  # exponents: never
        ('{"amount": NaN}', 400),
        ({"amount": "-1.00"}, 400),
        ({"amount": "10.00", "currency": "EUR"}, 400),
        ({"description": "x" * 201}, 400),
    ],
)
def test_a_bad_amount_or_body_is_refused(card, body, status):
    answer = card.link("whole", body=body)
    assert answer.status == status, answer
    assert card.sim_get("/calls")["calls"] == []


def test_a_link_needs_a_grant_to_the_tenant_and_payments_write(card):
    assert card.link("whole", sub="mallory").status == 403
    assert card.call("GET", "whole", key=None, sub="mallory").status == 403
    assert card.sim_get("/calls")["calls"] == []


def test_card_payments_are_not_taken_through_the_payments_route(card, pay):
    body = {"invoice_id": invoice_id("whole"), "account_code": A_CARD_CLEARING_ACCOUNT_CODE,
            "amount": "10.00", "date": "2024-05-01", "rail": "saferpay"}  # fmt: skip
    answer = pay("POST", body=body)
    assert answer.status == 422 and "payment_link" in answer.body["error"]["message"]


def test_the_clearing_account_must_be_in_the_invoices_currency(card, monkeypatch):
    from xero_bridge.settings import get_settings

    monkeypatch.setenv("SAFERPAY_XERO_ACCOUNT_CODE", "090")  # the NZD bank account
    get_settings.cache_clear()
    answer = card.link("whole")
    assert answer.status == 422 and answer.body["error"]["code"] == "currency_not_supported"
    monkeypatch.setenv("SAFERPAY_XERO_ACCOUNT_CODE", A_EUR_BANK_ACCOUNT_CODE)
    get_settings.cache_clear()
    assert card.link("whole").status == 201  # any EUR bank account will do


def test_a_link_can_be_noted_on_the_invoice_in_xero_once(card):
    key = str(uuid.uuid4())
    link = card.link("whole", key=key, body={"note_on_invoice": True}).body
    card.link("whole", key=key, body={"note_on_invoice": True})  # a repeat: no second note
    card.link("parts")  # no note unless asked for
    notes = card.notes("whole")
    assert len(notes) == 1, notes
    assert link["redirect_url"] in notes[0]["Details"] and "249.90 EUR" in notes[0]["Details"]
    assert card.notes("parts") == []
