"""Paying a USD bill in USDT through OKX on `make dev`, as people do it: an admin adds the
supplier's address and another person approves it, alice submits the bill, bob approves the
quote he sees, OKX's withdrawal succeeds and the schedule's poller sees it — and the bill is
PAID in Xero once, at the quoted rate, with the chain's transaction id."""

import time

import httpx

from devstack.xero_simulator.seed_rails import OKX_SUPPLIER_ID, USD_BILLS
from tests.e2e.drive import bearer, connect_users, skip_unless_in_stack

skip_unless_in_stack(
    "devstack.xero_simulator",
    "devstack.okx_simulator",
    reason="the Xero and OKX simulators are part of this stack",
)

SCOPES = "xero:connect payments:write payments:approve records:read admin"


def test_a_usd_bill_is_paid_in_usdt_at_the_approved_quote(local_stack):
    api, okx = local_stack.api, local_stack.urls["okx"]
    ccy, chain, address = local_stack.settings["okx verified address"].split()
    tenant = connect_users(local_stack, SCOPES, "alice", "bob", "carol")
    book = f"{api}/tenants/{tenant}/payout_addresses"
    entry = {"contact_id": OKX_SUPPLIER_ID, "ccy": ccy, "chain": chain, "address": address}
    added = httpx.post(book, json=entry, headers=bearer(local_stack, "carol", SCOPES), timeout=30)
    assert added.status_code == 201, added.text
    address_id = added.json()["payout_address_id"]
    approved = httpx.post(
        f"{book}/{address_id}/approve", headers=bearer(local_stack, "bob", SCOPES), timeout=30
    )
    assert approved.status_code == 200 and approved.json()["payable"] is True, approved.text

    payments = f"{api}/tenants/{tenant}/payments"
    bill_id, _, amount = USD_BILLS["usd"]
    body = {
        "invoice_id": bill_id,
        "date": "2024-05-01",
        "rail": "okx",
        "reference": "e2e",
        "crypto": {"ccy": ccy, "chain": chain, "address_id": address_id},
    }
    submitted = httpx.post(
        payments, json=body, headers=bearer(local_stack, "alice", SCOPES, True), timeout=30
    )
    assert submitted.status_code == 202, submitted.text
    payment = submitted.json()
    quote = payment["crypto"]["quote"]
    assert payment["amount"] == f"{amount:.2f}" and quote["pair"] == "USDT-USD"

    go = httpx.post(
        f"{payments}/{payment['payment_id']}/approve",
        json={"quote_id": quote["quote_id"]},
        headers=bearer(local_stack, "bob", SCOPES, True),
        timeout=30,
    )
    assert go.status_code == 200, go.text
    assert go.json()["status"] == "executing"
    httpx.post(f"{okx}/_sim/clock/advance", json={"seconds": 21}, timeout=10)  # 0 -> 1 -> 2

    reader = bearer(local_stack, "alice", SCOPES)
    deadline, done = time.monotonic() + 60, {}
    while time.monotonic() < deadline:  # the local schedule polls OKX every few seconds
        done = httpx.get(f"{payments}/{payment['payment_id']}", headers=reader, timeout=30).json()
        if done.get("status") == "recorded":
            break
        time.sleep(1)
    assert done["status"] == "recorded", done
    assert [e["action"] for e in done["audit"]][:2] == ["approval_requested", "approved"]
    fresh = {**reader, "Cache-Control": "no-cache"}
    invoice = httpx.get(f"{api}/tenants/{tenant}/invoices/{bill_id}", headers=fresh, timeout=30)
    assert invoice.json()["status"] == "PAID", invoice.text
    created = httpx.get(f"{local_stack.urls['xero']}/_sim/created/Payments", timeout=10).json()
    rows = created if isinstance(created, list) else next(iter(created.values()))
    ours = [p for p in rows if p["Invoice"]["InvoiceID"] == bill_id]
    assert len(ours) == 1, ours  # once
    [withdrawal] = httpx.get(f"{okx}/_sim/withdrawals", timeout=10).json()["withdrawals"]
    assert withdrawal["amt"] == quote["crypto_amount"]
    assert (
        f"at {quote['price']}" in ours[0]["Reference"]
        and withdrawal["txId"] in ours[0]["Reference"]
    )
