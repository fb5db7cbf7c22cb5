"""Paying a USD bill in USDT through OKX on `make dev`, as people do it: an admin adds the
supplier's address and another person approves it, alice submits the bill, bob approves the
quote he sees, OKX's withdrawal succeeds and the schedule's poller sees it — and the bill is
PAID in Xero once, at the quoted rate, with the chain's transaction id."""

import httpx

from devstack.xero_simulator.seed_rails import OKX_SUPPLIER_ID, USD_BILLS
from tests.e2e.drive import Payer, skip_unless_simulators, xero_payments_for

skip_unless_simulators("Xero", "OKX")

SCOPES = "xero:connect payments:write payments:approve records:read admin"


def test_a_usd_bill_is_paid_in_usdt_at_the_approved_quote(local_stack):
    okx = local_stack.urls["okx"]
    ccy, chain, address = local_stack.settings["okx verified address"].split()
    payer = Payer.connected(local_stack, SCOPES, "alice", "bob", "carol")
    entry = {"contact_id": OKX_SUPPLIER_ID, "ccy": ccy, "chain": chain, "address": address}
    added = payer.post("carol", "payout_addresses", entry)
    assert added.status_code == 201, added.text
    address_id = added.json()["payout_address_id"]
    approved = payer.post("bob", f"payout_addresses/{address_id}/approve")
    assert approved.status_code == 200 and approved.json()["payable"] is True, approved.text

    bill_id, _, amount = USD_BILLS["usd"]
    body = {
        "invoice_id": bill_id,
        "date": "2024-05-01",
        "rail": "okx",
        "reference": "e2e",
        "crypto": {"ccy": ccy, "chain": chain, "address_id": address_id},
    }
    submitted = payer.post("alice", "payments", body, key=True)
    assert submitted.status_code == 202, submitted.text
    payment = submitted.json()
    quote = payment["crypto"]["quote"]
    assert payment["amount"] == f"{amount:.2f}" and quote["pair"] == "USDT-USD"

    approve = f"payments/{payment['payment_id']}/approve"
    go = payer.post("bob", approve, {"quote_id": quote["quote_id"]}, key=True)
    assert go.status_code == 200, go.text
    assert go.json()["status"] == "executing"
    httpx.post(f"{okx}/_sim/clock/advance", json={"seconds": 21}, timeout=10)  # 0 -> 1 -> 2

    # The local schedule polls OKX every few seconds.
    done = payer.recorded(payment["payment_id"], seconds=60, every=1)
    assert done["status"] == "recorded", done
    assert [e["action"] for e in done["audit"]][:2] == ["approval_requested", "approved"]
    invoice = payer.invoice(bill_id)
    assert invoice["status"] == "PAID", invoice
    ours = xero_payments_for(local_stack, bill_id)
    assert len(ours) == 1, ours  # once
    [withdrawal] = httpx.get(f"{okx}/_sim/withdrawals", timeout=10).json()["withdrawals"]
    assert withdrawal["amt"] == quote["crypto_amount"]
    assert (
        f"at {quote['price']}" in ours[0]["Reference"]
        and withdrawal["txId"] in ours[0]["Reference"]
    )
