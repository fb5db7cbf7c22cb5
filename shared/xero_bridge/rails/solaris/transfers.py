"""Our SEPA credit transfer, and what Solaris's word about it means for the payment.

The body is rebuilt from the payment each time it is sent, so every send of one payment is
byte for byte the same request: the same ``reference`` (Solaris's idempotency key, derived
from the payment), amount in integer cents, payee, end-to-end id.

| Solaris says | the payment |
|---|---|
| transfer ``created``, ``accepted``, ``scheduled``, ``review_needed`` | ``executing`` |
| a change request not yet confirmed; transfer ``*_required`` | ``awaiting_confirmation`` |
| transfer ``executed`` (booked) | ``settled`` |
| transfer ``declined`` | ``failed``, with Solaris's ``rejection_reason`` |
| transfer ``canceled`` | ``cancelled`` |
| change request ``FAILED`` (too many wrong TANs) | ``failed``: nothing was sent |
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from xero_bridge.payments import keys
from xero_bridge.payments.money import minor_units
from xero_bridge.persistence.payments import PaymentRecord
from xero_bridge.rails.base import RailOutcome
from xero_bridge.rails.errors import DeclinedError, failure_of

MAX_DESCRIPTION = 140  # SEPA remittance information
EXECUTING = frozenset({"created", "accepted", "scheduled", "review_needed"})
WAITING = frozenset({"authorization_required", "confirmation_required"})


def send_name(record: PaymentRecord) -> str:
    """The name the transfer goes out under: the accepted suggestion, else the payee's."""
    payee = record.payee or {}
    return record.accepted_payee_name or str(payee.get("name") or "")


def description(record: PaymentRecord) -> str:
    """The remittance information the payee sees: the caller's reference, else the bill."""
    text = record.reference or f"Invoice {record.invoice_number or record.invoice_id}"
    return text[:MAX_DESCRIPTION]


def body_of(record: PaymentRecord, change_requests: bool) -> dict[str, Any]:
    payee = record.payee or {}
    assert record.rail_key, "a Solaris payment has its reference from the start"
    body: dict[str, Any] = {
        "amount": {"value": minor_units(record.amount), "unit": "cents", "currency": "EUR"},
        "recipient_iban": payee.get("iban"),
        "recipient_name": send_name(record),
        "description": description(record),
        "end_to_end_id": keys.end_to_end_id(record.rail_key),
        "reference": record.rail_key,
        "change_request_enabled": change_requests,
        "verification_of_payee_id": (record.payee_verification or {}).get("id"),
    }
    if payee.get("bic"):
        body["recipient_bic"] = payee["bic"]
    return body


def waiting(change_request: dict[str, Any], tan_expires_at: str | None = None) -> RailOutcome:
    """A change request that waits for its TAN."""
    data: dict[str, Any] = {
        "change_request_id": change_request.get("id"),
        "change_request_status": change_request.get("status"),
    }
    if tan_expires_at:
        data["tan_expires_at"] = tan_expires_at
    return RailOutcome(
        state="awaiting_confirmation",
        rail_status=str(change_request.get("status") or "AUTHORIZATION_REQUIRED"),
        data=data,
        details={"change_request_id": change_request.get("id")},
    )


def outcome_of(transfer: dict[str, Any], booking: dict[str, Any] | None = None) -> RailOutcome:
    """What a transfer's status means for the payment (see the table above)."""
    status = str(transfer.get("status") or "").lower()
    transfer_id = str(transfer.get("id") or "") or None
    common: dict[str, Any] = {"rail_status": status, "rail_reference": transfer_id}
    if status == "executed":
        booked = (booking or {}).get("booking_date") or datetime.now(UTC).date().isoformat()
        booking_id = (booking or {}).get("id")
        return RailOutcome(
            state="settled",
            settled_on=str(booked),
            data={"booking_id": booking_id},
            details={"transaction_id": transfer_id, "booking_id": booking_id, "booked": booked},
            **common,
        )
    if status == "declined":
        reason = str(transfer.get("rejection_reason") or "declined")
        error = DeclinedError(f"Solaris declined the transfer: {reason}", [{"reason": reason}])
        return RailOutcome(state="failed", failure=failure_of(error), details={"reason": reason},
                           **common)  # fmt: skip
    if status == "canceled":
        return RailOutcome(state="cancelled", details={"transaction_id": transfer_id}, **common)
    if status in WAITING:
        return RailOutcome(state="awaiting_confirmation", **common)
    return RailOutcome(state="executing", details={"transaction_id": transfer_id}, **common)
