"""Direct-debit mandates (the Mandates table): one item per Xero contact we collect from.

Key (``tenant_id``, ``contact_id``). A mandate is asked for by a GoCardless billing request
(its hosted flow is where the customer authorises it); the record keeps the billing request
of the current attempt and, once the customer has authorised it, the mandate GoCardless made
and its status as GoCardless last said. A new attempt (after a failed, cancelled or expired
one) bumps ``generation``: it is written only over the attempt it replaces, so two people
asking at once end with one billing request. Status changes are written only for the billing
request they are about, so a late webhook of an older attempt changes nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from xero_bridge.persistence.dynamodb import (
    compact,
    conditional_write,
    get_item,
    table,
    update_arguments,
)
from xero_bridge.settings import get_settings


class MandateRecord(BaseModel):
    model_config = ConfigDict(extra="ignore")

    tenant_id: str = Field(min_length=1)
    contact_id: str = Field(min_length=1)  # the Xero ContactID, lower case
    status: str  # ours before a mandate exists (awaiting_authorisation…), else GoCardless's
    currency: str  # EUR (SEPA Core) or GBP (Bacs)
    generation: int = 1  # which attempt (billing request) this is
    billing_request_id: str
    flow_id: str | None = None
    authorisation_url: str | None = None
    authorisation_expires_at: str | None = None
    mandate_id: str | None = None  # GoCardless's MD… once the customer authorised it
    customer_id: str | None = None  # GoCardless's CU…
    scheme: str | None = None  # sepa_core | bacs
    next_possible_charge_date: str | None = None
    cause: str | None = None  # GoCardless's cause of the last failure or cancellation
    description: str | None = None
    requested_by: str
    created_at: str
    updated_at: str


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _table() -> Any:
    return table(get_settings().required("mandates_table"))


def get(tenant_id: str, contact_id: str) -> MandateRecord | None:
    if not tenant_id or not contact_id:
        return None
    item = get_item(_table(), {"tenant_id": tenant_id, "contact_id": contact_id})
    return MandateRecord.model_validate(item) if item else None


def start(record: MandateRecord, replaces: int | None) -> bool:
    """Store a new attempt: the first (`replaces` None) or the one after generation
    `replaces`. False (nothing written) when someone else started it first."""
    if replaces is None:
        condition: dict[str, Any] = {"ConditionExpression": "attribute_not_exists(contact_id)"}
    else:
        condition = {
            "ConditionExpression": "#generation = :replaces",
            "ExpressionAttributeNames": {"#generation": "generation"},
            "ExpressionAttributeValues": {":replaces": replaces},
        }
    return conditional_write(
        _table().put_item, Item=compact(record.model_dump()), **condition
    ).written


def update(
    tenant_id: str, contact_id: str, billing_request_id: str, **fields: Any
) -> MandateRecord | None:
    """Set `fields` on the attempt of `billing_request_id`; None when the contact's current
    attempt is another one (or there is none): nothing is written."""
    arguments = update_arguments(
        set={**compact(fields), "updated_at": now_iso()},
        condition_values={":billing_request": billing_request_id},
    )
    arguments["ExpressionAttributeNames"]["#billing_request"] = "billing_request_id"
    outcome = conditional_write(
        _table().update_item,
        Key={"tenant_id": tenant_id, "contact_id": contact_id},
        ConditionExpression="#billing_request = :billing_request",
        ReturnValues="ALL_NEW",
        **arguments,
    )
    return MandateRecord.model_validate(outcome.attributes) if outcome.written else None
