"""The refusals a money-moving rail answers, each a 422 with a code of its own, so a frontend
can tell "top up the account" from "the payee's name does not match" without reading prose.

A failed payment keeps its reason as `failure: [{code, message, …}]`; `refusal_of` turns that
back into the same error, so a repeat of the request answers what the first one did.
"""

from __future__ import annotations

from typing import Any

from xero_bridge.errors import ValidationFailedError


class InsufficientFundsError(ValidationFailedError):
    """The provider's available balance does not cover the payment: nothing was sent."""

    code = "insufficient_funds"


class CurrencyNotSupportedError(ValidationFailedError):
    """The rail cannot pay in the bill's currency (Solaris pays EUR only)."""

    code = "currency_not_supported"


class PayeeInvalidError(ValidationFailedError):
    """No payee to pay: no IBAN, an IBAN whose checksum is wrong, no name."""

    code = "payee_invalid"


class PayeeVerificationFailedError(ValidationFailedError):
    """Verification of Payee says the name does not belong to the account (NO_MATCH), or the
    verification changed since the payment was approved."""

    code = "payee_verification_failed"


class PayeeNameNotAcceptedError(ValidationFailedError):
    """A CLOSE_MATCH payment is approved only with the suggested name accepted explicitly."""

    code = "payee_name_not_accepted"


class InvalidTanError(ValidationFailedError):
    """The TAN is wrong; the payment keeps waiting for the right one."""

    code = "invalid_tan"


class TanExpiredError(ValidationFailedError):
    """The change request had expired; it was authorised again and a new TAN sent."""

    code = "tan_expired"


class DeclinedError(ValidationFailedError):
    """The provider (or the payee's bank) declined the payment."""

    code = "declined"


_BY_CODE: dict[str, type[ValidationFailedError]] = {
    error.code: error
    for error in (
        InsufficientFundsError,
        CurrencyNotSupportedError,
        PayeeInvalidError,
        PayeeVerificationFailedError,
        PayeeNameNotAcceptedError,
        InvalidTanError,
        TanExpiredError,
        DeclinedError,
    )
}


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
