"""The payment API's shapes: what a caller sends, what we answer (snake_case, money as text).

Requests are validated here without Xero (types, amounts, dates, one invoice reference, one
account reference); `validation.py` checks them against the tenant's books.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from decimal import Decimal
from typing import Any, Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from xero_bridge.errors import BadRequestError
from xero_bridge.payments.money import AmountError, money_text, parse_amount, parse_rate

PaymentStatus = Literal[
    "submitted", "pending_approval", "recorded", "rejected", "reversed", "failed"
]
PAYMENT_STATUSES: tuple[str, ...] = get_args(PaymentStatus)
PaymentKind = Literal["receive", "pay"]

_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_REFERENCE = 200  # Xero allows 255; we append " xb:<tag>" (20 characters)


class PaymentRequest(BaseModel):
    """One payment: `{invoice_id | invoice_number, account_id | account_code, amount, date,
    reference?, currency_rate?}`."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    invoice_id: str | None = Field(None, description="Xero InvoiceID (a GUID)")
    invoice_number: str | None = Field(None, min_length=1, max_length=255)
    account_id: str | None = Field(None, description="Xero AccountID (a GUID)")
    account_code: str | None = Field(None, min_length=1, max_length=10)
    amount: Decimal = Field(description="positive, at most 2 decimals, as a string or number")
    date: dt.date
    reference: str | None = Field(None, max_length=MAX_REFERENCE)
    currency_rate: Decimal | None = None

    @field_validator("invoice_id", "account_id")
    @classmethod
    def _guid(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not _GUID.match(value):
            raise ValueError("must be a Xero id (a GUID)")
        return value.lower()

    @field_validator("amount", mode="before")
    @classmethod
    def _amount(cls, value: Any) -> Decimal:
        try:
            return parse_amount(value)
        except AmountError as exc:
            raise ValueError(str(exc)) from None

    @field_validator("currency_rate", mode="before")
    @classmethod
    def _rate(cls, value: Any) -> Decimal | None:
        if value is None:
            return None
        try:
            return parse_rate(value)
        except AmountError as exc:
            raise ValueError(str(exc)) from None

    @field_validator("date", mode="before")
    @classmethod
    def _date(cls, value: Any) -> dt.date:
        # Only an ISO calendar date: no timestamps, no datetimes, no numbers.
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if not isinstance(value, str) or not _ISO_DATE.match(value.strip()):
            raise ValueError("must be a date as YYYY-MM-DD")
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError("is not a valid calendar date") from None

    @field_validator("reference")
    @classmethod
    def _reference(cls, value: str | None) -> str | None:
        if value is not None and any(ord(c) < 32 for c in value):
            raise ValueError("must not contain control characters")
        return value or None

    @model_validator(mode="after")
    def _one_of_each(self) -> PaymentRequest:
        if bool(self.invoice_id) == bool(self.invoice_number):
            raise ValueError("give exactly one of invoice_id or invoice_number")
        if bool(self.account_id) == bool(self.account_code):
            raise ValueError("give exactly one of account_id or account_code")
        return self

    def canonical(self) -> dict[str, Any]:
        """The request as a JSON-ready dict, stable for hashing (money as text)."""
        return {
            "invoice_id": self.invoice_id,
            "invoice_number": self.invoice_number,
            "account_id": self.account_id,
            "account_code": self.account_code,
            "amount": money_text(self.amount),
            "date": self.date.isoformat(),
            "reference": self.reference,
            "currency_rate": None if self.currency_rate is None else str(self.currency_rate),
        }

    def fingerprint(self) -> str:
        return fingerprint(self.canonical())


class BatchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    payments: list[dict[str, Any]] = Field(min_length=1, max_length=100)


def fingerprint(data: Any) -> str:
    """sha256 of canonical JSON (sorted keys; Decimal as text)."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def validation_details(exc: ValidationError, prefix: str = "") -> list[dict[str, Any]]:
    details = []
    for error in exc.errors():
        loc = ".".join(str(part) for part in error.get("loc", ()))
        message = str(error.get("msg", "invalid"))
        message = message.removeprefix("Value error, ")
        field = f"{prefix}{loc}" if loc else (prefix.rstrip(".") or None)
        details.append({"field": field, "problem": message})
    return details


def _parse_body[M: BaseModel](model: type[M], data: Any, what: str) -> M:
    """`model` from a parsed body; BadRequestError (400) naming each problem."""
    if not isinstance(data, dict):
        raise BadRequestError("the body must be a JSON object")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise BadRequestError(f"the {what} is not valid", validation_details(exc)) from None


def parse_payment_request(data: Any) -> PaymentRequest:
    """A PaymentRequest from a parsed body; BadRequestError (400) naming each problem."""
    return _parse_body(PaymentRequest, data, "payment")


def parse_batch_request(data: Any) -> BatchRequest:
    return _parse_body(BatchRequest, data, "batch")
