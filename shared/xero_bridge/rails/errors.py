"""The refusals a money-moving rail answers, each a 422 with a code of its own, so a frontend
can tell "top up the account" from "the payee's name does not match" without reading prose.

A failed payment keeps its reason as `failure: [{code, message, …}]`; `refusal_of` turns that
back into the same error, so a repeat of the request answers what the first one did.
"""

from __future__ import annotations

from typing import Any

from xero_bridge.errors import ValidationFailedError

_BY_CODE: dict[str, type[ValidationFailedError]] = {}


class RailRefusal(ValidationFailedError):
    """A coded 422 of a rail. A subclass names its code in its header
    (``class XError(RailRefusal, code="x")``), which also files it under that code for
    `refusal_of`: a new refusal is one class, and nothing else to keep in step."""

    def __init_subclass__(cls, *, code: str, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.code = code
        _BY_CODE[code] = cls


class InsufficientFundsError(RailRefusal, code="insufficient_funds"):
    """The provider's available balance does not cover the payment: nothing was sent."""


class CurrencyNotSupportedError(RailRefusal, code="currency_not_supported"):
    """The rail cannot pay in the bill's currency (Solaris pays EUR only)."""


class PayeeInvalidError(RailRefusal, code="payee_invalid"):
    """No payee to pay: no IBAN, an IBAN whose checksum is wrong, no name."""


class PayeeVerificationFailedError(RailRefusal, code="payee_verification_failed"):
    """Verification of Payee says the name does not belong to the account (NO_MATCH), or the
    verification changed since the payment was approved."""


class PayeeNameNotAcceptedError(RailRefusal, code="payee_name_not_accepted"):
    """A CLOSE_MATCH payment is approved only with the suggested name accepted explicitly."""


class InvalidTanError(RailRefusal, code="invalid_tan"):
    """The TAN is wrong; the payment keeps waiting for the right one."""


class TanExpiredError(RailRefusal, code="tan_expired"):
    """The change request had expired; it was authorised again and a new TAN sent."""


class DeclinedError(RailRefusal, code="declined"):
    """The provider (or the payee's bank) declined the payment."""


class SaferpayRefusedError(RailRefusal, code="saferpay_refused"):
    """Saferpay refused a request of ours for good (the page, a capture): nothing was charged."""


class AmountDueChangedError(RailRefusal, code="amount_due_changed"):
    """The invoice no longer has a card payment link's amount due: the card was not charged."""


class PayoutAddressNotApprovedError(RailRefusal, code="payout_address_not_approved"):
    """The crypto payout address is not (or no longer) approved in the book, or is not the
    bill's supplier's, currency's or chain's: refused before the provider is called."""


class PayoutAddressNotVerifiedError(RailRefusal, code="address_not_verified_at_okx"):
    """OKX refuses withdrawals to an address not on the account's verified list (58207)."""


class BelowMinimumWithdrawalError(RailRefusal, code="below_minimum_withdrawal"):
    """The bill's amount in crypto is less than OKX's minimum withdrawal on that chain."""


class WithdrawalsSuspendedError(RailRefusal, code="withdrawals_suspended"):
    """OKX does not withdraw that currency on that chain now (canWd false, maintenance)."""


class QuoteNotAcceptedError(RailRefusal, code="quote_not_accepted"):
    """A crypto payment is approved by naming the quote the approver saw (`quote_id`)."""


class QuoteExpiredError(RailRefusal, code="quote_expired"):
    """The quote has expired: nothing moves on a stale price. `rail_data`, when given, is the
    payment's rail state with a new quote, for the approver to approve instead."""

    def __init__(self, message: str, details: list[Any] | None = None,
                 rail_data: dict[str, Any] | None = None) -> None:  # fmt: skip
        super().__init__(message, details)
        self.rail_data = rail_data


class MandateRequiredError(RailRefusal, code="mandate_required"):
    """A direct debit needs the customer's mandate, usable and in the invoice's currency."""


class CollectionFailedError(RailRefusal, code="collection_failed"):
    """The direct debit failed (the customer's bank refused it, or the customer did)."""


class ChargedBackError(RailRefusal, code="charged_back"):
    """The customer's bank took a collected payment back before it was recorded."""


def failure_of(error: ValidationFailedError) -> list[dict[str, Any]]:
    """How a refusal is kept on a failed payment: its code and message first, then its details."""
    return [{"code": error.code, "message": error.message}, *error.details]


def refusal_of(failure: list[dict[str, Any]] | None, default_message: str) -> ValidationFailedError:
    """The error a failed payment answers: the coded one its failure names, else a plain 422."""
    failure = list(failure or [])
    first = failure[0] if failure and isinstance(failure[0], dict) else {}
    error_class = _BY_CODE.get(str(first.get("code")))
    if error_class is None:
        return ValidationFailedError(default_message, failure)
    return error_class(str(first.get("message") or default_message), failure[1:])
