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

from pydantic import Field

from xero_bridge.api_models import ApiAnswer
from xero_bridge.payments.lifecycle import Status
from xero_bridge.payments.money import money_text
from xero_bridge.persistence.audit import AuditEntry
from xero_bridge.persistence.payments import PaymentRecord

MONEY = r"^\d+\.\d{2}$"


def _omitted_when_none(value: Any) -> bool:
    return value is None


class PayeeOut(ApiAnswer):
    name: str = Field(description="The name the transfer goes out under")
    iban: str
    bic: str | None = None
    source: str = Field(description="`contact` (its bank details in Xero) or `request`")
    contact_id: str | None = None


class PayeeVerificationOut(ApiAnswer):
    status: str = Field(
        description="`MATCH`, `CLOSE_MATCH` (an approver must accept `suggested_name`),"
        " `NO_MATCH` (refused), `VERIFICATION_NOT_POSSIBLE` or `VERIFICATION_NOT_SUPPORTED`"
        " (an approver must approve)"
    )
    name: str = Field(description="The name that was verified")
    suggested_name: str | None = Field(description="The account holder's name, for CLOSE_MATCH")
    verified_at: str | None = None
    expires_at: str | None = None


class CryptoAddressOut(ApiAnswer):
    payout_address_id: str
    address: str
    tag: str | None = None
    label: str | None = None
    contact_id: str
    contact_name: str | None = None
    added_by: str = Field(description="Who added the address to the book")
    approved_by: str | None = Field(description="The second person who approved the address")
    approved_at: str | None = None


class CryptoQuoteOut(ApiAnswer):
    quote_id: str = Field(description="Approve the payment with this `quote_id`")
    pair: str = Field(examples=["USDT-USD"])
    price: str = Field(description="OKX's last price: the bill's currency per 1 crypto unit")
    price_at: str = Field(description="When OKX's market had that price")
    quoted_at: str
    expires_at: str = Field(description="After this an approval gets a new quote instead")
    amount: str = Field(pattern=MONEY, description="The bill's amount paid, in its currency")
    currency: str
    crypto_amount: str = Field(description="amount / price, rounded down to `tick_size`")
    tick_size: str
    fee: str = Field(description="OKX's network fee, in `fee_ccy`, on top of `crypto_amount`")
    fee_ccy: str
    fee_in_currency: str = Field(pattern=MONEY, description="The fee at `price`, in `currency`")
    min_withdrawal: str
    total_debit: str = Field(description="What leaves the OKX account: amount and fee")


class WithdrawalOut(ApiAnswer):
    wd_id: str
    client_id: str | None = None
    state: str = Field(description="OKX's withdrawal state, e.g. `0`, `4`, `1`, `2`, `-1`")
    state_label: str
    stage: str = Field(description="`pending`, `in_progress` or `final`")
    manual_review: bool = Field(description="Waiting for OKX's manual review")
    tx_id: str | None = Field(None, description="The chain's transaction id, once broadcast")
    fee: str | None = None
    fee_ccy: str | None = None
    read_at: str | None = None


class FeeBookingOut(ApiAnswer):
    status: str = Field(
        description="`booked` (a spend-money transaction in Xero), `not_configured` (no fee"
        " account: kept here only), `refused` (Xero refused it: `reason`), `nothing_to_book`"
    )
    fee: str
    fee_ccy: str | None = None
    amount: str = Field(description="The fee in the bill's currency")
    currency: str | None = None
    account_code: str | None = None
    bank_transaction_id: str | None = None
    reason: dict[str, Any] | None = None


class CryptoOut(ApiAnswer):
    """An `okx` payment: where it goes, the quote approved (or to approve), the withdrawal."""

    ccy: str
    chain: str
    address: CryptoAddressOut
    quote: CryptoQuoteOut
    withdrawal: WithdrawalOut | None = None
    fee_booking: FeeBookingOut | None = None

    @classmethod
    def of(cls, record: PaymentRecord) -> CryptoOut | None:
        data = record.rail_data or {}
        if record.rail != "okx" or not data.get("quote") or not data.get("address"):
            return None
        quote = data["quote"]
        return cls(ccy=quote["ccy"], chain=quote["chain"], address=data["address"],
                   quote=quote, withdrawal=data.get("withdrawal") or None,
                   fee_booking=data.get("fee_booking") or None)  # fmt: skip


class PaymentOut(ApiAnswer):
    """A payment as the API answers it."""

    payment_id: str = Field(description="Our id (derived from the tenant and Idempotency-Key)")
    status: Status
    rail: str = Field(
        description="Where the payment is executed: `xero` records it in Xero; `solaris_sepa`"
        " pays it by SEPA credit transfer, `okx` by a crypto withdrawal, `gocardless` collects"
        " it by direct debit, then each records it in Xero; `saferpay` is a card payment taken"
        " by a payment link, recorded in Xero once Saferpay captured it"
    )
    rail_status: str | None = Field(
        description="The provider's own status, e.g. Solaris's `accepted`, `executed`,"
        " `declined`, or its change request's `CONFIRMATION_REQUIRED`; Saferpay's `CAPTURED`"
        " or the ErrorName that ended a card payment; GoCardless's `pending_submission`,"
        " `submitted`, `confirmed`, `paid_out`, `failed`, `charged_back` (null for `xero`)"
    )
    rail_reference: str | None = Field(
        description="The provider's id: Solaris's or Saferpay's transaction id once there is"
        " one, GoCardless's payment id (PM…) (null for `xero`)"
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
    settled_on: str | None = Field(
        None, description="The day the bank booked the money (a direct debit's charge date)"
    )
    crypto: CryptoOut | None = Field(
        None, description="`okx`: the payout address, the quote and the withdrawal's progress"
    )
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
        computed = {"tan_awaited", "tan_expires_at", "crypto"}
        fields = {
            name: getattr(record, name) for name in PaymentOut.model_fields if name not in computed
        }
        fields["amount"] = money_text(record.amount)
        rate = record.currency_rate
        fields["currency_rate"] = None if rate is None else str(rate)
        waiting = record.status == "awaiting_confirmation"
        fields["crypto"] = CryptoOut.of(record)
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


class AuditEntryOut(ApiAnswer):
    action: str
    actor: str
    at: str
    xero_payment_id: str | None
    details: dict[str, Any] = Field(
        default_factory=dict,
        description="What the step said: e.g. a quote's rate and amounts, the address and its"
        " approval, a withdrawal's state and fee, a provider's reasons",
    )

    @classmethod
    def of(cls, entry: AuditEntry) -> AuditEntryOut:
        return cls(
            action=entry.action,
            actor=entry.actor,
            at=entry.at,
            xero_payment_id=entry.xero_payment_id,
            details=dict(entry.details),
        )


class PaymentDetailOut(PaymentReadOut):
    """One payment with its audit trail, oldest first."""

    audit: list[AuditEntryOut]


class PaymentListOut(ApiAnswer):
    payments: list[PaymentReadOut] = Field(description="Newest first")
    page: str | None = Field(description="The cursor this page was asked with")
    next_page: str | None = Field(description="Pass as `page` for the next page; null at the end")


class PaymentResult(ApiAnswer):
    """What one action did: the payment, and the outcome the caller is told.

    `outcome` is ``recorded`` when the payment is (or was) recorded in Xero, ``pending_approval``
    while it waits for a second person, otherwise the payment's status.
    """

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
class ItemErrorOut(ApiAnswer):
    status: int = Field(description="The HTTP status this item alone would have been answered")
    code: str
    message: str
    details: list[Any]


class BatchItemOut(ApiAnswer):
    index: int = Field(description="The item's position in the request")
    status: str = Field(description="The payment's status, or `invalid` for a malformed item")
    payment: PaymentOut | None = Field(default=None, exclude_if=_omitted_when_none)
    error: ItemErrorOut | None = Field(default=None, exclude_if=_omitted_when_none)


class BatchOut(ApiAnswer):
    batch_id: str
    results: list[BatchItemOut] = Field(description="One per item, in the request's order")
    summary: dict[str, int] = Field(description="How many items ended in each status")
