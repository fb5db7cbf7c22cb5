"""Our Payment Page request, and what Saferpay's word about it means for the payment.

The Initialize body is rebuilt from the payment each time it is sent, so every send of one
link is the same request (Saferpay requires a repeat to carry the same body as its first
attempt): the amount in minor units, our link id as the OrderId, the description, and the
return and notification URLs fixed when the link was made.

| Saferpay says | the payment |
|---|---|
| Initialize answered (a token) · Assert ``TRANSACTION_NOT_STARTED`` | ``executing`` (page open) |
| Assert ``AUTHORIZED`` | captured first (see `rail`), then as the capture says |
| Capture ``CAPTURED`` · Assert ``CAPTURED`` | ``settled`` (then recorded in Xero) |
| Capture or Assert ``PENDING`` | ``executing`` |
| Assert ``TOKEN_EXPIRED`` · ``TRANSACTION_ABORTED`` (the payer cancelled) | ``cancelled`` |
| Assert ``TRANSACTION_DECLINED``, ``3DS_AUTHENTICATION_FAILED``, … · ``CANCELED`` | ``failed`` |
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from xero_bridge.errors import ServiceUnavailableError, UpstreamError, ValidationFailedError
from xero_bridge.persistence.payments import PaymentRecord
from xero_bridge.rails.base import RailOutcome
from xero_bridge.rails.errors import DeclinedError, SaferpayRefusedError, failure_of
from xero_bridge.rails.saferpay.amounts import major_units, minor_units
from xero_bridge.rails.saferpay.client import SaferpayApiError

NOT_STARTED = "TRANSACTION_NOT_STARTED"
# Saferpay ends an unpaid page itself (TOKEN_EXPIRED); should it keep saying "not started"
# long after the page expired, the link is given up, so no payment stays open for ever.
GIVE_UP_AFTER = timedelta(hours=1)
ENDED_BY_PAYER = {"TOKEN_EXPIRED", "TRANSACTION_ABORTED"}
_EXTRA_DETAILS = {
    "PayerMessage": "payer_message",
    "ProcessorMessage": "processor_message",
    "ProcessorResult": "processor_result",
}


def initialize_body(payment: PaymentRecord) -> dict[str, Any]:
    data = payment.rail_data or {}
    currency = str(payment.currency_code)
    notify = str(data["notify_url"])
    return {
        "Payment": {
            "Amount": {"Value": minor_units(payment.amount, currency), "CurrencyCode": currency},
            "OrderId": payment.rail_key,
            "Description": str(data["description"]),
        },
        "ReturnUrl": {"Url": str(data["return_url"])},
        "Notification": {"SuccessNotifyUrl": notify, "FailNotifyUrl": notify},
    }


def initialized(answer: dict[str, Any]) -> RailOutcome:
    token, redirect, expiration = (answer.get(k) for k in ("Token", "RedirectUrl", "Expiration"))
    if not (token and redirect and expiration):
        raise UpstreamError("Saferpay's Initialize answer has no token, page or expiry")
    return RailOutcome(
        state="executing",
        rail_status=NOT_STARTED,
        data={"token": token, "redirect_url": redirect, "expires_at": expiration},
        details={"expires_at": expiration},
        how="initialized",
    )


def refused(
    error: SaferpayApiError, what: str, kind: type[ValidationFailedError] = SaferpayRefusedError
) -> RailOutcome:
    """Saferpay said no for good (DO_NOT_RETRY, OTHER_MEANS): the payment fails with why —
    `kind` is the code it keeps (``declined`` for the card itself)."""
    reason = kind(
        f"{what}: {error.extra.get('PayerMessage') or error.message or error.name}",
        [_error_details(error)],
    )
    return RailOutcome(
        state="failed",
        rail_status=error.name,
        rail_reference=error.transaction_id,
        failure=failure_of(reason),
        details={"error_name": error.name, "behavior": error.behavior},
    )


def of_assert_error(error: SaferpayApiError, payment: PaymentRecord) -> RailOutcome | None:
    """What an Assert refused means: None while the page is still open (nothing to move)."""
    if error.name == NOT_STARTED:
        if not _long_expired(payment):
            return None
        return RailOutcome(state="cancelled", rail_status="TOKEN_EXPIRED", how="given_up")
    if error.name in ENDED_BY_PAYER:
        return RailOutcome(
            state="cancelled", rail_status=error.name, details={"error_name": error.name}
        )
    if error.behavior == "RETRY_LATER":
        raise ServiceUnavailableError(f"Saferpay says to ask again later ({error.name})")
    return refused(error, "the card payment failed", DeclinedError)


def of_transaction(
    transaction: dict[str, Any], payment: PaymentRecord, capture: dict[str, Any] | None = None
) -> RailOutcome:
    """A transaction Saferpay showed (by Assert, or just captured): see the table above."""
    status = str(transaction.get("Status") or "")
    transaction_id = str(transaction.get("Id") or "") or None
    common: dict[str, Any] = {"rail_status": status, "rail_reference": transaction_id}
    if status == "CAPTURED":
        captured_at = str((capture or {}).get("Date") or transaction.get("Date") or "")
        capture_id = (capture or {}).get("CaptureId") or transaction.get("CaptureId")
        return RailOutcome(
            state="settled",
            settled_on=captured_at[:10] or datetime.now(UTC).date().isoformat(),
            data={"capture_id": capture_id},
            details={"transaction_id": transaction_id, "capture_id": capture_id},
            **common,
        )
    if status == "CANCELED":
        error = DeclinedError("the card authorisation was cancelled: the card was not charged")
        return RailOutcome(state="failed", failure=failure_of(error), **common)
    return RailOutcome(state="executing", details={"transaction_id": transaction_id}, **common)


def check_amount(transaction: dict[str, Any], payment: PaymentRecord) -> None:
    """The authorised amount is the link's, in its currency (else nothing is captured)."""
    amount = transaction.get("Amount") or {}
    currency = str(amount.get("CurrencyCode") or "")
    if currency != payment.currency_code or (
        major_units(amount.get("Value"), currency) != payment.amount
    ):
        raise UpstreamError(
            f"Saferpay shows {amount.get('Value')} {currency} for a link of"
            f" {payment.amount} {payment.currency_code}: not captured"
        )


def _long_expired(payment: PaymentRecord) -> bool:
    expires = (payment.rail_data or {}).get("expires_at")
    try:
        moment = datetime.fromisoformat(str(expires).replace("Z", "+00:00"))
    except ValueError:
        return False
    return datetime.now(UTC) > moment + GIVE_UP_AFTER


def _error_details(error: SaferpayApiError) -> dict[str, Any]:
    details: dict[str, Any] = {"error_name": error.name, "behavior": error.behavior}
    for key, name in _EXTRA_DETAILS.items():
        if error.extra.get(key):
            details[name] = error.extra[key]
    if error.detail:
        details["detail"] = error.detail
    return details
