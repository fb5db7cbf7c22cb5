"""What happens to a link after it is made: paid in part, the invoice paid meanwhile, the page
expired or cancelled by the payer, the notification lost — the invoice is left as it was unless
Saferpay captured money, and then it is recorded once, for what was captured."""

from __future__ import annotations

from decimal import Decimal

import pytest

from devstack.xero_simulator.seed_cards import A_CARD_CLEARING_ACCOUNT_CODE, CARD_INVOICES
from tests.integration.payments.rails import work_queue_in_parallel
from xero_bridge.settings import get_settings

from .conftest import HTTP, invoice_id


@pytest.fixture
def reconcile_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The reconciler reads every open payment, however recent."""
    monkeypatch.setenv("RAIL_RECONCILE_AFTER_SECONDS", "0")
    get_settings.cache_clear()


def test_a_partial_link_leaves_the_rest_due_and_a_second_link_collects_it(card):
    total = CARD_INVOICES["parts"][2]
    first = card.link("parts", body={"amount": "500.00"}).body
    assert first["amount"] == "500.00"
    card.pay(first["redirect_url"])
    card.deliver()
    card.work()
    assert card.get("parts")["status"] == "paid"
    invoice = card.invoice("parts")
    assert invoice["Status"] == "AUTHORISED" and invoice["AmountDue"] == total - Decimal("500")

    rest = card.link("parts").body  # no amount: what is due now
    assert rest["amount"] == f"{total - Decimal('500'):.2f}"
    [_, session] = card.sim_get("/tokens")["tokens"]
    assert session["amount_value"] == "70000"
    card.pay(rest["redirect_url"])
    card.deliver()
    card.work()
    assert card.invoice("parts")["Status"] == "PAID"
    assert sorted(p["Amount"] for p in card.xero_payments()) == [Decimal("500"), Decimal("700")]


def test_an_invoice_paid_meanwhile_is_not_charged_again(card, pay):
    link = card.link("whole").body
    by_hand = {"invoice_id": invoice_id("whole"), "account_code": A_CARD_CLEARING_ACCOUNT_CODE,
               "amount": "100.00", "date": "2024-05-01"}  # fmt: skip
    assert pay("POST", body=by_hand).status == 201  # part of it was paid another way
    card.pay(link["redirect_url"])  # the payer pays the whole link
    card.deliver()
    card.work()
    failed = card.get("whole")
    assert failed["status"] == "failed" and failed["reason"]["code"] == "amount_due_changed"
    [transaction] = card.sim_get("/transactions")["transactions"]
    assert transaction["Transaction"]["Status"] == "CANCELED"  # the authorisation let go
    assert card.calls("/Transaction/Capture") == []
    assert [p["Amount"] for p in card.xero_payments()] == [Decimal("100")]  # the one by hand
    assert card.amount_due() == CARD_INVOICES["whole"][2] - Decimal("100")


def one_card_charged(card) -> None:
    """One capture at Saferpay; the other card's authorisation let go."""
    assert len(card.calls("/Transaction/Capture")) == 1
    assert sorted(
        t["Transaction"]["Status"] for t in card.sim_get("/transactions")["transactions"]
    ) == ["CANCELED", "CAPTURED"]


def in_one_batch(card) -> None:
    card.work()


def by_two_workers_at_once(card) -> None:
    """Each notification to a rail worker of its own at the same moment, and Xero slow to
    answer, so both read the whole invoice as due before either captures."""
    card.connected.sim.faults.add(kind="slow", path_prefix="/api.xro/2.0/Invoices",
                                  method="GET", delay=1.0, times=2)  # fmt: skip
    answers = work_queue_in_parallel(card.aws)
    assert [answer.get("batchItemFailures") for answer in answers] == [[], []]


@pytest.mark.parametrize("work", [in_one_batch, by_two_workers_at_once])
def test_two_links_for_the_whole_invoice_paid_at_once_charge_only_one_card(card, work):
    first = card.link("whole", key=None).body
    second = card.link("whole", key=None).body
    card.pay(first["redirect_url"])
    card.pay(second["redirect_url"])
    card.deliver()  # both notifications
    work(card)
    one_card_charged(card)
    assert [p["Amount"] for p in card.xero_payments()] == [CARD_INVOICES["whole"][2]]
    assert card.invoice()["Status"] == "PAID"


def test_a_second_link_paid_while_the_first_waits_for_xero_is_not_charged(card, reconcile_at_once):
    """The first capture is not in Xero yet (its recording failed): Xero still says the whole
    invoice is due, but that money is already taken, so the second card is let go."""
    first = card.link("whole", key=None).body
    second = card.link("whole", key=None).body
    xero = card.connected.sim.faults
    xero.add(kind="error", path_prefix="/api.xro/2.0/Payments", status=503, method="PUT",
             times=None)  # fmt: skip
    card.pay(first["redirect_url"])
    card.deliver()
    card.work()
    assert card.payment(first["payment_id"])["status"] == "settled"  # captured, not in Xero
    assert card.amount_due() == CARD_INVOICES["whole"][2]
    card.pay(second["redirect_url"])
    card.deliver()
    card.work()
    one_card_charged(card)
    refused = card.payment(second["payment_id"])
    assert refused["status"] == "failed" and refused["failure"][0]["code"] == "amount_due_changed"
    xero.clear()
    card.reconcile()
    assert [p["Amount"] for p in card.xero_payments()] == [CARD_INVOICES["whole"][2]]


def test_an_expired_page_is_closed_by_the_reconciler_and_records_nothing(card, reconcile_at_once):
    link = card.link("whole").body
    assert card.reconcile()["saferpay"]["payments"] == 1  # read: still open
    assert card.get()["status"] == "open"
    HTTP.post(f"{card.sim.url}/_sim/clock/advance", json={"seconds": 21 * 60})
    card.reconcile()
    expired = card.get()
    assert expired["status"] == "expired" and expired["reason"]["code"] == "expired"
    assert expired["payment_status"] == "cancelled"
    assert card.xero_payments() == [] and card.invoice()["Status"] == "AUTHORISED"
    assert card.reconcile()["saferpay"]["payments"] == 0  # final: no longer read
    page = HTTP.get(link["redirect_url"])
    assert page.status_code == 410  # the payer can no longer pay it


def test_a_payer_who_cancels_leaves_the_invoice_as_it_was(card):
    link = card.link("whole").body
    card.pay(link["redirect_url"], button="cancel")
    assert card.deliver() == [200]
    card.work()
    cancelled = card.get()
    assert cancelled["status"] == "cancelled" and cancelled["reason"]["code"] == "cancelled"
    assert card.xero_payments() == [] and card.invoice()["Status"] == "AUTHORISED"


def test_when_the_notification_never_comes_the_reconciler_records_the_payment(
    card, reconcile_at_once
):
    link = card.link("whole").body
    card.pay(link["redirect_url"])
    card.deliver(drop=True)  # Saferpay sent it; it never arrived
    assert card.get()["status"] == "open"
    card.reconcile()
    assert card.get()["status"] == "paid"
    assert card.invoice()["Status"] == "PAID" and len(card.xero_payments()) == 1
    card.reconcile()
    card.resend_notification()
    card.deliver()
    card.work()  # late and again: nothing twice
    assert len(card.xero_payments()) == 1 and len(card.calls("/Transaction/Capture")) == 1


def test_the_payer_lands_on_our_thank_you_page_which_prompts_a_check(card):
    link = card.link("whole").body
    back = card.pay(link["redirect_url"])
    card.recorder.take()  # Saferpay's notification: lost this time
    path = back.headers["location"].removeprefix(card.recorder.url)
    assert path == f"/webhooks/saferpay/{link['payment_link_id']}/return"
    page = card.call_intake(path)
    assert page["statusCode"] == 200 and "text/html" in page["headers"]["Content-Type"]
    assert "Thank you" in page["body"]
    card.work()
    assert card.get()["status"] == "paid" and len(card.xero_payments()) == 1
    unknown = card.call_intake("/webhooks/saferpay/6f0b8f57-3f5e-4f4e-9d7b-5c1f0f5a7e21/return")
    assert unknown["statusCode"] == 404 and "not found" in unknown["body"]
    assert card.work()["batches"] == 0
