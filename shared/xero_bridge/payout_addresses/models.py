"""What a caller sends to the address book, and what it answers."""

from __future__ import annotations

import re
from typing import Self

from pydantic import (
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from xero_bridge.api_models import ApiAnswer, ApiRequest
from xero_bridge.payments.fields import no_control_characters
from xero_bridge.payout_addresses.formats import AddressFormatError, check
from xero_bridge.persistence.payout_addresses import PayoutAddress

_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
# What `ccy` and `chain` must match, and the error when they do not.
_SHAPES = {
    "ccy": (
        re.compile(r"^[A-Z0-9]{2,10}$"),
        "must be a currency as OKX names it (capitals and digits), e.g. USDT",
    ),
    "chain": (
        re.compile(r"^[A-Z0-9]{2,10}-[A-Za-z0-9 .\-]{2,40}$"),
        "must be OKX's chain name, e.g. USDT-TRC20",
    ),
}


class PayoutAddressIn(ApiRequest):
    """`{contact_id, ccy, chain, address, tag?, label?}`: a supplier's address on one chain."""

    contact_id: str = Field(description="The supplier: a Xero ContactID (a GUID)")
    ccy: str = Field(description="The currency paid, as OKX names it, e.g. `USDT`")
    chain: str = Field(description="OKX's chain name, `<ccy>-<network>`, e.g. `USDT-TRC20`")
    address: str = Field(min_length=1, max_length=128, description="Checked per chain")
    tag: str | None = Field(
        None, max_length=64, description="A tag or memo, where the chain has one"
    )
    label: str | None = Field(
        None, max_length=100, description="For people, e.g. `Lumen hot wallet`"
    )

    @field_validator("contact_id")
    @classmethod
    def _contact(cls, value: str) -> str:
        if not _GUID.match(value):
            raise ValueError("must be a Xero ContactID (a GUID)")
        return value.lower()

    @field_validator("ccy", "chain")
    @classmethod
    def _shape(cls, value: str, info: ValidationInfo) -> str:
        pattern, problem = _SHAPES[str(info.field_name)]
        if not pattern.match(value):
            raise ValueError(problem)
        return value

    @field_validator("tag", "label")
    @classmethod
    def _text(cls, value: str | None) -> str | None:
        return no_control_characters(value, delete_too=True) if value else None

    @model_validator(mode="after")
    def _address(self) -> Self:
        if not self.chain.startswith(f"{self.ccy}-"):
            raise ValueError(f"the chain {self.chain} is not a {self.ccy} chain ({self.ccy}-…)")
        try:
            check(self.chain, self.address, self.tag)
        except AddressFormatError as exc:
            raise ValueError(f"address: {exc}") from None
        return self


class PayoutAddressOut(ApiAnswer):
    """An entry of the address book."""

    payout_address_id: str
    status: str = Field(
        description="`pending_approval` (a second person must approve it), `approved` (it can"
        " be paid), `superseded` (a newer address of its supplier, currency and chain was"
        " approved) or `deleted`"
    )
    payable: bool = Field(description="Whether a payment may go to it now (approved)")
    contact_id: str
    contact_name: str | None = Field(description="The supplier's name in Xero when it was added")
    ccy: str
    chain: str
    address: str
    tag: str | None
    label: str | None
    added_by: str
    added_at: str
    approved_by: str | None
    approved_at: str | None
    replaces: str | None = Field(description="The approved entry this one changes, if any")
    superseded_by: str | None
    superseded_at: str | None
    deleted_by: str | None
    deleted_at: str | None

    @classmethod
    def of(cls, entry: PayoutAddress) -> PayoutAddressOut:
        fields = {name: getattr(entry, name, None) for name in cls.model_fields}
        fields["payable"] = entry.status == "approved"
        return cls.model_validate(fields)


class PayoutAddressListOut(ApiAnswer):
    payout_addresses: list[PayoutAddressOut] = Field(description="Oldest first")
    page: str | None = Field(None, description="The book is answered whole: always null")
    next_page: str | None = Field(None, description="Always null (one page)")
