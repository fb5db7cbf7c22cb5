"""Paying a EUR bill by SEPA through Solaris on `make dev`, as people do it: alice submits a
bill above the approval threshold, bob approves it and confirms the TAN, Solaris books the
transfer and its webhook comes through the gateway, the queue and the rail worker — and the
bill is PAID in Xero, once, with every step in the audit trail."""

import httpx

from devstack.xero_simulator.seed_rails import EUR_BILLS
from tests.e2e.drive import Payer, skip_unless_simulators, xero_payments_for

skip_unless_simulators("Xero", "Solaris")

SCOPES = "xero:connect payments:write payments:approve records:read"


def test_an_above_threshold_eur_bill_is_approved_confirmed_booked_and_recorded(local_stack):
    solaris = local_stack.urls["solaris"]
    assert local_stack.settings["solaris tan"] == "212212"
    payer = Payer.connected(local_stack, SCOPES, "alice", "bob")
    bill_id, _, amount = EUR_BILLS["match_large"]
    body = {"invoice_id": bill_id, "amount": str(amount), "date": "2024-05-01",
            "rail": "solaris_sepa", "reference": "e2e"}  # fmt: skip

    submitted = payer.post("alice", "payments", body, key=True)
    assert submitted.status_code == 202, submitted.text
    payment_id = submitted.json()["payment_id"]
    assert submitted.json()["payee_verification"]["status"] == "MATCH"

    approved = payer.post("bob", f"payments/{payment_id}/approve", key=True)
    assert approved.status_code == 200, approved.text
    assert approved.json()["tan_awaited"] is True
    tan = local_stack.settings["solaris tan"]
    wrong = payer.post("bob", f"payments/{payment_id}/confirm", {"tan": "111111"})
    assert wrong.status_code == 422 and wrong.json()["error"]["code"] == "invalid_tan"
    confirmed = payer.post("bob", f"payments/{payment_id}/confirm", {"tan": tan})
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["status"] == "executing"

    settled = httpx.post(f"{solaris}/_sim/settle", json={}, timeout=30).json()
    assert settled["attempts"] and settled["attempts"][0]["status"] == 200  # the webhook arrived
    payment = payer.recorded(payment_id, seconds=40)
    assert payment["status"] == "recorded", payment
    assert [e["action"] for e in payment["audit"]] == [
        "approval_requested", "approved", "executing", "confirmation_asked", "tan_refused",
        "confirmed", "settled", "recorded",
    ]  # fmt: skip
    invoice = payer.invoice(bill_id)
    assert invoice["status"] == "PAID" and invoice["amount_paid"] == f"{amount:.2f}"
    ours = xero_payments_for(local_stack, bill_id)
    assert len(ours) == 1, ours  # once
    assert payment["rail_reference"] in ours[0]["Reference"]
