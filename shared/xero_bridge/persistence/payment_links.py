"""Card payment links (the PaymentLinks table): which payment a link is, and an invoice's links.

Key ``link_id`` — the link's payment's rail key, so it is known before Saferpay is called and
a notification for it (``GET /webhooks/saferpay/{linkId}``) finds its payment. The
``by_invoice`` index (``invoice_key`` = ``<tenant>#<invoice id>``, ``created_key`` =
``<created_at ISO>#<link id>``) lists an invoice's links newest first.

A link is written once and never changed: what happens to it (paid, declined, expired) is its
payment's lifecycle (`xero_bridge.payments.lifecycle`), read from the payment.

Beside the links, one row per invoice whose links have been captured: its capture ledger
(``link_id`` = ``captures#<tenant>#<invoice id>``, not in the index). A worker adds a payment
to it before it captures, with a write conditional on the version it read, so two workers
capturing two links of one invoice at once cannot both count the same money as still due.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from boto3.dynamodb.conditions import Key
from pydantic import BaseModel, ConfigDict, Field

from xero_bridge.persistence.dynamodb import (
    conditional_write,
    get_item,
    query_all,
    query_page,
    table,
)
from xero_bridge.settings import get_settings

BY_INVOICE_INDEX = "by_invoice"


class PaymentLinkRecord(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    link_id: str = Field(min_length=1)
    tenant_id: str = Field(min_length=1)
    payment_id: str = Field(min_length=1)
    invoice_id: str = Field(min_length=1)
    amount: Decimal
    currency_code: str
    created_by: str
    created_at: str

    @property
    def invoice_key(self) -> str:
        return invoice_key(self.tenant_id, self.invoice_id)


def invoice_key(tenant_id: str, invoice_id: str) -> str:
    return f"{tenant_id}#{invoice_id}"


def _table() -> Any:
    return table(get_settings().required("payment_links_table"))


def put(record: PaymentLinkRecord) -> bool:
    """Store a new link; False when one exists under its id already (nothing written)."""
    item = {
        **record.model_dump(mode="python"),
        "invoice_key": record.invoice_key,
        "created_key": f"{record.created_at}#{record.link_id}",
    }
    return conditional_write(
        _table().put_item, Item=item, ConditionExpression="attribute_not_exists(link_id)"
    ).written


def get(link_id: str) -> PaymentLinkRecord | None:
    if not link_id:
        return None
    item = get_item(_table(), {"link_id": link_id})
    return PaymentLinkRecord.model_validate(item) if item else None


def newest_for_invoice(tenant_id: str, invoice_id: str) -> PaymentLinkRecord | None:
    """The invoice's most recent link (the index is eventually consistent: a link made a
    moment ago may not be listed yet)."""
    page = query_page(
        _table(),
        IndexName=BY_INVOICE_INDEX,
        KeyConditionExpression=Key("invoice_key").eq(invoice_key(tenant_id, invoice_id)),
        ScanIndexForward=False,
        Limit=1,
    )
    return PaymentLinkRecord.model_validate(page.items[0]) if page.items else None


def for_invoice(tenant_id: str, invoice_id: str) -> list[PaymentLinkRecord]:
    """Every link of the invoice, newest first (eventually consistent, as above)."""
    items = query_all(
        _table(),
        IndexName=BY_INVOICE_INDEX,
        KeyConditionExpression=Key("invoice_key").eq(invoice_key(tenant_id, invoice_id)),
        ScanIndexForward=False,
    )
    return [PaymentLinkRecord.model_validate(item) for item in items]


# ---------------------------------------------------------------------------- capture ledger
@dataclass(frozen=True)
class CaptureLedger:
    """The payments a capture was started for, with their amounts, and the row's version (0:
    no row yet) that a claim is conditional on."""

    tenant_id: str
    invoice_id: str
    version: int = 0
    amounts: dict[str, Decimal] = field(default_factory=dict)


def _ledger_key(tenant_id: str, invoice_id: str) -> dict[str, str]:
    return {"link_id": f"captures#{invoice_key(tenant_id, invoice_id)}"}


def capture_ledger(tenant_id: str, invoice_id: str) -> CaptureLedger:
    item = get_item(_table(), _ledger_key(tenant_id, invoice_id)) or {}
    return CaptureLedger(
        tenant_id,
        invoice_id,
        int(item.get("version", 0)),
        {payment_id: Decimal(amount) for payment_id, amount in item.get("amounts", {}).items()},
    )


def claim_capture(seen: CaptureLedger, payment_id: str, amount: Decimal) -> bool:
    """Add the payment to the ledger as it was `seen`; False when another worker changed the
    ledger since (nothing written: read it again and decide again)."""
    key = _ledger_key(seen.tenant_id, seen.invoice_id)
    if seen.version == 0:
        return conditional_write(
            _table().put_item,
            Item={**key, "version": 1, "amounts": {payment_id: amount}},
            ConditionExpression="attribute_not_exists(link_id)",
        ).written
    return conditional_write(
        _table().update_item,
        Key=key,
        UpdateExpression="SET amounts.#payment = :amount, version = :next",
        ConditionExpression="version = :seen",
        ExpressionAttributeNames={"#payment": payment_id},
        ExpressionAttributeValues={
            ":amount": amount,
            ":next": seen.version + 1,
            ":seen": seen.version,
        },
    ).written
