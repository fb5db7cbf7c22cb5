"""Paying a EUR bill by SEPA credit transfer through Solaris, end to end against the Solaris
and Xero simulators: submit, the TAN, Solaris books it, the webhook, the record in Xero."""

from __future__ import annotations

from decimal import Decimal

from devstack.demo_data import SOLARIS_PAYEES
from devstack.xero_simulator.seed_rails import A_EUR_BANK_ACCOUNT_ID, EUR_BILLS
from xero_bridge.persistence import audit

MATCH = SOLARIS_PAYEES[0]


def test_a_bill_is_paid_once_and_recorded_in_xero_when_solaris_books_it(rail, event_log):
    submitted = rail.submit("match")
    assert submitted.status == 200, submitted
    payment = submitted.body
    assert payment["status"] == "awaiting_confirmation"
    assert payment["tan_awaited"] is True and payment["tan_expires_at"]
    assert payment["rail"] == "solaris_sepa"
    assert payment["rail_status"] == "CONFIRMATION_REQUIRED"
    assert payment["payee"]["iban"] == MATCH.iban  # from the contact's bank details (spaced)
    assert payment["payee"]["name"] == MATCH.xero_name and payment["payee"]["source"] == "contact"
    assert payment["payee_verification"]["status"] == "MATCH"
    assert rail.sim_get("/transfers")["count"] == 0  # nothing moves before the TAN

    confirmed = rail.confirm(payment["payment_id"])
    assert confirmed.status == 200, confirmed
    assert confirmed.body["status"] == "executing"
    assert confirmed.body["tan_awaited"] is False
    [transfer] = rail.sim_get("/transfers")["transfers"]
    assert confirmed.body["rail_reference"] == transfer["id"]
    assert transfer["amount"] == {"value": 123456, "unit": "cents", "currency": "EUR"}
    assert transfer["recipient_iban"] == MATCH.iban
    assert rail.xero_payments() == []  # Xero hears of it only once the money moved

    rail.settle()
    assert rail.deliver() == [200]
    rail.work()
    done = rail.get(payment["payment_id"])
    assert done["status"] == "recorded"
    assert done["rail_status"] == "executed" and done["settled_on"]
    [recorded] = rail.xero_payments()
    assert recorded["Amount"] == Decimal("1234.56")
    assert recorded["Account"]["AccountID"] == A_EUR_BANK_ACCOUNT_ID
    assert transfer["id"] in recorded["Reference"]  # Solaris's transaction id in the reference
    assert recorded["BankAmount"] == Decimal("1234.56")  # from the EUR account, in EUR
    bill = rail.connected.sim.record(rail.connected.tenant_a, "Invoices", EUR_BILLS["match"][0])
    assert bill["Status"] == "PAID"

    actions = [e.action for e in audit.entries_for_payment(rail.connected.tenant_a,
                                                           payment["payment_id"])]  # fmt: skip
    assert actions == ["submitted", "executing", "confirmation_asked", "confirmed", "settled",
                       "recorded"]  # fmt: skip
    assert event_log.types_for(payment["payment_id"]) == [
        "payment.submitted", "payment.executing", "payment.awaiting_confirmation",
        "payment.executing", "payment.settled", "payment.recorded",
    ]  # fmt: skip
    last = event_log.events[-1].detail
    assert last["tenant_id"] == rail.connected.tenant_a and last["status"] == "recorded"
    assert last["xero_payment_id"] == recorded["PaymentID"].lower()
    assert "212212" not in str([e.detail for e in event_log.events])  # never the TAN


def test_a_paid_sepa_payment_is_not_reversed_in_xero(rail):
    payment_id = rail.submit("match").body["payment_id"]
    rail.confirm(payment_id)
    rail.settle()
    rail.deliver()
    rail.work()
    answer = rail.call("reverse", payment_id)
    assert answer.status == 409, answer
    assert "refund" in answer.body["error"]["message"]
    assert rail.get(payment_id)["status"] == "recorded"
