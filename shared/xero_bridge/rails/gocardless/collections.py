"""Our GoCardless payment (a collection against the customer's mandate), and what
GoCardless's word about it means for our payment.

The body is rebuilt from our payment each time it is sent, and its Idempotency-Key is derived
from the payment's rail key, so every send of one payment asks GoCardless for the same
payment: the amount due in minor units, the mandate, the charge date (our payment's date when
later than today; else GoCardless's earliest), and our ids in its ``metadata`` — which is how
a webhook about it finds our payment again, recorded or not.

| GoCardless says | the payment |
|---|---|
| ``pending_customer_approval``, ``pending_submission``, ``submitted`` | ``executing`` |
| ``confirmed``, ``paid_out`` (the money is collected) | ``settled``, then recorded in Xero |
| ``failed``, ``customer_approval_denied`` | ``failed``: nothing in Xero |
| ``cancelled`` | ``cancelled``: nothing in Xero |
| ``charged_back`` before we recorded it | ``failed``: nothing in Xero |
| ``charged_back``, ``failed`` (a late failure) after we recorded it | reversed (`chargebacks`) |
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from xero_bridge.persistence.payments import PaymentRecord
from xero_bridge.rails.base import RailOutcome
from xero_bridge.rails.errors import ChargedBackError, CollectionFailedError, failure_of
from xero_bridge.rails.gocardless.api import idempotency_key, minor_units

RAIL = "gocardless"
MAX_DESCRIPTION = 140
EXECUTING = frozenset({"pending_customer_approval", "pending_submission", "submitted"})
COLLECTED = frozenset({"confirmed", "paid_out"})
FAILED = frozenset({"failed", "customer_approval_denied", "charged_back"})
# What GoCardless can say of a payment after it was collected: the money went back.
TAKEN_BACK = frozenset({"charged_back", "failed"})

# Our ids in a GoCardless payment's metadata (GoCardless allows three keys).
TENANT_KEY, PAYMENT_KEY, INVOICE_KEY = "xb_tenant_id", "xb_payment_id", "xb_invoice_id"


def payment_key(record: PaymentRecord) -> str:
    assert record.rail_key, "a GoCardless payment has its reference from the start"
    return idempotency_key("payment", record.rail_key)


def description(record: PaymentRecord) -> str:
    """What the customer sees on the notice and their statement: the caller's reference,
    else the invoice."""
    text = record.reference or f"Invoice {record.invoice_number or record.invoice_id}"
    return text[:MAX_DESCRIPTION]


def metadata_of(record: PaymentRecord) -> dict[str, str]:
    return {
        TENANT_KEY: record.tenant_id,
        PAYMENT_KEY: record.payment_id,
        INVOICE_KEY: str(record.invoice_id or ""),
    }


def ours(payment: dict[str, Any]) -> tuple[str, str] | None:
    """(tenant, payment id) a GoCardless payment's metadata names, if it is one of ours."""
    metadata = payment.get("metadata") or {}
    tenant, payment_id = metadata.get(TENANT_KEY), metadata.get(PAYMENT_KEY)
    if not isinstance(tenant, str) or not isinstance(payment_id, str) or not tenant:
        return None
    return (tenant, payment_id) if payment_id else None


def body_of(record: PaymentRecord, today: str | None = None) -> dict[str, Any]:
    data = record.rail_data or {}
    body: dict[str, Any] = {
        "amount": minor_units(record.amount),
        "currency": record.currency_code,
        "description": description(record),
        "metadata": metadata_of(record),
        "links": {"mandate": data.get("mandate_id")},
    }
    if record.date > (today or datetime.now(UTC).date().isoformat()):
        body["charge_date"] = record.date
    return body


def outcome_of(payment: dict[str, Any], cause: dict[str, Any] | None = None) -> RailOutcome:
    """What a GoCardless payment's status means for our payment (the table above); `cause`
    is the event's details that say why it failed, when known."""
    status = str(payment.get("status") or "")
    payment_id = str(payment.get("id") or "") or None
    common: dict[str, Any] = {"rail_status": status, "rail_reference": payment_id}
    charge_date = payment.get("charge_date")
    details: dict[str, Any] = {"gocardless_payment": payment_id, "charge_date": charge_date}
    if status in COLLECTED:
        return RailOutcome(state="settled", settled_on=charge_date, details=details, **common)
    if status == "cancelled":
        return RailOutcome(state="cancelled", details=details, **common)
    if status in FAILED:
        error = _failure(status, cause or {})
        return RailOutcome(state="failed", failure=failure_of(error),
                           details={**details, **_why(cause)}, **common)  # fmt: skip
    return RailOutcome(state="executing", details=details, **common)


def _why(cause: dict[str, Any] | None) -> dict[str, Any]:
    cause = cause or {}
    return {k: cause.get(k) for k in ("origin", "cause", "reason_code") if cause.get(k)}


def _failure(status: str, cause: dict[str, Any]) -> CollectionFailedError | ChargedBackError:
    said = str(cause.get("description") or "").strip()
    reason = [{"gocardless_status": status, **_why(cause)}]
    if status == "charged_back":
        return ChargedBackError(
            "the customer's bank took the money back (a charge-back): nothing was recorded"
            + (f" — GoCardless: {said}" if said else ""),
            reason,
        )
    if status == "customer_approval_denied":
        return CollectionFailedError("the customer did not approve the payment", reason)
    return CollectionFailedError(
        "the direct debit failed" + (f" — GoCardless: {said}" if said else ""), reason
    )
