"""A sales invoice paid by card through a payment link: the link, the payer's payment page,
Saferpay's notification, Assert, Capture, and the receipt recorded in Xero once — and only
when Saferpay says the money was taken."""

from __future__ import annotations

from decimal import Decimal

from devstack.demo_data import SAFERPAY_CARD_AUTH_FAILS, SAFERPAY_CARD_SUCCESS
from devstack.xero_simulator.seed_cards import A_CARD_CLEARING_ACCOUNT_ID, CARD_INVOICES
from xero_bridge.persistence import audit

from .conftest import invoice_id


def test_a_link_paid_with_the_test_card_records_the_invoice_paid_once(card, event_log):
    _, number, amount, _ = CARD_INVOICES["whole"]
    made = card.link("whole")
    assert made.status == 201, made
    link = made.body
    assert link["redirect_url"].startswith(f"{card.sim.url}/vt2/api/PaymentPage/")
    assert link["expires_at"] and link["status"] == "open"
    assert (link["amount"], link["currency_code"]) == (f"{amount:.2f}", "EUR")
    [session] = card.sim_get("/tokens")["tokens"]
    assert session["amount_value"] == str(int(amount * 100))  # minor units, a string
    assert session["currency"] == "EUR" and session["order_id"] == link["payment_link_id"]
    assert session["description"] == f"Invoice {number}"
    notify = f"{card.recorder.url}/webhooks/saferpay/{link['payment_link_id']}"
    assert session["success_notify_url"] == session["fail_notify_url"] == notify
    assert card.xero_payments() == [] and card.invoice()["Status"] == "AUTHORISED"

    back = card.pay(link["redirect_url"], SAFERPAY_CARD_SUCCESS)
    assert back.headers["location"] == f"{notify}/return"  # our thank-you page
    assert card.xero_payments() == []  # nothing before Saferpay's word
    assert card.deliver() == [200]
    card.work()

    paid = card.get("whole")
    assert (paid["status"], paid["recorded_in_xero"]) == ("paid", True), paid
    [transaction] = card.sim_get("/transactions")["transactions"]
    assert transaction["Transaction"]["Status"] == "CAPTURED"
    assert paid["transaction_id"] == transaction["Transaction"]["Id"]
    invoice = card.invoice()
    assert invoice["Status"] == "PAID" and invoice["AmountDue"] == 0
    [recorded] = card.xero_payments()
    assert recorded["Amount"] == amount and recorded["Invoice"]["InvoiceID"] == invoice_id("whole")
    assert recorded["Account"]["AccountID"] == A_CARD_CLEARING_ACCOUNT_ID  # the clearing account
    assert transaction["Transaction"]["Id"] in recorded["Reference"]
    payment = card.payment(paid["payment_id"])
    assert (payment["rail"], payment["status"]) == ("saferpay", "recorded")
    assert payment["kind"] == "receive"
    steps = ["submitted", "executing", "settled", "recorded"]
    assert [e["action"] for e in payment["audit"]] == steps
    assert event_log.types_for(paid["payment_id"]) == [f"payment.{step}" for step in steps]


def test_a_declined_card_records_nothing_and_the_link_says_why(card):
    link = card.link("declines").body
    card.pay(link["redirect_url"], SAFERPAY_CARD_AUTH_FAILS)  # 3-D Secure fails
    assert card.deliver() == [200]
    card.work()
    failed = card.get("declines")
    assert failed["status"] == "failed", failed
    assert failed["reason"]["code"] == "declined"
    assert "Card holder information -> Failed" in failed["reason"]["message"]  # the PayerMessage
    assert card.xero_payments() == []
    assert card.invoice("declines")["Status"] == "AUTHORISED"
    assert card.amount_due("declines") == CARD_INVOICES["declines"][2]
    assert card.calls("/Transaction/Capture") == []


def test_a_forged_notification_for_an_unpaid_link_records_nothing(card):
    link = card.link("whole").body
    path = f"/webhooks/saferpay/{link['payment_link_id']}"
    assert card.notify(path) == 200  # a real link: a check is queued...
    assert card.work()["failed"] == []
    assert card.get("whole")["status"] == "open"  # ...and Assert says nothing happened
    assert card.calls("/PaymentPage/Assert")[-1]["status"] == 402
    assert card.xero_payments() == [] and card.calls("/Transaction/Capture") == []
    # a link we never made, or no link at all: turned away, nothing queued
    assert card.notify("/webhooks/saferpay/6f0b8f57-3f5e-4f4e-9d7b-5c1f0f5a7e21") == 404
    assert card.notify("/webhooks/saferpay/not-a-link") == 404
    assert card.work()["batches"] == 0


def test_the_same_notification_three_times_records_once(card):
    link = card.link("whole").body
    card.pay(link["redirect_url"])
    [path] = card.recorder.take()
    assert [card.notify(path) for _ in range(3)] == [200, 200, 200]
    card.work()
    card.resend_notification()  # Saferpay sends it again later
    assert card.deliver() == [200]
    card.work()
    assert len(card.xero_payments()) == 1
    assert len(card.calls("/Transaction/Capture")) == 1
    assert card.amount_due() == Decimal(0)
    payment_id = card.get()["payment_id"]
    actions = [e.action for e in audit.entries_for_payment(card.connected.tenant_a, payment_id)]
    assert actions.count("recorded") == 1
