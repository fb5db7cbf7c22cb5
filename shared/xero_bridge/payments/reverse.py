"""Reverse a recorded payment (POST …/payments/{id}/reverse), once per Idempotency-Key: Xero's
payment is deleted (``Status: DELETED``), which restores the invoice's amount due.

The payment is marked first (who asked), then Xero is called with an Idempotency-Key derived
from the payment; when Xero refuses because an earlier attempt already deleted it (an answer we
never got), that counts as done. Reversing a reversed payment answers it again.

A payment whose money moved through a provider (``solaris_sepa``) is not reversed in Xero: the
bank has paid it, and deleting the record would only make the books disagree with the bank
(409) — the payee refunds it, and the refund is recorded.
"""

from __future__ import annotations

from xero_bridge.errors import ConflictError, ValidationFailedError
from xero_bridge.payments import keys, lifecycle
from xero_bridge.payments.answers import PaymentResult
from xero_bridge.payments.idempotency import Once, run_once_on_payment
from xero_bridge.payments.payment_records import require
from xero_bridge.payments.xero_gateway import XeroPayments
from xero_bridge.persistence import payments as store
from xero_bridge.persistence.payments import PaymentRecord, StaleStatusError
from xero_bridge.rails import moves_money, title_of


def reverse_payment(tenant_id: str, actor: str, payment_id: str, key: str) -> Once[PaymentResult]:
    return run_once_on_payment(
        "reverse", _reverse, PaymentResult, tenant_id, actor, payment_id, key
    )


def _reverse(tenant_id: str, actor: str, payment_id: str) -> PaymentResult:
    record = require(tenant_id, payment_id)
    if record.status == "reversed":
        return PaymentResult.of(record)
    if moves_money(record.rail):
        raise ConflictError(
            f"the money moved through {title_of(record.rail)}: reversing the Xero record would"
            " not bring it back; record the payee's refund instead"
        )
    lifecycle.check("reverse", record.status)
    try:
        record = lifecycle.move(record, "mark_reversal", actor, reverse_requested_by=actor)
        xero_status = _delete_at_xero(record)
        record = lifecycle.move(
            record,
            "reverse",
            actor,
            reversed_by=actor,
            reversed_at=store.now_iso(),
            xero_status=xero_status,
        )
    except StaleStatusError as stale:
        if stale.current is not None and stale.current.status == "reversed":
            return PaymentResult.of(stale.current)
        raise ConflictError("the payment changed while it was being reversed") from None
    return PaymentResult.of(record)


def _delete_at_xero(record: PaymentRecord) -> str:
    """Xero's status for the payment once deleted there."""
    assert record.xero_payment_id
    xero = XeroPayments(record.tenant_id)
    xero_key = keys.xero_idempotency_key(record.tenant_id, "reverse", record.payment_id)
    try:
        element = xero.reverse(record.xero_payment_id, record.invoice_id, xero_key)
        return str(element.get("Status") or "DELETED")
    except ValidationFailedError:
        # Already reversed at Xero (an earlier attempt whose answer we never got)?
        current = xero.payment(record.xero_payment_id)
        if not current or current.get("Status") != "DELETED":
            raise
        return "DELETED"
