"""Collect a sales invoice by direct debit (POST …/invoices/{id}/collect), once per
Idempotency-Key: a payment on the ``gocardless`` rail, submitted as every payment is
(`payments.submit`: the books' checks, the rail's — the customer's mandate —, four eyes above
the threshold, the audit trail, exactly once), for the amount due unless the caller names less.

What the caller left out is settled once, by the first attempt: a repeat of the same key
collects what that attempt stored (the amount due then, the day it was asked), so that it is
the same request even after part of the invoice was paid meanwhile.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from xero_bridge.errors import NotFoundError, ValidationFailedError
from xero_bridge.payments import keys
from xero_bridge.payments.answers import PaymentResult
from xero_bridge.payments.idempotency import Once
from xero_bridge.payments.models import parse_payment_request
from xero_bridge.payments.money import from_xero
from xero_bridge.payments.submit import submit_payment
from xero_bridge.payments.xero_gateway import XeroPayments
from xero_bridge.persistence import payments as store
from xero_bridge.rails.gocardless.collections import RAIL
from xero_bridge.rails.gocardless.models import CollectRequest


def collect_invoice(
    tenant_id: str, actor: str, key: str, invoice_id: str, ask: CollectRequest
) -> Once[PaymentResult]:
    first = store.get(tenant_id, keys.payment_id_for(tenant_id, key))
    today = datetime.now(UTC).date()
    if ask.charge_date is not None and ask.charge_date < today and first is None:
        raise ValidationFailedError(
            "a direct debit cannot be charged in the past",
            [{"field": "charge_date", "problem": f"before today ({today.isoformat()})"}],
        )
    amount = ask.amount or (first.amount if first else _amount_due(tenant_id, invoice_id))
    if ask.charge_date is not None:
        day = ask.charge_date.isoformat()
    else:
        day = first.date if first else today.isoformat()
    request = parse_payment_request(
        {"invoice_id": invoice_id, "amount": amount, "date": day, "reference": ask.reference,
         "rail": RAIL}
    )  # fmt: skip
    return submit_payment(tenant_id, actor, key, request)


def _amount_due(tenant_id: str, invoice_id: str) -> Decimal:
    invoice = XeroPayments(tenant_id).invoices_by_ids([invoice_id]).get(invoice_id.lower())
    if invoice is None:
        raise NotFoundError("no such invoice in this organisation")
    due = from_xero(invoice.get("AmountDue")) or Decimal(0)
    if due <= 0:
        raise ValidationFailedError(
            "nothing is due on the invoice",
            [{"field": "invoice_id", "status": invoice.get("Status"), "amount_due": f"{due:.2f}"}],
        )
    return due
