"""Approve a payment waiting for a second person (POST …/payments/{id}/approve), once per
Idempotency-Key: four eyes, the books checked again, then executed on its rail (outcome
``recorded``; a 422 with the rail's messages when it refuses).

For a money-moving rail the approval is also the approver's word on the payee: a
CLOSE_MATCH payment is approved only with `accepted_payee_name` equal to the bank's suggested
name as the payment shows it (the transfer then goes out under that name); and the rail's
`preflight` runs before the approval is stored, so a balance that does not cover the payment
is a 422 ``insufficient_funds`` and the payment stays ``pending_approval``, nothing sent.

An approval whose execution's outcome is unknown (the provider timed out) is finished by
approving again: the rail is asked first, and the payment sent only if it has none.
"""

from __future__ import annotations

from typing import Any

from xero_bridge.errors import ConflictError
from xero_bridge.payments import lifecycle, policy
from xero_bridge.payments.answers import PaymentResult
from xero_bridge.payments.execute import execute_one, retry
from xero_bridge.payments.idempotency import Once, run_once
from xero_bridge.payments.payment_records import request_of, require
from xero_bridge.payments.validation import Books
from xero_bridge.payments.xero_gateway import XeroPayments
from xero_bridge.persistence import payments as store
from xero_bridge.persistence.payments import PaymentRecord, StaleStatusError
from xero_bridge.rails import rail_for
from xero_bridge.rails.errors import PayeeNameNotAcceptedError


def approve_payment(
    tenant_id: str, actor: str, payment_id: str, key: str, accepted_payee_name: str | None = None
) -> Once[PaymentResult]:
    request = {"payment_id": payment_id}
    if accepted_payee_name is not None:
        request["accepted_payee_name"] = accepted_payee_name
    return run_once(
        operation="approve",
        tenant_id=tenant_id,
        key=key,
        actor=actor,
        request=request,
        fn=lambda: _approve(tenant_id, actor, payment_id, accepted_payee_name),
        answer=PaymentResult,
    )


def _approve(
    tenant_id: str, actor: str, payment_id: str, accepted_payee_name: str | None
) -> PaymentResult:
    record = require(tenant_id, payment_id)
    policy.check_four_eyes(record.submitted_by, actor)
    if record.approved_by and record.status not in ("submitted", "failed"):
        return PaymentResult.as_found(record)  # approved before: as it is now
    if record.approved_by and record.status == "submitted":  # an approval's outcome unknown
        xero = XeroPayments(tenant_id)
        sent = execute_one(retry(record, actor), xero, actor, look_first=True)
        return PaymentResult.as_found(sent)
    lifecycle.check("approve", record.status)
    accepted = _accepted_name(record, accepted_payee_name)
    xero = XeroPayments(tenant_id)
    request = request_of(record)
    Books(xero, [request]).check(request)  # the invoice may have changed since submission
    rail = rail_for(record.rail, xero)
    rail.preflight([record])  # e.g. the balance: nothing is approved that cannot go now
    fields: dict[str, Any] = {"approved_by": actor, "approved_at": store.now_iso()}
    if accepted:
        fields["accepted_payee_name"] = accepted
    try:
        record = lifecycle.move(
            record, "approve", actor, details={"accepted_payee_name": accepted}, **fields
        )
    except StaleStatusError as stale:
        current = stale.current.status if stale.current else "gone"
        raise ConflictError(f"the payment is {current}: it cannot be approved") from None
    return PaymentResult.as_found(execute_one(record, xero, actor))


def _accepted_name(record: PaymentRecord, given: str | None) -> str | None:
    """The suggested name a CLOSE_MATCH is approved under; 422 unless the approver gave it."""
    verification = record.payee_verification or {}
    suggested = verification.get("suggested_name")
    if verification.get("status") != "CLOSE_MATCH" or not suggested:
        if given:
            raise PayeeNameNotAcceptedError(
                "this payment has no suggested payee name to accept",
                [{"field": "accepted_payee_name", "verification": verification.get("status")}],
            )
        return None
    if given != suggested:
        raise PayeeNameNotAcceptedError(
            f"the bank says the account holder is {suggested!r}, not"
            f" {verification.get('name')!r}: approve with accepted_payee_name set to that name"
            " to pay under it",
            [{"field": "accepted_payee_name", "verification": "CLOSE_MATCH",
              "suggested_name": suggested, "given": given}],
        )  # fmt: skip
    return str(suggested)
