"""`OkxRail` (``okx``): a bill paid in crypto by an OKX withdrawal to an approved payout
address, at a quote the approver saw, recorded in Xero once the chain confirms it.

- **check** (before the payment is stored): a bill (ACCPAY), recorded against the rail's
  Xero clearing account in the bill's currency; the payout address approved in the book
  (`crypto.address_id`), the bill's supplier's, for that currency and chain — refused
  before OKX is called otherwise; then the quote (`quote`). Every OKX payment waits for a
  second person: the approval is of the quote.
- **accept** (the approval): the approver names the quote they saw (`quote_id`); an expired
  quote is replaced by a new one to approve (422 ``quote_expired``), so nothing moves on a
  stale price.
- **preflight**: the address still approved, the quote still fresh, OKX's available balance
  covering the amount and the fee (422 ``insufficient_funds``: nothing approved).
- **execute**: the withdrawal (`withdrawals.body_of`), its clientId derived from the payment.
  A lost answer, or OKX saying the clientId exists, is looked up by clientId: never a second
  withdrawal. OKX's refusals become coded 422s with OKX's own reason.
- **refresh**: the withdrawal read by wdId (by clientId when its answer was lost): success
  settles the payment (its fee booked in Xero first, when a fee account is configured),
  failure or cancellation ends it, nothing in Xero.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from xero_bridge.errors import ValidationFailedError, XeroBridgeError
from xero_bridge.observability import logger
from xero_bridge.persistence.payments import PaymentRecord
from xero_bridge.rails.base import RailCheck, RailOutcome
from xero_bridge.rails.errors import (
    BelowMinimumWithdrawalError,
    CurrencyNotSupportedError,
    InsufficientFundsError,
    PayoutAddressNotVerifiedError,
    QuoteExpiredError,
    QuoteNotAcceptedError,
    WithdrawalsSuspendedError,
    failure_of,
)
from xero_bridge.rails.okx import payout, withdrawals
from xero_bridge.rails.okx import quote as quotes
from xero_bridge.rails.okx.api import OkxApi
from xero_bridge.rails.okx.client import OkxApiError, OkxClient, OkxOutcomeUnknownError
from xero_bridge.rails.okx.config import clearing_account_code, okx_config, poll_after_seconds
from xero_bridge.rails.okx.fee_booking import settled
from xero_bridge.rails.provider import ProviderRail
from xero_bridge.settings import get_settings

if TYPE_CHECKING:
    from xero_bridge.payments.validation import CheckedPayment

MAX_REFERENCE = 100  # Xero's Reference also holds the crypto amount, rate and chain tx id
APPROVAL_REASON = "a crypto payment is approved, at its quote, by a second person"


class OkxRail(ProviderRail[OkxApi]):
    name = "okx"
    title = "OKX"
    no_second_factor = "an OKX payment has no second factor to confirm: its quote is approved"
    clearing_account_code = staticmethod(clearing_account_code)
    poll_after_seconds = staticmethod(poll_after_seconds)

    def _connect(self) -> OkxApi:
        return OkxApi(OkxClient(okx_config()))

    # ------------------------------------------------------------------ before storing
    def check(self, checked: CheckedPayment) -> RailCheck:
        self._check_books(checked)
        crypto = checked.request.crypto
        assert crypto is not None  # the request model asks for it on this rail
        contact_id = str(((checked.contact or {}).get("ContactID")) or "").lower() or None
        address = payout.approved_address(
            self.xero.tenant_id, crypto.address_id, contact_id, crypto.ccy, crypto.chain
        )
        quote = self._quote(checked.amount, str(checked.currency_code), crypto.ccy, crypto.chain)
        return RailCheck(
            details=payout.audit_of(address, quote),
            fields={"rail_data": {"address": address, "quote": quote}},
            approval_reason=APPROVAL_REASON,
        )

    def _check_books(self, checked: CheckedPayment) -> None:
        self._require_kind(checked, "pay", f"{self.name} pays bills (ACCPAY) only",
                           "a sales invoice is not paid out")  # fmt: skip
        clearing = self._require_clearing(checked, "payments")
        if (checked.account_currency or "") != (checked.currency_code or ""):
            raise CurrencyNotSupportedError(
                f"the bill is in {checked.currency_code} and the OKX clearing account {clearing}"
                f" in {checked.account_currency}: a bill is recorded in its own currency",
                [
                    {
                        "field": "invoice_id",
                        "currency": checked.currency_code,
                        "account_currency": checked.account_currency,
                    }
                ],
            )
        if len(checked.request.reference or "") > MAX_REFERENCE:
            raise ValidationFailedError(
                f"a crypto payment's reference is at most {MAX_REFERENCE} characters",
                [{"field": "reference", "problem": "too long"}],
            )

    def _quote(self, amount: Decimal, currency: str, ccy: str, chain: str) -> dict[str, Any]:
        ttl = get_settings().okx_quote_ttl_seconds
        return quotes.make_quote(
            self.api, amount=amount, currency=currency, ccy=ccy, chain=chain, ttl_seconds=ttl
        )

    # ------------------------------------------------------------------ the approval
    def accept(self, payment: PaymentRecord, quote_id: str | None) -> None:
        """The approver's quote must be the payment's, and fresh. An expired one is replaced:
        QuoteExpiredError carries the new quote (`rail_data`) for the payment to keep."""
        data = payment.rail_data or {}
        current = data.get("quote") or {}
        if not quotes.is_fresh(current):
            fresh = self._quote(
                payment.amount, str(payment.currency_code), current["ccy"], current["chain"]
            )
            raise QuoteExpiredError(
                f"the quote expired at {current.get('expires_at')}: nothing was sent. A new"
                f" quote is on the payment ({fresh['crypto_amount']} {fresh['ccy']} at"
                f" {fresh['price']}); approve it with quote_id {fresh['quote_id']}",
                [
                    {
                        "field": "quote_id",
                        "expired_quote_id": current.get("quote_id"),
                        "quote": fresh,
                    }
                ],
                rail_data={**data, "quote": fresh, "previous_quote": current},
            )
        if quote_id != current.get("quote_id"):
            raise QuoteNotAcceptedError(
                f"approve the payment's quote by its id ({current.get('quote_id')}):"
                f" {current.get('crypto_amount')} {current.get('ccy')} at {current.get('price')}"
                f" until {current.get('expires_at')}",
                [{"field": "quote_id", "given": quote_id, "quote": current}],
            )

    # ------------------------------------------------------------------ sending
    def preflight(self, payments: Sequence[PaymentRecord]) -> None:
        needed: dict[str, Decimal] = {}
        for payment in payments:
            payout.check_still_approved(payment)
            quote = (payment.rail_data or {}).get("quote") or {}
            if not quotes.is_fresh(quote):
                raise QuoteExpiredError("the quote has expired: approve again for a new one")
            needed[quote["ccy"]] = needed.get(quote["ccy"], Decimal(0)) + Decimal(
                str(quote["total_debit"])
            )
        for ccy, amount in needed.items():
            available = self.api.available(ccy)
            if amount > available:
                raise InsufficientFundsError(
                    f"OKX's funding account has {available} {ccy} available: the withdrawal"
                    f" needs {amount} {ccy} (the amount and OKX's fee); nothing was sent",
                    [
                        {
                            "ccy": ccy,
                            "needed": format(amount, "f"),
                            "available": format(available, "f"),
                        }
                    ],
                )

    def _send(self, payment: PaymentRecord) -> RailOutcome:
        try:
            payout.check_still_approved(payment)
            if not quotes.is_fresh((payment.rail_data or {}).get("quote")):
                raise QuoteExpiredError(
                    "the quote expired before the withdrawal was made: nothing was sent;"
                    " submit the payment again for a new quote"
                )
        except ValidationFailedError as refused:
            return RailOutcome(state="failed", failure=failure_of(refused))
        body = withdrawals.body_of(payment)
        try:
            created = self.api.withdraw(body)
        except OkxApiError as exc:
            return self._refused(exc, body["clientId"])
        except OkxOutcomeUnknownError:
            logger.warning(
                "okx withdrawal outcome unknown", extra={"payment_id": payment.payment_id}
            )
            return self._look_up(body["clientId"]) or RailOutcome(state="submitted", how="unknown")
        return withdrawals.outcome_of({**created, "state": "0"}, "created")

    def _look_up(self, client_id: str) -> RailOutcome | None:
        try:
            found = self.api.withdrawal(client_id=client_id)
        except XeroBridgeError as exc:
            logger.warning("okx withdrawal look-up failed", extra={"error_code": exc.code})
            return None
        return withdrawals.outcome_of(found, "found_at_okx") if found else None

    def _refused(self, exc: OkxApiError, client_id: str) -> RailOutcome:
        existing = self._look_up(client_id)  # 58404 or any refusal: ours may exist already
        if existing is not None:
            return existing
        error = refusal_of_okx(exc)
        return RailOutcome(
            state="failed",
            rail_status=exc.code,
            failure=failure_of(error),
            details={"okx_code": exc.code, "okx_msg": exc.msg},
        )

    # ------------------------------------------------------------------ reading the truth
    def _read(self, payment: PaymentRecord) -> RailOutcome | None:
        if payment.rail_reference:
            row = self.api.withdrawal(wd_id=payment.rail_reference)
        elif payment.rail_sent_at and payment.rail_key:
            row = self.api.withdrawal(client_id=withdrawals.client_id(payment.rail_key))
        else:
            return None  # never handed to OKX
        if row is None:
            return None
        outcome = withdrawals.outcome_of(row, "read")
        if outcome.state != "settled":
            return outcome
        return settled(payment, outcome)


def refusal_of_okx(exc: OkxApiError) -> ValidationFailedError:
    """OKX's business error as our coded 422, with OKX's code and words in its details."""
    said = [{"okx_code": exc.code, "okx_msg": exc.msg}]
    if exc.code == "58207":
        return PayoutAddressNotVerifiedError(
            "OKX says the address is not on the account's verified withdrawal addresses: add"
            f" it in OKX's address book first (OKX: {exc.msg}); nothing was sent",
            said,
        )
    if exc.code in ("58350", "58229"):
        return InsufficientFundsError(
            f"OKX says the balance is too low: {exc.msg}; nothing was sent", said
        )
    if exc.code == "58206":
        return BelowMinimumWithdrawalError(f"OKX says: {exc.msg}; nothing was sent", said)
    if exc.code == "58214":
        return WithdrawalsSuspendedError(f"OKX says: {exc.msg}; nothing was sent", said)
    return ValidationFailedError(f"OKX refused the withdrawal ({exc.code}: {exc.msg})", said)
