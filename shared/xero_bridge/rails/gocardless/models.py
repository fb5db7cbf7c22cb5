"""What the direct-debit routes take and answer: a mandate request and the mandate, and a
collection request (the payment it makes is answered as every payment is)."""

from __future__ import annotations

import ipaddress
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import Field, field_validator

from xero_bridge.api_models import ApiAnswer, ApiRequest
from xero_bridge.payments.fields import Amount, IsoDate, Reference
from xero_bridge.persistence.mandates import MandateRecord

Currency = Literal["EUR", "GBP"]


def _page_url(value: str | None) -> str | None:
    """Where the customer's browser is sent: https, or http to this machine (a local stack)."""
    if value is None:
        return None
    parts = urlsplit(value)
    host = parts.hostname or ""
    try:
        local = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        local = False
    if parts.scheme != "https" and not (parts.scheme == "http" and local):
        raise ValueError("must be an https URL")
    if not host:
        raise ValueError("must be an absolute URL")
    return value


class MandateRequest(ApiRequest):
    """`{currency?, redirect_uri?, exit_uri?}` for POST …/contacts/{id}/mandate (the body may
    be left out)."""

    currency: Currency | None = Field(
        None,
        description="EUR (SEPA Core) or GBP (Bacs); default: the contact's default currency",
    )
    redirect_uri: str | None = Field(
        None, max_length=2000, description="Where the customer goes once they authorised it"
    )
    exit_uri: str | None = Field(
        None, max_length=2000, description="Where the customer goes if they leave the page"
    )

    @field_validator("redirect_uri", "exit_uri")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        return _page_url(value)


class MandateOut(ApiAnswer):
    """A contact's direct-debit mandate, as GoCardless last told us."""

    contact_id: str
    status: str = Field(
        description="`awaiting_authorisation` (send the customer to `authorisation_url`),"
        " `authorisation_expired`, `authorisation_cancelled`, then GoCardless's mandate status:"
        " `pending_customer_approval`, `pending_submission`, `submitted`, `active` (these can"
        " be collected from), `failed`, `cancelled`, `expired`, `consumed`, `blocked`,"
        " `suspended_by_payer`"
    )
    collectable: bool = Field(description="Whether invoices can be collected on it now")
    authorisation_url: str | None = Field(
        description="GoCardless's page where the customer authorises the mandate"
    )
    authorisation_expires_at: str | None
    currency: str = Field(description="EUR (SEPA Core) or GBP (Bacs)")
    scheme: str | None = Field(description="`sepa_core` or `bacs`")
    mandate_id: str | None = Field(description="GoCardless's mandate id, once authorised")
    billing_request_id: str = Field(description="GoCardless's billing request of this attempt")
    next_possible_charge_date: str | None = Field(
        description="The earliest day a collection on it can be charged"
    )
    cause: str | None = Field(description="GoCardless's cause of a failure or cancellation")
    description: str | None = Field(description="What GoCardless said about it, for a person")
    requested_by: str
    created_at: str
    updated_at: str

    @classmethod
    def of(cls, record: MandateRecord, status: str, collectable: bool) -> MandateOut:
        fields: dict[str, Any] = {
            name: getattr(record, name)
            for name in cls.model_fields
            if name not in ("status", "collectable")
        }
        return cls(**fields, status=status, collectable=collectable)


class CollectRequest(ApiRequest):
    """`{amount?, charge_date?, reference?}` for POST …/invoices/{id}/collect (the body may be
    left out: the whole amount due, as soon as the mandate allows)."""

    amount: Amount | None = Field(
        None, description="At most the amount due (default: all of it), a decimal string"
    )
    charge_date: IsoDate | None = Field(
        None,
        description="The day to collect on (YYYY-MM-DD; default: the earliest the mandate"
        " allows); also the payment's date in Xero",
    )
    reference: Reference | None = Field(None, description="Shown to the customer, kept in Xero")
