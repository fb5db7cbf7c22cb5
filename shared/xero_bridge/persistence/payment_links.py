"""Card payment links (the PaymentLinks table): which payment a link is, and an invoice's links.

Key ``link_id`` — the link's payment's rail key, so it is known before Saferpay is called and
a notification for it (``GET /webhooks/saferpay/{linkId}``) finds its payment. The
``by_invoice`` index (``invoice_key`` = ``<tenant>#<invoice id>``, ``created_key`` =
``<created_at ISO>#<link id>``) lists an invoice's links newest first.

A link is written once and never changed: what happens to it (paid, declined, expired) is its
payment's lifecycle (`xero_bridge.payments.lifecycle`), read from the payment.
"""

from __future__ import annotations

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
