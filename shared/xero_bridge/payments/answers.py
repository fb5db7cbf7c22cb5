"""What the payment actions answer: the API's output models and the results of the actions.

Money is a decimal string with exactly 2 decimals, dates ISO 8601, fields snake_case. Every
answer about a payment carries `payment_id`, `status`, `rail`, `rail_status`,
`rail_reference`, `amount`, `invoice_id` (the API's promise to frontends).

The actions answer `PaymentResult` (the payment and what the request achieved) or `BatchOut`;
these are also what Powertools idempotency stores for a request and rebuilds for its repeats
(`idempotency.run_once`), so a repeat answers the same bytes. Which HTTP status an outcome is
only the handler knows.
"""

from __future__ import annotations

from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field

from xero_bridge.payments.lifecycle import Status
from xero_bridge.payments.money import money_text
from xero_bridge.persistence.audit import AuditEntry
from xero_bridge.persistence.payments import PaymentRecord

MONEY = r"^\d+\.\d{2}$"


def _omitted_when_none(value: Any) -> bool:
    return value is None


class PayeeOut(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    name: str = Field(description="The name the transfer goes out under")
    iban: str
    bic: str | None = None
    source: str = Field(description="`contact` (its bank details in Xero) or `request`")
    contact_id: str | None = None


class PayeeVerificationOut(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    status: str = Field(
        description="`MATCH`, `CLOSE_MATCH` (an approver must accept `suggested_name`),"
        " `NO_MATCH` (refused), `VERIFICATION_NOT_POSSIBLE` or `VERIFICATION_NOT_SUPPORTED`"
        " (an approver must approve)"
    )
    name: str = Field(description="The name that was verified")
    suggested_name: str | None = Field(description="The account holder's name, for CLOSE_MATCH")
    verified_at: str | None = None
    expires_at: str | None = None


class PaymentOut(BaseModel):
    """A payment as the API answers it."""

    model_config = ConfigDict(frozen=True)

    payment_id: str = Field(description="Our id (derived from the tenant and Idempotency-Key)")
    status: Status
    rail: str = Field(
        description="Where the payment is executed: `xero` records it in Xero; `solaris_sepa`"
        " pays it by SEPA credit transfer, then records it in Xero"
    )
    rail_status: str | None = Field(
        description="The provider's own status, e.g. Solaris's `accepted`, `executed`,"
        " `declined`, or its change request's `CONFIRMATION_REQUIRED` (null for `xero`)"
    )
    rail_reference: str | None = Field(
        description="The provider's id: Solaris's transaction id once the transfer exists"
        " (null for `xero`)"
    )
    payee: PayeeOut | None = Field(
        None, description="Who is paid (money-moving rails): the name and IBAN sent"
    )
    payee_verification: PayeeVerificationOut | None = Field(
        None, description="Verification of Payee, as last made (Solaris)"
    )
    accepted_payee_name: str | None = Field(
        None, description="The suggested name an approver accepted (a CLOSE_MATCH)"
    )
    tan_awaited: bool = Field(
        False, description="Whether the payment waits for a TAN: POST …/confirm {tan}"
    )
    tan_expires_at: str | None = Field(
        None, description="When the TAN sent last stops working (about; then confirm again)"
    )
    settled_on: str | None = Field(None, description="The day the bank booked the money")
    kind: str | None = Field(description="`receive` (a sales invoice) or `pay` (a bill)")
    invoice_id: str | None
    invoice_number: str | None
    account_id: str | None
    account_code: str | None
    amount: str = Field(pattern=MONEY, examples=["100.00"])
    currency_code: str | None
    currency_rate: str | None = Field(description="As sent, a decimal string")
    date: str = Field(description="The payment date, YYYY-MM-DD")
    reference: str | None = Field(description="The caller's reference")
    xero_reference: str | None = Field(description="The Reference Xero holds (ours + xb:<tag>)")
    xero_payment_id: str | None
    xero_status: str | None
    batch_id: str | None
    submitted_by: str
    submitted_at: str
    approved_by: str | None
    approved_at: str | None
    rejected_by: str | None
    rejected_at: str | None
    reversed_by: str | None
    reversed_at: str | None
    failure: list[dict[str, Any]] | None = Field(description="Why it failed (Xero's messages)")

    @classmethod
    def of(cls, record: PaymentRecord) -> PaymentOut:
        return cls(**cls._fields_of(record))

    @classmethod
    def _fields_of(cls, record: PaymentRecord) -> dict[str, Any]:
        computed = {"tan_awaited", "tan_expires_at"}
        fields = {
            name: getattr(record, name) for name in PaymentOut.model_fields if name not in computed
        }
        fields["amount"] = money_text(record.amount)
        rate = record.currency_rate
        fields["currency_rate"] = None if rate is None else str(rate)
        waiting = record.status == "awaiting_confirmation"
        fields["tan_awaited"] = waiting
        fields["tan_expires_at"] = (
            (record.rail_data or {}).get("tan_expires_at") if waiting else None
        )
        return fields


class PaymentReadOut(PaymentOut):
    """A payment as the history answers it: joined with Xero's current status."""

    xero_status_checked: bool = Field(description="Whether Xero answered for this read")
    xero_updated_date: str | None = Field(
        None,
        exclude_if=_omitted_when_none,
        description="When Xero last changed the payment (when Xero said)",
    )

    @classmethod
    def read(
        cls,
        record: PaymentRecord,
        *,
        checked: bool,
        xero_status: str | None,
        updated: str | None,
        **extra: Any,
    ) -> Self:
        """`record` with what Xero said about it (`checked`: whether Xero answered)."""
        fields = {**cls._fields_of(record), "xero_status": xero_status, **extra}
        return cls(**fields, xero_status_checked=checked, xero_updated_date=updated)


class AuditEntryOut(BaseModel):
    model_config = ConfigDict(frozen=True)

    action: str
    actor: str
    at: str
    xero_payment_id: str | None

    @classmethod
    def of(cls, entry: AuditEntry) -> AuditEntryOut:
        return cls(
            action=entry.action,
            actor=entry.actor,
            at=entry.at,
            xero_payment_id=entry.xero_payment_id,
        )


class PaymentDetailOut(PaymentReadOut):
    """One payment with its audit trail, oldest first."""

    audit: list[AuditEntryOut]


class PaymentListOut(BaseModel):
    model_config = ConfigDict(frozen=True)

    payments: list[PaymentReadOut] = Field(description="Newest first")
    page: str | None = Field(description="The cursor this page was asked with")
    next_page: str | None = Field(description="Pass as `page` for the next page; null at the end")


class PaymentResult(BaseModel):
    """What one action did: the payment, and the outcome the caller is told.

    `outcome` is ``recorded`` when the payment is (or was) recorded in Xero, ``pending_approval``
    while it waits for a second person, otherwise the payment's status.
    """

    model_config = ConfigDict(frozen=True)

    payment: PaymentOut
    outcome: Status

    @classmethod
    def of(cls, record: PaymentRecord, outcome: Status | None = None) -> PaymentResult:
        return cls(payment=PaymentOut.of(record), outcome=outcome or record.status)  # type: ignore[arg-type]

    @classmethod
    def as_found(cls, record: PaymentRecord) -> PaymentResult:
        """The outcome a repeated request learns from a payment as it is now."""
        if record.status == "pending_approval":
            return cls.of(record, "pending_approval")
        if record.status == "recorded" or record.xero_payment_id:
            return cls.of(record, "recorded")
        return cls.of(record)


# ---------------------------------------------------------------------------- batches
class ItemErrorOut(BaseModel):
    model_config = ConfigDict(frozen=True)

    status: int = Field(description="The HTTP status this item alone would have been answered")
    code: str
    message: str
    details: list[Any]


class BatchItemOut(BaseModel):
    model_config = ConfigDict(frozen=True)

    index: int = Field(description="The item's position in the request")
    status: str = Field(description="The payment's status, or `invalid` for a malformed item")
    payment: PaymentOut | None = Field(default=None, exclude_if=_omitted_when_none)
    error: ItemErrorOut | None = Field(default=None, exclude_if=_omitted_when_none)


class BatchOut(BaseModel):
    model_config = ConfigDict(frozen=True)

    batch_id: str
    results: list[BatchItemOut] = Field(description="One per item, in the request's order")
    summary: dict[str, int] = Field(description="How many items ended in each status")
