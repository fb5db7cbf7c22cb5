"""Paying a EUR bill by SEPA through Solaris on `make dev`, as people do it: alice submits a
bill above the approval threshold, bob approves it and confirms the TAN, Solaris books the
transfer and its webhook comes through the gateway, the queue and the rail worker — and the
bill is PAID in Xero, once, with every step in the audit trail."""

import time

import httpx

from devstack.xero_simulator.seed_rails import EUR_BILLS
from tests.e2e.drive import bearer, connect_users, skip_unless_in_stack

skip_unless_in_stack(
    "devstack.xero_simulator",
    "devstack.solaris_simulator",
    reason="the Xero and Solaris simulators are part of this stack",
)

SCOPES = "xero:connect payments:write payments:approve records:read"


def test_an_above_threshold_eur_bill_is_approved_confirmed_booked_and_recorded(local_stack):
    api, solaris = local_stack.api, local_stack.urls["solaris"]
    assert local_stack.settings["solaris tan"] == "212212"
    tenant = connect_users(local_stack, SCOPES, "alice", "bob")
    payments = f"{api}/tenants/{tenant}/payments"
    bill_id, _, amount = EUR_BILLS["match_large"]
    body = {"invoice_id": bill_id, "amount": str(amount), "date": "2024-05-01",
            "rail": "solaris_sepa", "reference": "e2e"}  # fmt: skip

    submitted = httpx.post(payments, json=body, headers=bearer(local_stack, "alice", SCOPES, True),
                           timeout=30)  # fmt: skip
    assert submitted.status_code == 202, submitted.text
    payment_id = submitted.json()["payment_id"]
    assert submitted.json()["payee_verification"]["status"] == "MATCH"

    approved = httpx.post(f"{payments}/{payment_id}/approve",
                          headers=bearer(local_stack, "bob", SCOPES, True), timeout=30)  # fmt: skip
    assert approved.status_code == 200, approved.text
    assert approved.json()["tan_awaited"] is True
    tan = local_stack.settings["solaris tan"]
    wrong = httpx.post(f"{payments}/{payment_id}/confirm", json={"tan": "111111"},
                       headers=bearer(local_stack, "bob", SCOPES), timeout=30)  # fmt: skip
    assert wrong.status_code == 422 and wrong.json()["error"]["code"] == "invalid_tan"
    confirmed = httpx.post(f"{payments}/{payment_id}/confirm", json={"tan": tan},
                           headers=bearer(local_stack, "bob", SCOPES), timeout=30)  # fmt: skip
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["status"] == "executing"

    settled = httpx.post(f"{solaris}/_sim/settle", json={}, timeout=30).json()
    assert settled["attempts"] and settled["attempts"][0]["status"] == 200  # the webhook arrived
    reader = bearer(local_stack, "alice", SCOPES)
    deadline, payment = time.monotonic() + 40, {}
    while time.monotonic() < deadline:
        payment = httpx.get(f"{payments}/{payment_id}", headers=reader, timeout=30).json()
        if payment.get("status") == "recorded":
            break
        time.sleep(0.5)
    assert payment["status"] == "recorded", payment
    assert [e["action"] for e in payment["audit"]] == [
        "approval_requested", "approved", "executing", "confirmation_asked", "tan_refused",
        "confirmed", "settled", "recorded",
    ]  # fmt: skip
    fresh = {**reader, "Cache-Control": "no-cache"}
    invoice = httpx.get(f"{api}/tenants/{tenant}/invoices/{bill_id}", headers=fresh, timeout=30)
    invoice = invoice.json()
    assert invoice["status"] == "PAID" and invoice["amount_paid"] == f"{amount:.2f}"
    created = httpx.get(f"{local_stack.urls['xero']}/_sim/created/Payments", timeout=10).json()
    ours = [p for p in _listed(created) if p["Invoice"]["InvoiceID"] == bill_id]
    assert len(ours) == 1, ours  # once
    assert payment["rail_reference"] in ours[0]["Reference"]


def _listed(created):
    return created if isinstance(created, list) else next(iter(created.values()))
