"""What a caller sends: the payment requests, validated without Xero (types, amounts, dates,
one invoice reference, one account reference, a known rail); `validation.py` checks them
against the tenant's books. What we answer is `answers.py`.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SkipValidation,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from xero_bridge.api_models import ApiRequest
from xero_bridge.errors import BadRequestError
from xero_bridge.http.request import validation_details
from xero_bridge.payments.fields import (
    Amount,
    IsoDate,
    Rate,
    Reference,
    no_control_characters,
)
from xero_bridge.payments.money import money_text
from xero_bridge.rails import DEFAULT_RAIL, RAILS, moves_money
from xero_bridge.rails.iban import parse, parse_bic

_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
CRYPTO_RAIL = "okx"


class PayeeIn(ApiRequest):
    """Who a money-moving rail pays, when not the bill's contact as Xero holds it."""

    name: str = Field(min_length=1, max_length=70, description="The account holder's name")
    iban: str = Field(description="Spaces allowed; the checksum is verified")
    bic: str | None = Field(None, description="Optional; the IBAN identifies the bank")

    # IbanError is a ValueError: pydantic reports its text as the field's problem.
    @field_validator("iban")
    @classmethod
    def _iban(cls, value: str) -> str:
        return parse(value)

    @field_validator("bic")
    @classmethod
    def _bic(cls, value: str | None) -> str | None:
        return parse_bic(value) if value else None

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        return " ".join(no_control_characters(value).split())


class CryptoIn(ApiRequest):
    """What the ``okx`` rail pays with: a currency on a chain, to an approved payout address."""

    ccy: str = Field(min_length=2, max_length=10, pattern=r"^[A-Z0-9]+$",
                     description="The currency paid, as OKX names it, e.g. `USDT`")  # fmt: skip
    chain: str = Field(min_length=4, max_length=50,
                       description="OKX's chain name, e.g. `USDT-TRC20`")  # fmt: skip
    address_id: str = Field(pattern=r"^pa_[0-9a-f]{32}$",
                            description="An approved entry of …/payout_addresses")  # fmt: skip


class PaymentRequest(ApiRequest):
    """One payment: `{invoice_id | invoice_number, account_id | account_code, amount, date,
    reference?, currency_rate?, rail?, payee?}`. A money-moving rail records in its own Xero
    bank account (its clearing account), so it may name none."""

    invoice_id: str | None = Field(None, description="Xero InvoiceID (a GUID)")
    invoice_number: str | None = Field(None, min_length=1, max_length=255)
    account_id: str | None = Field(None, description="Xero AccountID (a GUID)")
    account_code: str | None = Field(None, min_length=1, max_length=10)
    amount: Amount | None = Field(
        None,
        description="positive, at most 2 decimals, as a string or number; `okx` may leave it"
        " out to pay the bill's amount due",
    )
    date: IsoDate
    reference: Reference | None = None
    currency_rate: Rate | None = None
    rail: str = Field(
        DEFAULT_RAIL,
        description="Where the payment is executed: `xero` records it in Xero",
        json_schema_extra={"enum": list(RAILS)},
    )
    payee: PayeeIn | None = Field(
        None,
        description="`solaris_sepa`: pay this account instead of the bill contact's bank"
        " details in Xero",
    )
    crypto: CryptoIn | None = Field(
        None, description="`okx`: the currency, chain and approved payout address paid"
    )

    @field_validator("invoice_id", "account_id")
    @classmethod
    def _guid(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not _GUID.match(value):
            raise ValueError("must be a Xero id (a GUID)")
        return value.lower()

    @field_validator("rail")
    @classmethod
    def _rail(cls, value: str) -> str:
        if value not in RAILS:
            raise ValueError(f"must be one of: {', '.join(RAILS)}")
        return value

    @model_validator(mode="after")
    def _one_of_each(self) -> PaymentRequest:
        if bool(self.invoice_id) == bool(self.invoice_number):
            raise ValueError("give exactly one of invoice_id or invoice_number")
        if self.account_id and self.account_code:
            raise ValueError("give one of account_id or account_code, not both")
        if not (self.account_id or self.account_code) and not moves_money(self.rail):
            raise ValueError("give exactly one of account_id or account_code")
        if self.payee is not None and not moves_money(self.rail):
            raise ValueError(f"a payee is only paid by a money-moving rail, not {self.rail}")
        if (self.crypto is not None) != (self.rail == CRYPTO_RAIL):
            raise ValueError("crypto {ccy, chain, address_id} goes with rail okx, and only then")
        if self.amount is None and self.rail != CRYPTO_RAIL:
            raise ValueError("amount: give the amount to pay")
        return self

    def canonical(self) -> dict[str, Any]:
        """The request as a JSON-ready dict, stable for hashing (money as text).

        The default rail is left out, so requests (and records) from before rails existed
        keep their fingerprint.
        """
        canonical: dict[str, Any] = {
            "invoice_id": self.invoice_id,
            "invoice_number": self.invoice_number,
            "account_id": self.account_id,
            "account_code": self.account_code,
            "amount": None if self.amount is None else money_text(self.amount),
            "date": self.date.isoformat(),
            "reference": self.reference,
            "currency_rate": None if self.currency_rate is None else str(self.currency_rate),
        }
        if self.rail != DEFAULT_RAIL:
            canonical["rail"] = self.rail
        if self.payee is not None:
            canonical["payee"] = self.payee.model_dump()
        if self.crypto is not None:
            canonical["crypto"] = self.crypto.model_dump()
        return canonical

    def fingerprint(self) -> str:
        return fingerprint(self.canonical())


def _an_object(value: Any) -> Any:
    if not isinstance(value, dict):
        raise PydanticCustomError("dict_type", "Input should be a valid dictionary")
    return value


# A batch item: a JSON object, checked on its own later (`parse_payment_request`), so that a
# malformed item is that item's `invalid` result, not the whole batch's 400; the API
# description still shows a PaymentRequest.
BatchItem = Annotated[SkipValidation[PaymentRequest], BeforeValidator(_an_object)]


class BatchRequest(BaseModel):
    """`{payments: [payment, …]}` (at most 100; PAYMENTS_BATCH_MAX may lower that)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    payments: list[BatchItem] = Field(min_length=1, max_length=100)


class ApproveRequest(ApiRequest):
    """`{accepted_payee_name?, quote_id?}` for POST …/approve (the body may be left out)."""

    accepted_payee_name: str | None = Field(
        None,
        max_length=140,
        description="A CLOSE_MATCH payment: the suggested name, exactly as shown, to pay under",
    )
    quote_id: str | None = Field(
        None,
        max_length=40,
        description="An `okx` payment: the id of the quote the approver saw (`crypto.quote`);"
        " an expired one answers 422 `quote_expired` with a new quote to approve",
    )


class ConfirmRequest(ApiRequest):
    """`{tan}` for POST …/confirm: the second factor of a payment awaiting confirmation."""

    tan: str = Field(min_length=1, max_length=32, description="The TAN the person received")

    @field_validator("tan")
    @classmethod
    def _tan(cls, value: str) -> str:
        if not value.isascii() or not value.isalnum():
            raise ValueError("must be letters and digits")
        return value


class RejectRequest(BaseModel):
    """`{reason?}` for POST …/reject (the body may be left out)."""

    # Not an ApiRequest: other fields are ignored here, as they always were (a rejection
    # moves no money), where a body elsewhere refuses them.
    model_config = ConfigDict(frozen=True)

    reason: str | None = Field(None, description="Kept in the audit trail (500 characters)")

    @field_validator("reason", mode="before")
    @classmethod
    def _reason(cls, value: Any) -> str | None:
        return None if value is None else str(value)[:500]


def fingerprint(data: Any) -> str:
    """sha256 of canonical JSON (sorted keys; Decimal as text)."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def parse_payment_request(data: dict[str, Any]) -> PaymentRequest:
    """A PaymentRequest from a JSON object; BadRequestError (400) naming each problem."""
    try:
        return PaymentRequest.model_validate(data)
    except ValidationError as exc:
        raise BadRequestError(
            "the payment is not valid", validation_details(exc.errors())
        ) from None
