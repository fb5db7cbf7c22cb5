"""Reject a payment waiting for a second person (POST …/payments/{id}/reject). Rejecting a
rejected payment answers it again (no Idempotency-Key needed: nothing is sent anywhere)."""

from __future__ import annotations

from xero_bridge.errors import ConflictError
from xero_bridge.payments import lifecycle
from xero_bridge.payments.answers import PaymentResult
from xero_bridge.payments.payment_records import require
from xero_bridge.persistence import payments as store
from xero_bridge.persistence.payments import StaleStatusError


def reject_payment(
    tenant_id: str, actor: str, payment_id: str, reason: str | None = None
) -> PaymentResult:
    """Outcome ``rejected``; `reason` goes into the audit trail."""
    record = require(tenant_id, payment_id)
    if record.status == "rejected":
        return PaymentResult.of(record)
    try:
        record = lifecycle.move(
            record,
            "reject",
            actor,
            details={"reason": reason},
            rejected_by=actor,
            rejected_at=store.now_iso(),
        )
    except StaleStatusError as stale:
        if stale.current is not None and stale.current.status == "rejected":
            return PaymentResult.of(stale.current)
        current = stale.current.status if stale.current else "gone"
        raise ConflictError(f"the payment is {current}: it cannot be rejected") from None
    return PaymentResult.of(record)
