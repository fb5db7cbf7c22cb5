"""The payout address book (the PayoutAddresses table): where crypto payments may go.

Key (``tenant_id``, ``entry_key``). Two kinds of item share a tenant's partition:

- ``address#<payout_address_id>`` — one entry: a supplier (Xero contact), a currency, a chain,
  the address (and tag), who added it and who approved it. An entry's address never changes:
  changing an address is a new entry, which needs its own approval;
- ``slot#<contact>#<ccy>#<chain>`` — which entry is approved for that supplier, currency and
  chain (``approved_id``) and which one waits for approval (``pending_id``): at most one of
  each, kept by conditional writes in one transaction with the entries they name.

Statuses: ``pending_approval`` → ``approved`` (by a second person) → ``superseded`` (when a
newer entry of its slot is approved) | ``deleted``. Nothing is ever removed: the book is the
record of who approved which address, so the table has point-in-time recovery.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError
from pydantic import BaseModel, ConfigDict

from xero_bridge.persistence.dynamodb import compact, get_item, query_all, table
from xero_bridge.settings import get_settings

ADDRESS = "address#"
SLOT = "slot#"


class PayoutAddress(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    tenant_id: str
    payout_address_id: str
    contact_id: str
    contact_name: str | None = None
    ccy: str
    chain: str
    address: str
    tag: str | None = None
    label: str | None = None
    status: str  # pending_approval | approved | superseded | deleted
    added_by: str
    added_at: str
    approved_by: str | None = None
    approved_at: str | None = None
    replaces: str | None = None  # the entry of its slot that was approved when it was added
    superseded_by: str | None = None
    superseded_at: str | None = None
    deleted_by: str | None = None
    deleted_at: str | None = None

    @property
    def slot(self) -> str:
        return slot_key(self.contact_id, self.ccy, self.chain)


class SlotTaken(Exception):
    """Another entry of the slot waits for approval, or the slot changed meanwhile."""


class StaleEntry(Exception):
    """The entry is no longer in the status the write expected."""


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def slot_key(contact_id: str, ccy: str, chain: str) -> str:
    return f"{SLOT}{contact_id}#{ccy}#{chain}"


def _name() -> str:
    return get_settings().required("payout_addresses_table")


def _table() -> Any:
    return table(_name())


def _item(entry: PayoutAddress) -> dict[str, Any]:
    return {**compact(entry.model_dump()), "entry_key": ADDRESS + entry.payout_address_id}


def get(tenant_id: str, payout_address_id: str) -> PayoutAddress | None:
    if not tenant_id or not payout_address_id:
        return None
    key = {"tenant_id": tenant_id, "entry_key": ADDRESS + payout_address_id}
    item = get_item(_table(), key)
    return PayoutAddress.model_validate(item) if item else None


def slot(tenant_id: str, key: str) -> dict[str, Any]:
    return dict(get_item(_table(), {"tenant_id": tenant_id, "entry_key": key}) or {})


def list_entries(tenant_id: str) -> list[PayoutAddress]:
    """Every entry of the tenant's book (any status), oldest first."""
    condition = Key("tenant_id").eq(tenant_id) & Key("entry_key").begins_with(ADDRESS)
    items = query_all(_table(), KeyConditionExpression=condition, ConsistentRead=True)
    entries = [PayoutAddress.model_validate(item) for item in items]
    return sorted(entries, key=lambda e: (e.added_at, e.payout_address_id))


def _transact(items: list[dict[str, Any]]) -> None:
    for item in items:
        next(iter(item.values()))["TableName"] = _name()
    try:
        _table().meta.client.transact_write_items(TransactItems=items)
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "TransactionCanceledException":
            raise
        reasons = [r.get("Code") for r in exc.response.get("CancellationReasons", [])]
        if reasons and reasons[0] == "ConditionalCheckFailed":
            raise StaleEntry() from None
        raise SlotTaken() from None


def add(entry: PayoutAddress) -> None:
    """Store a new pending entry as its slot's one waiting entry (SlotTaken: one waits)."""
    _transact(
        [
            {
                "Put": {
                    "Item": _item(entry),
                    "ConditionExpression": "attribute_not_exists(entry_key)",
                }
            },
            {
                "Update": {
                    "Key": {"tenant_id": entry.tenant_id, "entry_key": entry.slot},
                    "UpdateExpression": "SET pending_id = :id, contact_id = :contact",
                    "ConditionExpression": "attribute_not_exists(pending_id)",
                    "ExpressionAttributeValues": {
                        ":id": entry.payout_address_id,
                        ":contact": entry.contact_id,
                    },
                }
            },
        ]
    )


def approve(entry: PayoutAddress, approver: str, previous: str | None) -> None:
    """`entry` (pending) approved by `approver`; the slot's `previous` approved entry, if
    any, superseded by it — all or nothing (StaleEntry / SlotTaken when something moved)."""
    stamp = now_iso()
    key = {"tenant_id": entry.tenant_id, "entry_key": ADDRESS + entry.payout_address_id}
    slot_condition = "pending_id = :id AND " + (
        "approved_id = :previous" if previous else "attribute_not_exists(approved_id)"
    )
    slot_values: dict[str, Any] = {":id": entry.payout_address_id}
    if previous:
        slot_values[":previous"] = previous
    items: list[dict[str, Any]] = [
        {
            "Update": {
                "Key": key,
                "UpdateExpression": "SET #s = :approved, approved_by = :by, approved_at = :at",
                "ConditionExpression": "#s = :pending",
                "ExpressionAttributeNames": {"#s": "status"},
                "ExpressionAttributeValues": {
                    ":approved": "approved",
                    ":pending": "pending_approval",
                    ":by": approver,
                    ":at": stamp,
                },
            }
        },
        {
            "Update": {
                "Key": {"tenant_id": entry.tenant_id, "entry_key": entry.slot},
                "UpdateExpression": "SET approved_id = :id REMOVE pending_id",
                "ConditionExpression": slot_condition,
                "ExpressionAttributeValues": slot_values,
            }
        },
    ]
    if previous:
        items.append(
            {
                "Update": {
                    "Key": {"tenant_id": entry.tenant_id, "entry_key": ADDRESS + previous},
                    "UpdateExpression": (
                        "SET #s = :superseded, superseded_by = :id, superseded_at = :at"
                    ),
                    "ConditionExpression": "#s = :approved",
                    "ExpressionAttributeNames": {"#s": "status"},
                    "ExpressionAttributeValues": {
                        ":superseded": "superseded",
                        ":approved": "approved",
                        ":id": entry.payout_address_id,
                        ":at": stamp,
                    },
                }
            }
        )
    _transact(items)


def delete(entry: PayoutAddress, actor: str) -> None:
    """`entry` (pending or approved) deleted, and its slot no longer naming it."""
    field = "pending_id" if entry.status == "pending_approval" else "approved_id"
    _transact(
        [
            {
                "Update": {
                    "Key": {
                        "tenant_id": entry.tenant_id,
                        "entry_key": ADDRESS + entry.payout_address_id,
                    },
                    "UpdateExpression": "SET #s = :deleted, deleted_by = :by, deleted_at = :at",
                    "ConditionExpression": "#s = :was",
                    "ExpressionAttributeNames": {"#s": "status"},
                    "ExpressionAttributeValues": {
                        ":deleted": "deleted",
                        ":was": entry.status,
                        ":by": actor,
                        ":at": now_iso(),
                    },
                }
            },
            {
                "Update": {
                    "Key": {"tenant_id": entry.tenant_id, "entry_key": entry.slot},
                    "UpdateExpression": f"REMOVE {field}",
                    "ConditionExpression": f"{field} = :id",
                    "ExpressionAttributeValues": {":id": entry.payout_address_id},
                }
            },
        ]
    )
