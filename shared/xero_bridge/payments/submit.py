"""Submit one payment (POST /tenants/{tenantId}/payments), once per Idempotency-Key.

1. our payment id is derived from tenant + key: a repeat finds the first attempt's record
   (`_resume`) even after Powertools has forgotten the key;
2. a new payment is checked against the books (invoice AUTHORISED, amount ≤ AmountDue, a
   bank account — a money-moving rail's own clearing account when the request names none)
   and by its rail (for Solaris: the payee and its Verification of Payee), then stored
   *before* anything is sent: ``pending_approval`` above the tenant's threshold or when the
   rail asks for a second person, else ``submitted``;
3. a ``submitted`` payment is executed on its rail (`execute.execute_one`): recorded, or a
   422 with the rail's messages; an unknown outcome (timeout, 5xx) leaves it ``submitted``,
   and the repeat asks the rail before sending it again.
"""

from __future__ import annotations

from xero_bridge.errors import ConflictError
from xero_bridge.payments import keys, lifecycle, policy
from xero_bridge.payments.answers import PaymentResult
from xero_bridge.payments.execute import execute_one, retry
from xero_bridge.payments.idempotency import Once, run_once
from xero_bridge.payments.models import PaymentRequest
from xero_bridge.payments.payment_records import new_record
from xero_bridge.payments.validation import Books
from xero_bridge.payments.xero_gateway import XeroPayments
from xero_bridge.persistence import payments as store
from xero_bridge.persistence.payments import PaymentRecord
from xero_bridge.rails import clearing_account, rail_for


def submit_payment(
    tenant_id: str, actor: str, key: str, request: PaymentRequest
) -> Once[PaymentResult]:
    """Outcome ``recorded``, or ``pending_approval`` above the threshold."""
    return run_once(
        operation="submit",
        tenant_id=tenant_id,
        key=key,
        actor=actor,
        request=request.canonical(),
        fn=lambda: _submit(tenant_id, actor, key, request),
        answer=PaymentResult,
    )


def with_rail_account(tenant_id: str, request: PaymentRequest) -> PaymentRequest:
    """The request with its rail's clearing account when it names no account."""
    if request.account_id or request.account_code:
        return request
    return request.model_copy(update={"account_code": clearing_account(request.rail, tenant_id)})


def _submit(tenant_id: str, actor: str, key: str, request: PaymentRequest) -> PaymentResult:
    request = with_rail_account(tenant_id, request)
    payment_id = keys.payment_id_for(tenant_id, key)
    existing = store.get(tenant_id, payment_id)
    if existing is not None:
        return _resume(existing, request, actor)
    xero = XeroPayments(tenant_id)
    checked = Books(xero, [request]).check(request)
    checks = rail_for(request.rail, xero).check(checked)
    reason = policy.approval_reason(tenant_id, request.amount, checks.approval_reason)
    pending = reason is not None
    status = "pending_approval" if pending else "submitted"
    record = new_record(tenant_id, payment_id, checked, actor, status, **checks.fields)
    threshold = str(policy.approval_threshold(tenant_id)) if pending else None
    started = lifecycle.start(
        record, actor, threshold=threshold, approval_reason=reason, **checks.details
    )
    if started is None:
        existing = store.get(tenant_id, payment_id)  # a concurrent first attempt won
        assert existing is not None
        return _resume(existing, request, actor)
    if pending:
        return PaymentResult.of(record, "pending_approval")
    return PaymentResult.as_found(execute_one(record, xero, actor))


def _resume(record: PaymentRecord, request: PaymentRequest, actor: str) -> PaymentResult:
    """The same key again: the same payment, sent again only when it has to be."""
    if record.request_hash != request.fingerprint() or record.batch_id is not None:
        raise ConflictError(
            "this Idempotency-Key was already used for a different payment",
            [{"field": "Idempotency-Key", "problem": "reused with another body"}],
        )
    if record.status in ("failed", "submitted") and not record.approved_by:
        xero = XeroPayments(record.tenant_id)
        if record.status == "failed":
            Books(xero, [request]).check(request)  # the books may have changed
        look_first = record.status == "submitted"  # the last attempt's outcome is unknown
        sent = execute_one(retry(record, actor), xero, actor, look_first=look_first)
        return PaymentResult.as_found(sent)
    return PaymentResult.as_found(record)
