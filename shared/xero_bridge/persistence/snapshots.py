"""The newest snapshot of each Xero resource, in the Snapshots table: (tenant, resource key).

A snapshot is written only when it is newer than the stored one (Xero's UpdatedDateUTC, in
epoch milliseconds), so deliveries processed out of order never bring back older data. The
data keeps Xero's JSON shape with every number as Decimal (DynamoDB refuses floats, and
money must stay exact).

The write that stores a version also makes its writer the one to publish that version's
domain event (`publish_pending`, `publish_owner`, `publish_lease_until`); how publication is
claimed, given up and recorded is `snapshot_publication`.

The records API reads snapshots instead of calling Xero when they are fresh enough
(`xero_bridge.records.snapshot_reads`). For that an item also says when and how its data was
fetched (`fetched_ms`, `fetch_form`, `unitdp`; items written before these existed have none
and are never served), and carries write fences: `pending_writes` (records-API writes in
progress, each "<expires_ms>#<writer>") and `invalidated_ms` (the end of the last one). Data
fetched before a fence is not served. The key `<CATEGORY>#*` holds the fences of a whole
category of one tenant (a contact renamed changes every invoice that names it). A fence may
exist before any data (an item without `updated_ms`): it is no snapshot, and the first real
version is stored over it. Versions are written with UpdateItem so fences survive them.
"""

from __future__ import annotations

import gzip
import json
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from boto3.dynamodb.types import Binary

from xero_bridge import decimal_json
from xero_bridge.persistence.dynamodb import (
    batch_get,
    conditional_write,
    get_item,
    query_all,
    table,
    update_arguments,
)
from xero_bridge.settings import get_settings

# DynamoDB items stop at 400 KB; a larger document (an invoice with hundreds of lines) is
# stored gzipped as JSON text instead of as a map.
_MAP_LIMIT_BYTES = 300_000


# How a snapshot's data was fetched (`fetch_form`): the worker's list call
# (GET /Invoices?IDs=…&page=1), or a GET of the one record (the records API's reads).
FORM_LIST = "list"
FORM_SINGLE = "single"
# The publisher named on versions the records API stores: nobody publishes under it, so the
# worker takes the publication over (its lease is already over) when Xero's webhook comes.
NO_PUBLISHER = "unpublished"


@dataclass(frozen=True)
class Snapshot:
    tenant_id: str
    category: str  # INVOICE, CONTACT, CREDITNOTE
    resource_id: str
    updated_ms: int  # Xero's UpdatedDateUTC, epoch milliseconds
    data: dict[str, Any]
    # When the request that fetched `data` was sent (epoch ms): the data is at least that new.
    fetched_ms: int | None = None
    fetch_form: str | None = None  # FORM_LIST or FORM_SINGLE
    unitdp: int | None = None  # decimals of unit prices asked of Xero (None: Xero's 2)

    @property
    def resource_key(self) -> str:
        return resource_key(self.category, self.resource_id)


def resource_key(category: str, resource_id: str) -> str:
    return f"{category.upper()}#{resource_id.lower()}"


def category_key(category: str) -> str:
    """The key holding the write fences of every resource of a category (of one tenant)."""
    return f"{category.upper()}#*"


def snapshots_table() -> Any:
    """The Snapshots table (also `snapshot_publication`'s)."""
    return table(get_settings().required("snapshots_table"))


def _key(tenant_id: str, key: str) -> dict[str, str]:
    """An item's key: a resource key or a category key of `tenant_id`."""
    return {"tenant_id": tenant_id, "resource_key": key}


def json_text(value: Any) -> str:
    """Xero's JSON text of `value` (snapshot data), every Decimal as the exact number."""
    return decimal_json.dumps(value)


def _data_attributes(data: dict[str, Any]) -> dict[str, Any]:
    text = decimal_json.dumps(data)
    if len(text.encode("utf-8")) > _MAP_LIMIT_BYTES:
        return {"data_gzip": Binary(gzip.compress(text.encode("utf-8")))}
    return {"data": _decimals(data)}


def _version_attributes(snapshot: Snapshot) -> tuple[dict[str, Any], list[str]]:
    """What a version of `snapshot` sets, and the attributes of an older version it drops."""
    sets = _data_attributes(snapshot.data)
    removes = ["data_gzip" if "data" in sets else "data"]
    for name in ("fetched_ms", "fetch_form", "unitdp"):
        value = getattr(snapshot, name)
        if value is None:
            removes.append(name)  # the older version's fetch does not describe this one
        else:
            sets[name] = value
    return sets, removes


def _decimals(value: Any) -> Any:
    """Numbers as Decimal (a float would be refused by DynamoDB and lose exactness)."""
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, dict):
        return {key: _decimals(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_decimals(item) for item in value]
    return value


def store_if_newer(snapshot: Snapshot, owner: str, lease_until: int) -> bool:
    """Store `snapshot` if nothing at least as new is stored; True when it was written.

    The writer becomes the publisher of this version (publish_pending, under a lease).
    An UpdateItem, not a PutItem: the item's write fences (records API writes) stay.
    """
    sets, removes = _version_attributes(snapshot)
    sets = {
        "category": snapshot.category,
        "resource_id": snapshot.resource_id,
        "updated_ms": snapshot.updated_ms,
        "stored_at": int(time.time()),
        "publish_pending": True,
        "publish_owner": owner,
        "publish_lease_until": lease_until,
        **sets,
    }
    return conditional_write(
        snapshots_table().update_item,
        Key=_key(snapshot.tenant_id, snapshot.resource_key),
        ConditionExpression="attribute_not_exists(updated_ms) OR updated_ms < :updated",
        **update_arguments(
            set=sets,
            remove=[*removes, "published_ms", "published_at"],
            condition_values={":updated": snapshot.updated_ms},
        ),
    ).written


def record_fetch(snapshot: Snapshot) -> Literal["refreshed", "stored", "kept"]:
    """Record a fetch of the records API (data, `fetched_ms`, form).

    The stored version fetched again: its data and fetch time are refreshed (`refreshed`),
    unless a later fetch is recorded already; its publication is left alone. A version newer
    than the stored one (or the first): stored as the worker stores one (`stored`), with a
    publication nobody holds, so the worker publishes it when Xero's webhook for it comes.
    An older version than the stored one: nothing changes (`kept`).
    """
    if snapshot.fetched_ms is None:
        raise ValueError("a recorded fetch needs fetched_ms")
    sets, removes = _version_attributes(snapshot)
    refreshed = conditional_write(
        snapshots_table().update_item,
        Key=_key(snapshot.tenant_id, snapshot.resource_key),
        ConditionExpression=(
            "updated_ms = :updated AND (attribute_not_exists(fetched_ms) OR fetched_ms < :fetched)"
        ),
        **update_arguments(
            set=sets,
            remove=removes,
            condition_values={":updated": snapshot.updated_ms, ":fetched": snapshot.fetched_ms},
        ),
    )
    if refreshed.written:
        return "refreshed"
    return "stored" if store_if_newer(snapshot, NO_PUBLISHER, 0) else "kept"


def begin_write(tenant_id: str, keys: list[str], writer: str, expires_ms: int) -> None:
    """Fence `keys` (resource or category keys) while a write of ours may be changing them:
    until `end_write`, and in any case until `expires_ms`, nothing fetched before is served."""
    entry = f"{expires_ms}#{writer}"
    for key in keys:
        snapshots_table().update_item(
            Key=_key(tenant_id, key),
            UpdateExpression="ADD pending_writes :entry",
            ExpressionAttributeValues={":entry": {entry}},
        )


def end_write(tenant_id: str, keys: list[str], writer: str, expires_ms: int, ended_ms: int) -> None:
    """The write is over (done or failed): data fetched before `ended_ms` is not served."""
    entry = {f"{expires_ms}#{writer}"}
    for key in keys:
        item_key = _key(tenant_id, key)
        ended = conditional_write(
            snapshots_table().update_item,
            Key=item_key,
            UpdateExpression="DELETE pending_writes :entry SET invalidated_ms = :ended",
            ConditionExpression="attribute_not_exists(invalidated_ms) OR invalidated_ms < :ended",
            ExpressionAttributeValues={":entry": entry, ":ended": ended_ms},
        )
        if not ended.written:
            # A later write's end is recorded already: only our entry goes.
            snapshots_table().update_item(
                Key=item_key,
                UpdateExpression="DELETE pending_writes :entry",
                ExpressionAttributeValues={":entry": entry},
            )


def get_for_read(
    tenant_id: str, category: str, resource_id: str
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """The stored item of one resource (decoded) and its category's fences, in one consistent
    read (BatchGetItem); None for what does not exist."""
    own, shared = resource_key(category, resource_id), category_key(category)
    keys = [_key(tenant_id, k) for k in (own, shared)]
    items = batch_get(snapshots_table(), keys, ConsistentRead=True)
    found = {str(item["resource_key"]): dict(item) for item in items}
    item = found.get(own)
    return (_decoded(item) if item else None), found.get(shared)


def get_snapshot(tenant_id: str, category: str, resource_id: str) -> dict[str, Any] | None:
    """The stored item (with `data` decoded whichever way it was stored), or None (also for
    a fence without any version yet)."""
    item = get_item(snapshots_table(), _key(tenant_id, resource_key(category, resource_id)))
    return _decoded(item) if item and "updated_ms" in item else None


def get_snapshots(tenant_id: str, category: str, resource_ids: list[str]) -> dict[str, Any]:
    """The stored items of many resources of one category (decoded), by lower-case resource
    id; ids without a version are left out. BatchGetItem, 100 keys a call."""
    keys = [
        _key(tenant_id, resource_key(category, rid))
        for rid in dict.fromkeys(r.lower() for r in resource_ids)
    ]
    items = batch_get(snapshots_table(), keys, ConsistentRead=True)
    return {
        str(item["resource_key"]).split("#", 1)[1]: _decoded(item)
        for item in items
        if "updated_ms" in item
    }


def list_snapshots(tenant_id: str) -> list[dict[str, Any]]:
    """Every snapshot of one tenant (operators and tests; the worker never lists)."""
    items = query_all(
        snapshots_table(),
        KeyConditionExpression="tenant_id = :tenant",
        ExpressionAttributeValues={":tenant": tenant_id},
        ConsistentRead=True,
    )
    # Fences without a version (and category fences) are no snapshots.
    return [_decoded(item) for item in items if "updated_ms" in item]


def _decoded(item: dict[str, Any]) -> dict[str, Any]:
    decoded = dict(item)
    packed = decoded.pop("data_gzip", None)
    if packed is not None:
        raw = packed.value if isinstance(packed, Binary) else packed  # type: ignore[attr-defined]
        decoded["data"] = json.loads(gzip.decompress(raw), parse_float=Decimal)
    return decoded
