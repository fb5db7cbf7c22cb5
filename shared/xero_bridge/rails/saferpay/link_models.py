"""What a card payment link request sends and what the API answers about a link.

A link's status is its payment's, in words for the person who sent the link:

| payment | link |
|---|---|
| ``submitted`` (Saferpay's answer not known yet) | ``pending`` |
| ``executing``, the page open (before its expiry) | ``open`` |
| ``executing``, past the page's expiry or a transaction in progress | ``pending`` |
| ``settled`` (captured) · ``recorded`` (and in Xero) | ``paid`` (`recorded_in_xero` says which) |
| ``failed`` (declined, 3-D Secure failed, the invoice paid meanwhile) | ``failed``, with `reason` |
| ``cancelled``: the page expired · the payer cancelled | ``expired`` · ``cancelled`` (`reason`) |
| ``reversed`` (the Xero record undone) | ``reversed`` |
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import Field, field_validator

from xero_bridge.api_models import ApiAnswer, ApiRequest
from xero_bridge.payments.fields import Amount, no_control_characters
from xero_bridge.payments.lifecycle import Status
from xero_bridge.payments.money import money_text
from xero_bridge.persistence.payment_links import PaymentLinkRecord
from xero_bridge.persistence.payments import PaymentRecord

MONEY = r"^\d+\.\d{2}$"
LinkStatus = Literal["pending", "open", "paid", "failed", "expired", "cancelled", "reversed"]
ENDINGS = {
    "TOKEN_EXPIRED": ("expired", "the payment page expired before the card was paid"),
    "TRANSACTION_ABORTED": ("cancelled", "the payer cancelled on the payment page"),
}


class PaymentLinkRequest(ApiRequest):
    """`{amount?, description?, note_on_invoice?}` (the body may be left out: the whole
    amount due, no note)."""

    amount: Amount | None = Field(
        None,
        description="What the card pays: at most the amount due, a decimal string with at most"
        " 2 decimals (default: the whole amount due). Less leaves the rest due.",
    )
    description: str | None = Field(
        None,
        min_length=1,
        max_length=200,
        description="What the payer sees on the payment page (default: `Invoice <number>`)",
    )

    note_on_invoice: bool = Field(
        False,
        description="Also write the link into the Xero invoice's history (a note), where"
        " the people who work in Xero see it",
    )

    @field_validator("description")
    @classmethod
    def _description(cls, value: str | None) -> str | None:
        return value if value is None else no_control_characters(value)

    def canonical(self) -> dict[str, Any]:
        canonical: dict[str, Any] = {
            "amount": None if self.amount is None else money_text(self.amount),
            "description": self.description,
        }
        if self.note_on_invoice:  # left out when false: older links keep their fingerprint
            canonical["note_on_invoice"] = True
        return canonical


class LinkReasonOut(ApiAnswer):
    code: str = Field(description="e.g. `declined`, `expired`, `cancelled`, `amount_due_changed`")
    message: str = Field(description="For a person")


class PaymentLinkOut(ApiAnswer):
    """A card payment link as the API answers it."""

    payment_link_id: str = Field(description="Our id of the link (Saferpay's OrderId)")
    redirect_url: str | None = Field(
        description="Saferpay's payment page: send it to the payer (null until Saferpay answered)"
    )
    expires_at: str | None = Field(description="When the payment page stops taking payments")
    status: LinkStatus
    reason: LinkReasonOut | None = Field(description="Why it failed, expired or was cancelled")
    invoice_id: str
    invoice_number: str | None
    amount: str = Field(pattern=MONEY, examples=["249.90"])
    currency_code: str
    payment_id: str = Field(description="The card payment (GET …/payments/{id} for its audit)")
    payment_status: Status
    transaction_id: str | None = Field(description="Saferpay's transaction id, once there is one")
    recorded_in_xero: bool = Field(description="Whether the receipt is recorded in Xero")
    xero_payment_id: str | None
    created_by: str
    created_at: str

    @classmethod
    def of(cls, link: PaymentLinkRecord, payment: PaymentRecord) -> PaymentLinkOut:
        data = payment.rail_data or {}
        status, reason = link_status(payment)
        return cls(
            payment_link_id=link.link_id,
            redirect_url=data.get("redirect_url"),
            expires_at=data.get("expires_at"),
            status=status,
            reason=reason,
            invoice_id=link.invoice_id,
            invoice_number=payment.invoice_number,
            amount=money_text(payment.amount),
            currency_code=link.currency_code,
            payment_id=payment.payment_id,
            payment_status=payment.status,  # type: ignore[arg-type]
            transaction_id=payment.rail_reference,
            recorded_in_xero=payment.xero_payment_id is not None,
            xero_payment_id=payment.xero_payment_id,
            created_by=link.created_by,
            created_at=link.created_at,
        )


def link_status(
    payment: PaymentRecord, now: datetime | None = None
) -> tuple[LinkStatus, LinkReasonOut | None]:
    """The link's status and reason from its payment (see the table above)."""
    status = payment.status
    if status in ("settled", "recorded"):
        return "paid", None
    if status == "reversed":
        return "reversed", None
    if status == "failed":
        first = (payment.failure or [{}])[0]
        code = str(first.get("code") or "failed")
        return "failed", LinkReasonOut(code=code, message=str(first.get("message") or code))
    if status == "cancelled":
        word, message = ENDINGS.get(str(payment.rail_status), ("cancelled", "cancelled"))
        return word, LinkReasonOut(code=word, message=message)  # type: ignore[return-value]
    if status == "executing" and payment.rail_status == "TRANSACTION_NOT_STARTED":
        return ("open" if not _expired(payment, now) else "pending"), None
    return "pending", None


def _expired(payment: PaymentRecord, now: datetime | None) -> bool:
    expires = (payment.rail_data or {}).get("expires_at")
    try:
        moment = datetime.fromisoformat(str(expires).replace("Z", "+00:00"))
    except ValueError:
        return False
    return (now or datetime.now(UTC)) >= moment
