"""The audit trail (the Audit table): append-only, one item per thing someone did.

Key (``subject``, ``entry_id``): ``subject`` is ``<tenant_id>#payment#<payment_id>``, and
``entry_id`` is ``<ISO time>#<action>#<random>``, so a subject's entries read in order.
Every write is a conditional put (``attribute_not_exists``): an entry is never overwritten.
This module has no update and no delete, and the functions' IAM policy grants only
PutItem and Query on the table, so nothing reachable through the API can edit the trail.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from boto3.dynamodb.conditions import Key
from pydantic import BaseModel, ConfigDict, Field

from xero_bridge.persistence.dynamodb import query_all, table
from xero_bridge.settings import get_settings


class AuditEntry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    subject: str
    entry_id: str
    tenant_id: str
    action: str  # a payment move's audit action (payments.lifecycle.TRANSITIONS): submitted…
    actor: str  # the Okta sub
    at: str  # ISO 8601, UTC
    payment_id: str | None = None
    xero_payment_id: str | None = None
    invoice_id: str | None = None
    amount: Decimal | None = None
    details: dict[str, Any] = Field(default_factory=dict)


def _table() -> Any:
    return table(get_settings().required("audit_table"))


def payment_subject(tenant_id: str, payment_id: str) -> str:
    return f"{tenant_id}#payment#{payment_id}"


def append(
    *,
    tenant_id: str,
    action: str,
    actor: str,
    payment_id: str | None = None,
    xero_payment_id: str | None = None,
    invoice_id: str | None = None,
    amount: Decimal | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry; never replaces anything."""
    at = datetime.now(UTC).isoformat(timespec="milliseconds")
    entry = AuditEntry(
        subject=payment_subject(tenant_id, payment_id or "-"),
        entry_id=f"{at}#{action}#{uuid.uuid4().hex[:12]}",
        tenant_id=tenant_id,
        action=action,
        actor=actor,
        at=at,
        payment_id=payment_id,
        xero_payment_id=xero_payment_id,
        invoice_id=invoice_id,
        amount=amount,
        details=details or {},
    )
    item = {k: v for k, v in entry.model_dump().items() if v is not None and v != {}}
    _table().put_item(
        Item=item,
        ConditionExpression="attribute_not_exists(subject) AND attribute_not_exists(entry_id)",
    )
    return entry


def entries_for_payment(tenant_id: str, payment_id: str) -> list[AuditEntry]:
    """A payment's trail, oldest first."""
    items = query_all(
        _table(),
        KeyConditionExpression=Key("subject").eq(payment_subject(tenant_id, payment_id)),
        ConsistentRead=True,
    )
    return [AuditEntry.model_validate(item) for item in items]
