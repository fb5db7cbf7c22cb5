"""Collecting a sales invoice by card on `make dev`, as people do it: alice makes a payment
link, the payer pays it with Saferpay's test card in a browser, Saferpay's notification comes
through the gateway, the queue and the rail worker — and the invoice is PAID in Xero, once.
A declined card leaves its invoice as it was."""

import time
import uuid

import httpx

from devstack.demo_data import SAFERPAY_CARD_AUTH_FAILS, SAFERPAY_CARD_SUCCESS
from devstack.xero_simulator.seed_cards import CARD_INVOICES
from tests.e2e.drive import (
    connect,
    make_token,
    pay_by_card_in_browser,
    polled,
    skip_unless_simulators,
    xero_payments_for,
)

skip_unless_simulators("Xero", "Saferpay")

SCOPES = "xero:connect payments:write records:read"


def _connected(stack) -> tuple[str, dict[str, str]]:
    tenant = stack.settings["demo tenants"].split()[0]
    token = make_token(stack, "alice", SCOPES)
    connect(stack, token, [tenant])
    return tenant, {"Authorization": f"Bearer {token}"}


def _link_until(url: str, headers: dict[str, str], done) -> dict:
    """The link, polled until `done(link)` (the notification's way takes a moment)."""
    return polled(lambda: httpx.get(url, headers=headers, timeout=30).json(), done, seconds=40)


def test_a_payment_link_paid_in_the_browser_makes_the_invoice_paid_once(local_stack):
    tenant, headers = _connected(local_stack)
    invoice_id, _, amount, _ = CARD_INVOICES["whole"]
    url = f"{local_stack.api}/tenants/{tenant}/invoices/{invoice_id}/payment_link"
    made = httpx.post(url, json={}, headers={**headers, "Idempotency-Key": str(uuid.uuid4())},
                      timeout=30)  # fmt: skip
    assert made.status_code == 201, made.text
    link = made.json()
    assert link["status"] == "open" and link["amount"] == f"{amount:.2f}"
    assert link["redirect_url"].startswith(local_stack.urls["saferpay"])

    landed = pay_by_card_in_browser(link["redirect_url"], SAFERPAY_CARD_SUCCESS)
    assert landed.status_code == 200 and "Thank you" in landed.text  # our return page
    assert str(landed.url).startswith(local_stack.api)

    paid = _link_until(url, headers, lambda link: link.get("recorded_in_xero"))
    assert paid["status"] == "paid" and paid["recorded_in_xero"], paid
    fresh = {**headers, "Cache-Control": "no-cache"}
    invoice = httpx.get(f"{local_stack.api}/tenants/{tenant}/invoices/{invoice_id}",
                        headers=fresh, timeout=30).json()  # fmt: skip
    assert invoice["status"] == "PAID" and invoice["amount_paid"] == f"{amount:.2f}"
    [recorded] = xero_payments_for(local_stack, invoice_id)  # once
    assert paid["transaction_id"] in recorded["Reference"]

    saferpay = local_stack.urls["saferpay"]
    [session] = [t for t in httpx.get(f"{saferpay}/_sim/tokens", timeout=10).json()["tokens"]
                 if t["order_id"] == link["payment_link_id"]]  # fmt: skip
    again = httpx.post(f"{saferpay}/_sim/tokens/{session['token']}/notify", timeout=30).json()
    assert [a["status"] for a in again["attempts"]] == [200]  # the same notification again
    time.sleep(3)  # the worker's turn
    assert len(xero_payments_for(local_stack, invoice_id)) == 1


def test_a_declined_card_records_nothing(local_stack):
    tenant, headers = _connected(local_stack)
    invoice_id, _, amount, _ = CARD_INVOICES["declines"]
    url = f"{local_stack.api}/tenants/{tenant}/invoices/{invoice_id}/payment_link"
    link = httpx.post(url, json={}, headers=headers, timeout=30).json()
    pay_by_card_in_browser(link["redirect_url"], SAFERPAY_CARD_AUTH_FAILS)
    failed = _link_until(url, headers, lambda link: link.get("status") == "failed")
    assert failed["status"] == "failed" and failed["reason"]["code"] == "declined", failed
    assert xero_payments_for(local_stack, invoice_id) == []
    invoice = httpx.get(
        f"{local_stack.api}/tenants/{tenant}/invoices/{invoice_id}",
        headers={**headers, "Cache-Control": "no-cache"},
        timeout=30,
    ).json()
    assert invoice["status"] == "AUTHORISED" and invoice["amount_due"] == f"{amount:.2f}"
