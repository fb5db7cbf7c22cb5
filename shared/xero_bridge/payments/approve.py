"""Approve a payment waiting for a second person (POST …/payments/{id}/approve), once per
Idempotency-Key: four eyes, the books checked again, then executed on its rail (outcome
``recorded``; a 422 with the rail's messages when it refuses).

An approval whose execution's outcome is unknown (Xero timed out) is finished by approving
again: the rail is asked first, and the payment sent only if it has none.
"""

from __future__ import annotations

from xero_bridge.errors import ConflictError
from xero_bridge.payments import lifecycle, policy
from xero_bridge.payments.answers import PaymentResult
from xero_bridge.payments.execute import execute_one, retry
from xero_bridge.payments.idempotency import Once, run_once_on_payment
from xero_bridge.payments.payment_records import request_of, require
from xero_bridge.payments.validation import Books
from xero_bridge.payments.xero_gateway import XeroPayments
from xero_bridge.persistence import payments as store
from xero_bridge.persistence.payments import StaleStatusError


def approve_payment(tenant_id: str, actor: str, payment_id: str, key: str) -> Once[PaymentResult]:
    return run_once_on_payment(
        "approve", _approve, PaymentResult, tenant_id, actor, payment_id, key
    )


def _approve(tenant_id: str, actor: str, payment_id: str) -> PaymentResult:
    record = require(tenant_id, payment_id)
    policy.check_four_eyes(record.submitted_by, actor)
    if record.approved_by and record.status == "recorded":
        return PaymentResult.of(record, "recorded")
    if record.approved_by and record.status == "submitted":  # an approval's outcome unknown
        xero = XeroPayments(tenant_id)
        sent = execute_one(retry(record, actor), xero, actor, look_first=True)
        return PaymentResult.as_found(sent)
    lifecycle.check("approve", record.status)
    xero = XeroPayments(tenant_id)
    request = request_of(record)
    Books(xero, [request]).check(request)  # the invoice may have changed since submission
    try:
        record = lifecycle.move(
            record, "approve", actor, approved_by=actor, approved_at=store.now_iso()
        )
    except StaleStatusError as stale:
        current = stale.current.status if stale.current else "gone"
        raise ConflictError(f"the payment is {current}: it cannot be approved") from None
    return PaymentResult.as_found(execute_one(record, xero, actor))
