"""Read payments: a tenant's list, newest first (GET …/payments), and one payment with its
audit trail (GET …/payments/{id}), each joined with Xero's current status when Xero answers
(one call for a page: payments by id, OR-ed GUIDs)."""

from __future__ import annotations

from datetime import date
from typing import Any

from xero_bridge.errors import BadRequestError, XeroBridgeError
from xero_bridge.observability import logger
from xero_bridge.payments.answers import (
    AuditEntryOut,
    PaymentDetailOut,
    PaymentListOut,
    PaymentReadOut,
)
from xero_bridge.payments.lifecycle import RESTING
from xero_bridge.payments.payment_records import require
from xero_bridge.payments.xero_gateway import XeroPayments, parse_xero_date
from xero_bridge.persistence import audit
from xero_bridge.persistence import payments as store
from xero_bridge.persistence.payments import PaymentRecord

Live = dict[str, dict[str, Any]]


def payment_history(
    tenant_id: str,
    *,
    status: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    page: str | None = None,
    page_size: int = 50,
) -> PaymentListOut:
    """One page; `status` a comma-separated list of statuses, dates of the payment itself."""
    statuses = [s.strip() for s in (status or "").split(",") if s.strip()]
    if any(s not in RESTING for s in statuses):
        raise BadRequestError("unknown status", [{"field": "status", "allowed": list(RESTING)}])
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
    live = _live(tenant_id, records)
    payments = [_read(PaymentReadOut, record, live) for record in records]
    return PaymentListOut(payments=payments, page=page, next_page=next_page)


def payment_detail(tenant_id: str, payment_id: str) -> PaymentDetailOut:
    record = require(tenant_id, payment_id)
    trail = [AuditEntryOut.of(e) for e in audit.entries_for_payment(tenant_id, payment_id)]
    return _read(PaymentDetailOut, record, _live(tenant_id, [record]), audit=trail)


def _live(tenant_id: str, records: list[PaymentRecord]) -> Live | None:
    """Xero's payments for `records` by id; None when Xero did not answer (or none has one)."""
    ids = [r.xero_payment_id for r in records if r.xero_payment_id]
    if not ids:
        return None
    try:
        return XeroPayments(tenant_id).payments_by_ids(ids)
    except XeroBridgeError as exc:
        logger.info("xero status join skipped", extra={"error_code": exc.code})
        return None


def _read[R: PaymentReadOut](
    model: type[R], record: PaymentRecord, live: Live | None, **extra: Any
) -> R:
    if live is None or not record.xero_payment_id:
        return model.read(
            record, checked=False, xero_status=record.xero_status, updated=None, **extra
        )
    found = live.get(record.xero_payment_id)
    updated = parse_xero_date(found.get("UpdatedDateUTC")) if found else None
    return model.read(
        record,
        checked=True,
        xero_status=found.get("Status") if found else "NOT_FOUND",
        updated=updated.isoformat() if updated else None,
        **extra,
    )
