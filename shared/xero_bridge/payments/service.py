"""Payment submission, batches, approval, rejection, reversal and history.

Nothing here knows about HTTP events: callers pass the tenant, the caller's Okta ``sub``, the
Idempotency-Key and the parsed body, and get an `Outcome` (status code + JSON body).
Tenant access is checked by the caller (the handler) before any of this runs.

Exactly once: Powertools idempotency (`idempotency.run_once`) answers repeats of a request;
our payment record (derived id, conditional writes) is what guarantees one Xero payment even
after that record expires or when an attempt's outcome is unknown:

1. the record is written (``submitted``) *before* Xero is called;
2. Xero is called with an Idempotency-Key derived from tenant + payment id, and a Reference
   ending in ``xb:<tag>`` derived from the same;
3. on success the record becomes ``recorded`` (with Xero's PaymentID); on Xero's validation
   error ``failed`` (a retry may try again); on anything else (timeout, 5xx, 429) it stays
   ``submitted``: the outcome is unknown;
4. whoever meets a ``submitted`` record first looks the payment up at Xero (payments on that
   invoice whose Reference carries the tag) and only sends it again if Xero has none.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from boto3.dynamodb.conditions import Attr

from xero_bridge.errors import (
    BadRequestError,
    ConflictError,
    NotFoundError,
    ValidationFailedError,
    XeroBridgeError,
    error_body,
)
from xero_bridge.observability import logger
from xero_bridge.payments import keys, policy
from xero_bridge.payments.idempotency import Outcome, run_once
from xero_bridge.payments.models import (
    PAYMENT_STATUSES,
    PaymentRequest,
    fingerprint,
    parse_batch_request,
    parse_payment_request,
)
from xero_bridge.payments.money import from_xero, money_text
from xero_bridge.payments.validation import Books, CheckedPayment
from xero_bridge.payments.xero_gateway import (
    XeroPayments,
    is_ok,
    parse_xero_date,
    payment_body,
    validation_messages,
)
from xero_bridge.persistence import audit
from xero_bridge.persistence import payments as store
from xero_bridge.persistence.payments import PaymentRecord, StaleStatusError
from xero_bridge.settings import get_settings

GatewayFactory = Callable[[str], Any]

_gateway_factory: GatewayFactory = XeroPayments


def set_gateway_factory(factory: GatewayFactory | None) -> None:
    """Tests (and benches) may swap how the Xero gateway is built."""
    global _gateway_factory
    _gateway_factory = factory or XeroPayments


def _gateway(tenant_id: str) -> Any:
    return _gateway_factory(tenant_id)


# ---------------------------------------------------------------------------- views
def view(record: PaymentRecord) -> dict[str, Any]:
    """A record as the API answers it: snake_case, money as text, dates ISO 8601."""
    return {
        "payment_id": record.payment_id,
        "status": record.status,
        "kind": record.kind,
        "invoice_id": record.invoice_id,
        "invoice_number": record.invoice_number,
        "account_id": record.account_id,
        "account_code": record.account_code,
        "amount": money_text(record.amount),
        "currency_code": record.currency_code,
        "currency_rate": None if record.currency_rate is None else str(record.currency_rate),
        "date": record.date,
        "reference": record.reference,
        "xero_reference": record.xero_reference,
        "xero_payment_id": record.xero_payment_id,
        "xero_status": record.xero_status,
        "batch_id": record.batch_id,
        "submitted_by": record.submitted_by,
        "submitted_at": record.submitted_at,
        "approved_by": record.approved_by,
        "approved_at": record.approved_at,
        "rejected_by": record.rejected_by,
        "rejected_at": record.rejected_at,
        "reversed_by": record.reversed_by,
        "reversed_at": record.reversed_at,
        "failure": record.failure,
    }


def _answer_for(record: PaymentRecord) -> Outcome:
    """The answer a submission gets for a record in its current state."""
    if record.status == "pending_approval":
        return Outcome(202, view(record))
    if record.status == "recorded" or record.xero_payment_id:
        return Outcome(201, view(record))
    return Outcome(200, view(record))


# ---------------------------------------------------------------------------- records
def _new_record(
    tenant_id: str,
    payment_id: str,
    checked: CheckedPayment,
    actor: str,
    status: str,
    batch_id: str | None = None,
    batch_index: int | None = None,
) -> PaymentRecord:
    request = checked.request
    tag = keys.reference_tag(tenant_id, payment_id)
    return store.new_record(
        tenant_id=tenant_id,
        payment_id=payment_id,
        status=status,
        kind=checked.kind,
        invoice_id=checked.invoice_id,
        invoice_number=checked.invoice_number,
        invoice_type=checked.invoice_type,
        account_id=checked.account_id,
        account_code=checked.account_code,
        amount=request.amount,
        currency_code=checked.currency_code,
        currency_rate=request.currency_rate,
        date=request.date.isoformat(),
        reference=request.reference,
        xero_reference=keys.xero_reference(request.reference, tag),
        request_hash=request.fingerprint(),
        batch_id=batch_id,
        batch_index=batch_index,
        submitted_by=actor,
    )


def _xero_body(record: PaymentRecord) -> dict[str, Any]:
    assert record.invoice_id and record.account_id and record.xero_reference
    return payment_body(
        invoice_id=record.invoice_id,
        account_id=record.account_id,
        amount=record.amount,
        payment_date=record.date,
        reference=record.xero_reference,
        currency_rate=record.currency_rate,
    )


def _audit(record: PaymentRecord, action: str, actor: str, **details: Any) -> None:
    audit.append(
        tenant_id=record.tenant_id,
        action=action,
        actor=actor,
        payment_id=record.payment_id,
        xero_payment_id=record.xero_payment_id,
        invoice_id=record.invoice_id,
        amount=record.amount,
        details={k: v for k, v in details.items() if v is not None},
    )


def _mark_recorded(
    record: PaymentRecord, element: dict[str, Any], actor: str, how: str
) -> PaymentRecord:
    try:
        updated = store.transition(
            record.tenant_id,
            record.payment_id,
            "submitted",
            "recorded",
            xero_payment_id=str(element["PaymentID"]).lower(),
            xero_status=str(element.get("Status") or "AUTHORISED"),
            remove=("failure",),
        )
    except StaleStatusError as stale:
        if stale.current is not None and stale.current.status == "recorded":
            return stale.current
        raise ConflictError("the payment changed while it was being recorded") from None
    _audit(updated, "recorded", actor, how=how)
    return updated


def _mark_failed(record: PaymentRecord, details: list[Any], actor: str) -> PaymentRecord:
    try:
        updated = store.transition(
            record.tenant_id, record.payment_id, "submitted", "failed", failure=details
        )
    except StaleStatusError as stale:
        return stale.current or record
    _audit(updated, "failed", actor, failure=details)
    return updated


def _find_at_xero(records: list[PaymentRecord], gateway: Any) -> dict[str, dict[str, Any]]:
    """Payments Xero already holds for records whose outcome is unknown (by Reference tag)."""
    if not records:
        return {}
    by_reference = {r.xero_reference: r for r in records if r.xero_reference}
    found: dict[str, dict[str, Any]] = {}
    for payment in gateway.payments_for_invoices(r.invoice_id for r in records if r.invoice_id):
        record = by_reference.get(payment.get("Reference"))
        if record is None or payment.get("Status") == "DELETED":
            continue
        invoice = payment.get("Invoice") or {}
        if str(invoice.get("InvoiceID", "")).lower() != record.invoice_id:
            continue
        if from_xero(payment.get("Amount")) != record.amount:
            continue
        found[record.payment_id] = payment
    return found


def _send(records: list[PaymentRecord], gateway: Any, actor: str) -> dict[str, PaymentRecord]:
    """One PUT /Payments for `records` (all ``submitted``); their new records by payment id.

    A Xero validation error marks the records failed and is raised for a single payment; any
    other failure leaves them ``submitted`` (outcome unknown) and propagates.
    """
    if not records:
        return {}
    tenant_id = records[0].tenant_id
    # Same payments, same generation -> same key (Xero replays instead of paying twice); a
    # retry after a definitive refusal is a new generation, so Xero does not replay the refusal.
    ids = sorted(f"{r.payment_id}:{r.generation}" for r in records)
    xero_key = keys.xero_idempotency_key(tenant_id, "create", *ids)
    try:
        elements = gateway.create_payments([_xero_body(r) for r in records], xero_key)
    except ValidationFailedError as exc:
        for record in records:
            _mark_failed(record, exc.details or [{"message": exc.message}], actor)
        raise
    except XeroBridgeError as exc:
        logger.warning(
            "xero payment outcome unknown; the record stays submitted",
            extra={"tenant_id": tenant_id, "payments": len(records), "error_code": exc.code},
        )
        raise
    results: dict[str, PaymentRecord] = {}
    for record, element in zip(records, elements, strict=True):
        if is_ok(element):
            results[record.payment_id] = _mark_recorded(record, element, actor, "created")
        else:
            results[record.payment_id] = _mark_failed(record, validation_messages(element), actor)
    return results


def _execute_one(
    record: PaymentRecord, gateway: Any, actor: str, lookup_first: bool = False
) -> PaymentRecord:
    """Record one ``submitted`` payment at Xero exactly once; ValidationFailedError on refusal.

    `lookup_first`: an earlier attempt's outcome is unknown, so ask Xero before sending.
    """
    if lookup_first:
        found = _find_at_xero([record], gateway)
        if record.payment_id in found:
            return _mark_recorded(record, found[record.payment_id], actor, "found_at_xero")
    result = _send([record], gateway, actor)[record.payment_id]
    if result.status == "failed":
        raise _xero_refusal(result)
    return result


def _xero_refusal(record: PaymentRecord) -> ValidationFailedError:
    """The error of a ``failed`` record: Xero's messages as details."""
    return ValidationFailedError("Xero rejected the payment", record.failure or [])


def _retry_record(record: PaymentRecord) -> PaymentRecord:
    """A ``failed`` record, or a ``submitted`` one whose outcome is unknown, ready to resend."""
    try:
        return store.transition(
            record.tenant_id,
            record.payment_id,
            record.status,
            "submitted",
            condition=Attr("attempts").eq(record.attempts),
            attempts=record.attempts + 1,
            generation=record.generation + (1 if record.status == "failed" else 0),
            remove=("failure",),
        )
    except StaleStatusError:
        raise ConflictError("the payment changed meanwhile: retry") from None


# ---------------------------------------------------------------------------- submit
def submit(
    tenant_id: str, actor: str, idempotency_key: str | None, body: Any, lambda_context: Any = None
) -> Outcome:
    """POST /tenants/{tenantId}/payments: 201 recorded, 202 pending_approval."""
    key = keys.require_idempotency_key(idempotency_key)
    request = parse_payment_request(body)
    return run_once(
        operation="submit",
        tenant_id=tenant_id,
        key=key,
        actor=actor,
        request=request.canonical(),
        fn=lambda: _submit(tenant_id, actor, key, request),
        lambda_context=lambda_context,
    )


def _submit(tenant_id: str, actor: str, key: str, request: PaymentRequest) -> Outcome:
    payment_id = keys.payment_id_for(tenant_id, key)
    existing = store.get(tenant_id, payment_id)
    if existing is not None:
        return _resume_submission(existing, request, actor)
    gateway = _gateway(tenant_id)
    checked = Books(gateway, [request]).check(request)
    pending = policy.needs_approval(tenant_id, request.amount)
    record = _new_record(
        tenant_id, payment_id, checked, actor, "pending_approval" if pending else "submitted"
    )
    if store.create(record) is None:
        existing = store.get(tenant_id, payment_id)
        assert existing is not None
        return _resume_submission(existing, request, actor)
    if pending:
        _audit(
            record,
            "approval_requested",
            actor,
            threshold=str(policy.approval_threshold(tenant_id)),
        )
        return Outcome(202, view(record))
    _audit(record, "submitted", actor)
    return Outcome(201, view(_execute_one(record, gateway, actor)))


def _resume_submission(record: PaymentRecord, request: PaymentRequest, actor: str) -> Outcome:
    if record.request_hash != request.fingerprint() or record.batch_id is not None:
        raise ConflictError(
            "this Idempotency-Key was already used for a different payment",
            [{"field": "Idempotency-Key", "problem": "reused with another body"}],
        )
    if record.status in ("failed", "submitted") and not record.approved_by:
        gateway = _gateway(record.tenant_id)
        if record.status == "failed":
            Books(gateway, [request]).check(request)  # the books may have changed
        lookup = record.status == "submitted"
        retry = _retry_record(record)
        return Outcome(201, view(_execute_one(retry, gateway, actor, lookup_first=lookup)))
    return _answer_for(record)


# ---------------------------------------------------------------------------- batch
def submit_batch(
    tenant_id: str, actor: str, idempotency_key: str | None, body: Any, lambda_context: Any = None
) -> Outcome:
    """POST …/payments/batch: many payments, one PUT /Payments; a result per item."""
    key = keys.require_idempotency_key(idempotency_key)
    batch = parse_batch_request(body)
    limit = get_settings().payments_batch_max
    if len(batch.payments) > limit:
        raise BadRequestError(f"a batch holds at most {limit} payments")
    return run_once(
        operation="batch",
        tenant_id=tenant_id,
        key=key,
        actor=actor,
        request={"payments": fingerprint(batch.payments)},
        fn=lambda: _submit_batch(tenant_id, actor, key, batch.payments),
        lambda_context=lambda_context,
    )


def _item_error(error: XeroBridgeError) -> dict[str, Any]:
    return {"status": error.status, **error_body(error)["error"]}


def _submit_batch(tenant_id: str, actor: str, key: str, items: list[Any]) -> Outcome:
    batch_id = keys.batch_id_for(tenant_id, key)
    ids = [keys.payment_id_for(tenant_id, key, index) for index in range(len(items))]
    existing = store.get_many(tenant_id, ids)
    requests: dict[int, PaymentRequest] = {}
    results: dict[int, dict[str, Any]] = {}
    for index, item in enumerate(items):
        try:
            if not isinstance(item, dict):
                raise BadRequestError("each payment must be a JSON object")
            requests[index] = parse_payment_request(item)
        except BadRequestError as error:
            results[index] = {"index": index, "status": "invalid", "error": _item_error(error)}
    for index, request in requests.items():
        record = existing.get(ids[index])
        if record is not None and record.request_hash != request.fingerprint():
            raise ConflictError("this Idempotency-Key was already used for a different batch")

    need_books = [
        r
        for i, r in requests.items()
        if existing.get(ids[i]) is None or existing[ids[i]].status == "failed"
    ]
    unknown = [
        existing[ids[i]]
        for i in requests
        if ids[i] in existing
        and existing[ids[i]].status == "submitted"
        and not existing[ids[i]].approved_by
    ]
    gateway = _gateway(tenant_id) if need_books or unknown else None
    books = Books(gateway, need_books) if need_books else None
    found = _find_at_xero(unknown, gateway) if unknown else {}

    to_send: list[tuple[int, PaymentRecord]] = []
    for index, request in requests.items():
        payment_id = ids[index]
        record = existing.get(payment_id)
        if record is not None and record.status == "submitted" and payment_id in found:
            record = _mark_recorded(record, found[payment_id], actor, "found_at_xero")
        elif record is not None and record.status == "submitted" and not record.approved_by:
            to_send.append((index, _retry_record(record)))
            continue
        if record is not None and record.status != "failed":
            results[index] = _item_result(index, record)
            continue
        try:
            assert books is not None
            checked = books.check(request)
        except ValidationFailedError as error:
            results[index] = {"index": index, "status": "failed", "error": _item_error(error)}
            continue
        if record is not None:  # failed before: try again
            to_send.append((index, _retry_record(record)))
            continue
        pending = policy.needs_approval(tenant_id, request.amount)
        record = _new_record(
            tenant_id,
            payment_id,
            checked,
            actor,
            "pending_approval" if pending else "submitted",
            batch_id=batch_id,
            batch_index=index,
        )
        if store.create(record) is None:
            raise ConflictError("the batch is being processed by another request: retry")
        _audit(record, "approval_requested" if pending else "submitted", actor, batch_id=batch_id)
        if pending:
            results[index] = _item_result(index, record)
        else:
            to_send.append((index, record))

    sent = _send([r for _, r in to_send], gateway, actor) if to_send else {}
    for index, record in to_send:
        results[index] = _item_result(index, sent[record.payment_id])
    ordered = [results[i] for i in range(len(items))]
    summary: dict[str, int] = {}
    for result in ordered:
        summary[result["status"]] = summary.get(result["status"], 0) + 1
    return Outcome(200, {"batch_id": batch_id, "results": ordered, "summary": summary})


def _item_result(index: int, record: PaymentRecord) -> dict[str, Any]:
    result: dict[str, Any] = {"index": index, "status": record.status, "payment": view(record)}
    if record.status == "failed":
        result["error"] = _item_error(_xero_refusal(record))
    return result


# ---------------------------------------------------------------------------- approval
def _require(tenant_id: str, payment_id: str) -> PaymentRecord:
    record = store.get(tenant_id, payment_id)
    if record is None:
        raise NotFoundError("no such payment")
    return record


def _run_once_on_payment(
    operation: str,
    act: Callable[[str, str, str], Outcome],
    tenant_id: str,
    actor: str,
    payment_id: str,
    idempotency_key: str | None,
    lambda_context: Any,
) -> Outcome:
    """`act(tenant_id, actor, payment_id)` once per Idempotency-Key (approve, reverse)."""
    key = keys.require_idempotency_key(idempotency_key)
    return run_once(
        operation=operation,
        tenant_id=tenant_id,
        key=key,
        actor=actor,
        request={"payment_id": payment_id},
        fn=lambda: act(tenant_id, actor, payment_id),
        lambda_context=lambda_context,
    )


def approve(
    tenant_id: str,
    actor: str,
    payment_id: str,
    idempotency_key: str | None,
    lambda_context: Any = None,
) -> Outcome:
    """POST …/payments/{id}/approve: a second person executes a pending payment (201)."""
    return _run_once_on_payment(
        "approve", _approve, tenant_id, actor, payment_id, idempotency_key, lambda_context
    )


def _approve(tenant_id: str, actor: str, payment_id: str) -> Outcome:
    record = _require(tenant_id, payment_id)
    policy.check_four_eyes(record.submitted_by, actor)
    if record.approved_by and record.status == "recorded":
        return Outcome(201, view(record))
    if record.approved_by and record.status == "submitted":  # an approval's outcome unknown
        gateway = _gateway(tenant_id)
        retry = _retry_record(record)
        return Outcome(201, view(_execute_one(retry, gateway, actor, lookup_first=True)))
    policy.check_transition("approve", record.status)
    gateway = _gateway(tenant_id)
    request = _request_of(record)
    Books(gateway, [request]).check(request)  # the invoice may have changed since submission
    try:
        record = store.transition(
            tenant_id,
            payment_id,
            "pending_approval",
            "submitted",
            approved_by=actor,
            approved_at=store.now_iso(),
        )
    except StaleStatusError as stale:
        current = stale.current.status if stale.current else "gone"
        raise ConflictError(f"the payment is {current}: it cannot be approved") from None
    _audit(record, "approved", actor)
    return Outcome(201, view(_execute_one(record, gateway, actor)))


def _request_of(record: PaymentRecord) -> PaymentRequest:
    return PaymentRequest.model_validate(
        {
            "invoice_id": record.invoice_id,
            "account_id": record.account_id,
            "amount": record.amount,
            "date": record.date,
            "reference": record.reference,
            "currency_rate": record.currency_rate,
        }
    )


def reject(tenant_id: str, actor: str, payment_id: str, body: Any = None) -> Outcome:
    """POST …/payments/{id}/reject: closes a pending payment (idempotent: 200 again)."""
    reason = None
    if isinstance(body, dict) and body.get("reason") is not None:
        reason = str(body["reason"])[:500]
    record = _require(tenant_id, payment_id)
    if record.status == "rejected":
        return Outcome(200, view(record))
    policy.check_transition("reject", record.status)
    try:
        record = store.transition(
            tenant_id,
            payment_id,
            "pending_approval",
            "rejected",
            rejected_by=actor,
            rejected_at=store.now_iso(),
        )
    except StaleStatusError as stale:
        current = stale.current.status if stale.current else "gone"
        if current == "rejected" and stale.current is not None:
            return Outcome(200, view(stale.current))
        raise ConflictError(f"the payment is {current}: it cannot be rejected") from None
    _audit(record, "rejected", actor, reason=reason)
    return Outcome(200, view(record))


# ---------------------------------------------------------------------------- reversal
def reverse(
    tenant_id: str,
    actor: str,
    payment_id: str,
    idempotency_key: str | None,
    lambda_context: Any = None,
) -> Outcome:
    """POST …/payments/{id}/reverse: reverses a recorded payment in Xero (200)."""
    return _run_once_on_payment(
        "reverse", _reverse, tenant_id, actor, payment_id, idempotency_key, lambda_context
    )


def _reverse(tenant_id: str, actor: str, payment_id: str) -> Outcome:
    record = _require(tenant_id, payment_id)
    if record.status == "reversed":
        return Outcome(200, view(record))
    policy.check_transition("reverse", record.status)
    assert record.xero_payment_id
    record = store.transition(
        tenant_id, payment_id, "recorded", "recorded", reverse_requested_by=actor
    )
    gateway = _gateway(tenant_id)
    xero_key = keys.xero_idempotency_key(tenant_id, "reverse", payment_id)
    try:
        element = gateway.reverse(record.xero_payment_id, record.invoice_id, xero_key)
        status = str(element.get("Status") or "DELETED")
    except ValidationFailedError:
        # Already reversed at Xero (an earlier attempt whose answer we never got)?
        current = gateway.payment(record.xero_payment_id)
        if not current or current.get("Status") != "DELETED":
            raise
        status = "DELETED"
    try:
        record = store.transition(
            tenant_id,
            payment_id,
            "recorded",
            "reversed",
            reversed_by=actor,
            reversed_at=store.now_iso(),
            xero_status=status,
        )
    except StaleStatusError as stale:
        if stale.current is not None and stale.current.status == "reversed":
            return Outcome(200, view(stale.current))
        raise ConflictError("the payment changed while it was being reversed") from None
    _audit(record, "reversed", actor)
    return Outcome(200, view(record))


# ---------------------------------------------------------------------------- history
def _join_xero(tenant_id: str, records: list[PaymentRecord]) -> list[dict[str, Any]]:
    """Views with Xero's current status (`xero_status`), when Xero answers."""
    views = [view(r) for r in records]
    ids = [r.xero_payment_id for r in records if r.xero_payment_id]
    live: dict[str, dict[str, Any]] | None = None
    if ids:
        try:
            live = _gateway(tenant_id).payments_by_ids(ids)
        except XeroBridgeError as exc:
            logger.info("xero status join skipped", extra={"error_code": exc.code})
    for item, record in zip(views, records, strict=True):
        item["xero_status_checked"] = False
        if live is not None and record.xero_payment_id:
            found = live.get(record.xero_payment_id)
            item["xero_status_checked"] = True
            item["xero_status"] = found.get("Status") if found else "NOT_FOUND"
            if found and found.get("UpdatedDateUTC"):
                updated = parse_xero_date(found.get("UpdatedDateUTC"))
                item["xero_updated_date"] = updated.isoformat() if updated else None
    return views


def list_payments(
    tenant_id: str,
    *,
    status: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    page: str | None = None,
    page_size: int = 50,
) -> dict[str, Any]:
    statuses = [s.strip() for s in (status or "").split(",") if s.strip()]
    unknown = [s for s in statuses if s not in PAYMENT_STATUSES]
    if unknown:
        raise BadRequestError(
            "unknown status", [{"field": "status", "allowed": list(PAYMENT_STATUSES)}]
        )
    if date_from and date_to and date_from > date_to:
        raise BadRequestError("date_from is after date_to")
    records, next_page = store.list_newest_first(
        tenant_id,
        page_size=page_size,
        cursor=page,
        statuses=statuses,
        date_from=date_from,
        date_to=date_to,
    )
    return {"payments": _join_xero(tenant_id, records), "page": page, "next_page": next_page}


def get_payment(tenant_id: str, payment_id: str) -> dict[str, Any]:
    record = _require(tenant_id, payment_id)
    [item] = _join_xero(tenant_id, [record])
    item["audit"] = [
        {
            "action": e.action,
            "actor": e.actor,
            "at": e.at,
            "xero_payment_id": e.xero_payment_id,
        }
        for e in audit.entries_for_payment(tenant_id, payment_id)
    ]
    return item


def amount_text(value: Decimal) -> str:
    return money_text(value)
