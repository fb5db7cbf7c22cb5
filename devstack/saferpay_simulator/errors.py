"""Saferpay's error answers: an HTTP status plus ``{ResponseHeader, Behavior, ErrorName,
ErrorMessage, ErrorDetail?, TransactionId?, OrderId?, …}``.

Statuses as the JSON API documents them: 400 validation error, 401 authentication failed,
402 requested action failed, 403 access denied, 406/415 wrong Accept/Content-Type, 500 internal.
The names, behaviors and messages of the recorded sandbox answers are kept where known
(e.g. TRANSACTION_NOT_STARTED is 402 RETRY_LATER, TRANSACTION_ALREADY_CAPTURED 402 DO_NOT_RETRY).
"""

from __future__ import annotations

from typing import Any, Literal

Behavior = Literal["DO_NOT_RETRY", "OTHER_MEANS", "RETRY", "RETRY_LATER"]
BEHAVIORS: tuple[str, ...] = ("DO_NOT_RETRY", "OTHER_MEANS", "RETRY", "RETRY_LATER")


class SaferpayError(Exception):
    """Raised anywhere in a request; the API layer renders it as Saferpay's error body."""

    def __init__(
        self,
        status: int,
        name: str,
        message: str,
        behavior: Behavior = "DO_NOT_RETRY",
        detail: list[str] | None = None,
        extra: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{name}: {message}")
        self.status = status
        self.name = name
        self.message = message
        self.behavior = behavior
        self.detail = detail
        self.extra = extra or {}  # TransactionId, OrderId, PayerMessage, Processor*

    def body(self, response_header: dict[str, str]) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "ResponseHeader": response_header,
            "Behavior": self.behavior,
            "ErrorName": self.name,
            "ErrorMessage": self.message,
        }
        if self.detail:
            payload["ErrorDetail"] = list(self.detail)
        payload.update(self.extra)
        return payload


def validation_failed(details: list[str]) -> SaferpayError:
    return SaferpayError(400, "VALIDATION_FAILED", "Request validation failed", detail=details)


def authentication_failed() -> SaferpayError:
    return SaferpayError(401, "AUTHENTICATION_FAILED", "Unable to authenticate request")


def permission_denied(detail: str) -> SaferpayError:
    return SaferpayError(403, "PERMISSION_DENIED", "Permission denied", detail=[detail])


def token_invalid() -> SaferpayError:
    return SaferpayError(402, "TOKEN_INVALID", "Invalid token")


def token_expired() -> SaferpayError:
    return SaferpayError(402, "TOKEN_EXPIRED", "Token expired")


def transaction_not_started() -> SaferpayError:
    return SaferpayError(402, "TRANSACTION_NOT_STARTED", "Transaction not started", "RETRY_LATER")


def transaction_not_found() -> SaferpayError:
    return SaferpayError(402, "TRANSACTION_NOT_FOUND", "Transaction not found")


def already_captured() -> SaferpayError:
    return SaferpayError(402, "TRANSACTION_ALREADY_CAPTURED", "Transaction already captured")


def wrong_state(status: str) -> SaferpayError:
    return SaferpayError(
        402,
        "TRANSACTION_IN_WRONG_STATE",
        "Transaction in wrong state",
        detail=[f"Transaction status is {status}"],
    )


def internal_error(status: int = 500, behavior: Behavior = "RETRY") -> SaferpayError:
    return SaferpayError(status, "INTERNAL_ERROR", "Internal error", behavior)
