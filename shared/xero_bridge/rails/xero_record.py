"""Record payments in Xero once: the last step of every rail (the only step of the xero rail;
a money-moving rail calls it when its provider says the money moved).

Exactly once, even after Xero has forgotten its own idempotency key (6 minutes):

- one PUT /Payments?summarizeErrors=false for many payments, with an Idempotency-Key derived
  from their ids and generations (the same attempt again is replayed by Xero instead of paid
  twice; a retry after a definitive refusal is a new generation, so the refusal is not
  replayed), and each payment's Reference ending in our ``xb:<tag>``;
- `find_in_xero` looks payments whose last attempt's outcome is unknown up at Xero by that tag
  (payments on their invoices with our Reference, the same amount, not deleted), so they are
  only sent again when Xero has none.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from xero_bridge.payments import keys
from xero_bridge.payments.money import from_xero
from xero_bridge.payments.xero_gateway import (
    XeroPayments,
    is_ok,
    payment_body,
    validation_messages,
)
from xero_bridge.persistence.payments import PaymentRecord
from xero_bridge.rails.base import RailOutcome, XeroRecord


def _recorded(element: dict[str, Any], how: str) -> RailOutcome:
    xero = XeroRecord(
        payment_id=str(element["PaymentID"]).lower(),
        status=str(element.get("Status") or "AUTHORISED"),
    )
    return RailOutcome(state="recorded", xero=xero, how=how)


def _body(record: PaymentRecord) -> dict[str, Any]:
    assert record.invoice_id and record.account_id and record.xero_reference
    return payment_body(
        invoice_id=record.invoice_id,
        account_id=record.account_id,
        amount=record.amount,
        payment_date=record.settled_on or record.date,  # the day the money moved, if known
        reference=record.xero_reference,
        currency_rate=record.currency_rate,
    )


def record_in_xero(records: Sequence[PaymentRecord], xero: XeroPayments) -> list[RailOutcome]:
    """One PUT /Payments for `records`; an outcome per record, in order (see Rail.execute)."""
    if not records:
        return []
    ids = sorted(f"{r.payment_id}:{r.generation}" for r in records)
    xero_key = keys.xero_idempotency_key(records[0].tenant_id, "create", *ids)
    elements = xero.create_payments([_body(r) for r in records], xero_key)
    return [
        _recorded(element, "created")
        if is_ok(element)
        else RailOutcome(state="failed", failure=validation_messages(element))
        for element in elements
    ]


def find_in_xero(records: Sequence[PaymentRecord], xero: XeroPayments) -> dict[str, RailOutcome]:
    """Payments Xero already holds for `records`, by our payment id (see Rail.refresh)."""
    if not records:
        return {}
    by_reference = {r.xero_reference: r for r in records if r.xero_reference}
    found: dict[str, RailOutcome] = {}
    for payment in xero.payments_for_invoices(r.invoice_id for r in records if r.invoice_id):
        record = by_reference.get(payment.get("Reference") or "")
        if record is None or payment.get("Status") == "DELETED":
            continue
        invoice = payment.get("Invoice") or {}
        if str(invoice.get("InvoiceID", "")).lower() != record.invoice_id:
            continue
        if from_xero(payment.get("Amount")) != record.amount:
            continue
        found[record.payment_id] = _recorded(payment, "found_at_xero")
    return found
