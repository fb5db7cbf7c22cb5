"""Our record of a payment, as the actions need it: a new one from a checked request, one read
by id (404 when there is none), and the request a stored payment was made from."""

from __future__ import annotations

from typing import Any

from xero_bridge.errors import NotFoundError
from xero_bridge.payments import keys
from xero_bridge.payments.models import PaymentRequest
from xero_bridge.payments.validation import CheckedPayment
from xero_bridge.persistence import payments as store
from xero_bridge.persistence.payments import PaymentRecord
from xero_bridge.rails import moves_money


def new_record(
    tenant_id: str,
    payment_id: str,
    checked: CheckedPayment,
    actor: str,
    status: str,
    *,
    batch_id: str | None = None,
    batch_index: int | None = None,
    **rail_fields: Any,
) -> PaymentRecord:
    """The record of a payment not stored yet (`lifecycle.start` stores it); `rail_fields`
    are what its rail's check keeps on it (payee, verification)."""
    request = checked.request
    tag = keys.reference_tag(tenant_id, payment_id)
    if moves_money(request.rail):  # its reference at the provider, and open until final
        rail_key = keys.rail_key_for(tenant_id, payment_id)
        rail_fields.update(rail_key=rail_key, rail_open=request.rail)
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
        rail=request.rail,
        xero_reference=keys.xero_reference(request.reference, tag),
        request_hash=request.fingerprint(),
        batch_id=batch_id,
        batch_index=batch_index,
        submitted_by=actor,
        **rail_fields,
    )


def require(tenant_id: str, payment_id: str) -> PaymentRecord:
    record = store.get(tenant_id, payment_id)
    if record is None:
        raise NotFoundError("no such payment")
    return record


def request_of(record: PaymentRecord) -> PaymentRequest:
    """The request as checked against the books (by ids: numbers and codes were resolved)."""
    return PaymentRequest.model_validate(
        {
            "invoice_id": record.invoice_id,
            "account_id": record.account_id,
            "amount": record.amount,
            "date": record.date,
            "reference": record.reference,
            "currency_rate": record.currency_rate,
            "rail": record.rail,
            # the payee the approver sees is the one paid: never read anew from the contact
            "payee": _payee_of(record),
        }
    )


def _payee_of(record: PaymentRecord) -> dict[str, Any] | None:
    if not record.payee:
        return None
    return {key: record.payee.get(key) for key in ("name", "iban", "bic")}
