"""Deliveries of events to webhook endpoints, in the WebhookDeliveries table:
(endpoint id, delivery id).

One item per (event, endpoint): the exact body sent, its status (`pending` until the first
attempt, `retrying`, `delivered`, `failed` after three days, `cancelled` when the endpoint
went away), the attempts with their answers, and when the next one is due. A delivery id is
derived from the event and the endpoint, so an event fanned out twice is stored once.

- `by_endpoint_created` lists an endpoint's deliveries newest first.
- `by_due` (sparse: only deliveries still to be tried carry `due_shard`) is what the sweep
  reads to send a delivery whose wait was longer than SQS can delay a message, or whose
  message was lost.
- One attempt at a time: an attempt takes the delivery's lease (`lease_owner`, `lease_until`)
  and only the lease holder records its outcome.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from typing import Any, Literal

from boto3.dynamodb.conditions import Key

from xero_bridge.persistence.cursors import decode_cursor, encode_cursor
from xero_bridge.persistence.dynamodb import (
    conditional_write,
    get_item,
    query_page,
    table,
    update_arguments,
)
from xero_bridge.settings import get_settings

Status = Literal["pending", "retrying", "delivered", "failed", "cancelled"]
OPEN: tuple[Status, ...] = ("pending", "retrying")
DUE_SHARDS = 4
KEEP_DAYS = 30  # deliveries are kept for people to look at, then expire (TTL)
ATTEMPTS_KEPT = 20  # the log keeps the newest attempts (the count keeps them all)


@dataclass(frozen=True)
class DeliveryRecord:
    endpoint_id: str
    delivery_id: str
    tenant_id: str
    event_id: str
    event_type: str
    body: str  # the JSON text sent, byte for byte
    created_ms: int
    status: Status = "pending"
    attempts: int = 0
    attempt_log: list[dict[str, Any]] = field(default_factory=list)
    next_attempt_ms: int | None = None
    delivered_ms: int | None = None
    replay_of: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class DueDelivery:
    endpoint_id: str
    delivery_id: str
    tenant_id: str
    attempts: int
    next_attempt_ms: int
    queued: bool
    enqueued_ms: int


def _table() -> Any:
    return table(get_settings().required("webhook_deliveries_table"))


def _key(endpoint_id: str, delivery_id: str) -> dict[str, str]:
    return {"endpoint_id": endpoint_id, "delivery_id": delivery_id}


def due_shard(delivery_id: str) -> str:
    return str(zlib.crc32(delivery_id.encode()) % DUE_SHARDS)


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _record(item: dict[str, Any]) -> DeliveryRecord:
    return DeliveryRecord(
        endpoint_id=item["endpoint_id"],
        delivery_id=item["delivery_id"],
        tenant_id=item["tenant_id"],
        event_id=item["event_id"],
        event_type=item["event_type"],
        body=item["body"],
        created_ms=int(item["created_ms"]),
        status=item["status"],
        attempts=int(item.get("attempts", 0)),
        attempt_log=[_plain(entry) for entry in item.get("attempt_log") or []],
        next_attempt_ms=_int(item.get("next_attempt_ms")),
        delivered_ms=_int(item.get("delivered_ms")),
        replay_of=item.get("replay_of"),
        note=item.get("note"),
    )


def _plain(entry: dict[str, Any]) -> dict[str, Any]:
    """Numbers as ints (DynamoDB gives Decimals back)."""
    return {
        k: int(v) if hasattr(v, "as_integer_ratio") and not isinstance(v, bool) else v
        for k, v in entry.items()
    }


def create(record: DeliveryRecord) -> bool:
    """Store a new delivery, due now and already queued; False when it exists."""
    item: dict[str, Any] = {
        "endpoint_id": record.endpoint_id,
        "delivery_id": record.delivery_id,
        "tenant_id": record.tenant_id,
        "event_id": record.event_id,
        "event_type": record.event_type,
        "body": record.body,
        "created_ms": record.created_ms,
        "status": "pending",
        "attempts": 0,
        "attempt_log": [],
        "next_attempt_ms": record.created_ms,
        "due_shard": due_shard(record.delivery_id),
        "queued": True,
        "enqueued_ms": record.created_ms,
        "expires_at": record.created_ms // 1000 + KEEP_DAYS * 86400,
    }
    if record.replay_of:
        item["replay_of"] = record.replay_of
    return conditional_write(
        _table().put_item, Item=item, ConditionExpression="attribute_not_exists(delivery_id)"
    ).written


def get(endpoint_id: str, delivery_id: str) -> DeliveryRecord | None:
    item = get_item(_table(), _key(endpoint_id, delivery_id))
    return _record(item) if item else None


def _cursor(start: dict[str, Any] | None) -> str | None:
    if not start:
        return None
    # The index's key, with created_ms a number again (DynamoDB answers a Decimal).
    return encode_cursor({k: int(v) if k == "created_ms" else str(v) for k, v in start.items()})


def _start(endpoint_id: str, cursor: str) -> dict[str, Any]:
    def valid(start: Any) -> bool:
        return (
            isinstance(start, dict)
            and set(start) == {"endpoint_id", "delivery_id", "created_ms"}
            and start["endpoint_id"] == endpoint_id
            and isinstance(start["created_ms"], int)
        )

    return dict(decode_cursor(cursor, valid, "page is not a page token of this list"))


def list_page(
    endpoint_id: str, limit: int, cursor: str | None = None
) -> tuple[list[DeliveryRecord], str | None]:
    """One page of an endpoint's deliveries, newest first, and the cursor of the next page
    (None: the last)."""
    start = _start(endpoint_id, cursor) if cursor else None
    page = query_page(
        _table(),
        start,
        IndexName="by_endpoint_created",
        KeyConditionExpression=Key("endpoint_id").eq(endpoint_id),
        ScanIndexForward=False,
        Limit=limit,
    )
    return [_record(i) for i in page.items], _cursor(page.next_start)


@dataclass(frozen=True)
class Claim:
    """`claimed` (with the delivery as it now is), `stale` (gone, closed, or at another
    attempt: the message is a duplicate), or `busy` (a live attempt holds its lease)."""

    outcome: Literal["claimed", "stale", "busy"]
    record: DeliveryRecord | None = None


def claim(
    endpoint_id: str, delivery_id: str, attempts: int, owner: str, now_ms: int, until_ms: int
) -> Claim:
    """Take the delivery's lease for attempt number `attempts + 1` (one call: the answer
    carries the delivery, or why it cannot be taken)."""
    outcome = conditional_write(
        _table().update_item,
        Key=_key(endpoint_id, delivery_id),
        UpdateExpression="SET lease_owner = :owner, lease_until = :until",
        ConditionExpression=(
            "attempts = :attempts AND #status IN (:pending, :retrying) AND "
            "(attribute_not_exists(lease_until) OR lease_until < :now)"
        ),
        ExpressionAttributeNames={"#status": "status"},
        ExpressionAttributeValues={
            ":owner": owner,
            ":until": until_ms,
            ":attempts": attempts,
            ":pending": "pending",
            ":retrying": "retrying",
            ":now": now_ms,
        },
        ReturnValues="ALL_NEW",
        ReturnValuesOnConditionCheckFailure="ALL_OLD",
    )
    if outcome.written:
        return Claim("claimed", _record(outcome.attributes or {}))
    current = _record(outcome.current) if outcome.current else None
    if current is None or current.status not in OPEN or current.attempts != attempts:
        return Claim("stale", current)
    return Claim("busy", current)


def release(endpoint_id: str, delivery_id: str, owner: str) -> None:
    """Give the lease back without an attempt (the endpoint had no free slot)."""
    conditional_write(
        _table().update_item,
        Key=_key(endpoint_id, delivery_id),
        UpdateExpression="REMOVE lease_owner, lease_until",
        ConditionExpression="lease_owner = :owner",
        ExpressionAttributeValues={":owner": owner},
    )


def record_attempt(
    record: DeliveryRecord,
    owner: str,
    entry: dict[str, Any],
    status: Status,
    next_attempt_ms: int | None,
    queued: bool,
    now_ms: int,
) -> bool:
    """The outcome of the attempt `owner` made: the log gains `entry`, the delivery becomes
    `status` (due again at `next_attempt_ms` while open). False when the lease was lost."""
    log = [*record.attempt_log, entry][-ATTEMPTS_KEPT:]
    sets: dict[str, Any] = {"attempts": record.attempts + 1, "attempt_log": log, "status": status}
    removes = ["lease_owner", "lease_until"]
    if status in OPEN and next_attempt_ms is not None:
        sets.update(
            next_attempt_ms=next_attempt_ms,
            due_shard=due_shard(record.delivery_id),
            queued=queued,
            enqueued_ms=now_ms if queued else 0,
        )
    else:
        removes += ["next_attempt_ms", "due_shard", "queued", "enqueued_ms"]
    if status == "delivered":
        sets["delivered_ms"] = now_ms
    return conditional_write(
        _table().update_item,
        Key=_key(record.endpoint_id, record.delivery_id),
        ConditionExpression="lease_owner = :owner",
        **update_arguments(set=sets, remove=removes, condition_values={":owner": owner}),
    ).written


def cancel(endpoint_id: str, delivery_id: str, note: str) -> None:
    """Close an open delivery that can no longer be sent (its endpoint is gone)."""
    conditional_write(
        _table().update_item,
        Key=_key(endpoint_id, delivery_id),
        UpdateExpression=(
            "SET #status = :cancelled, note = :note "
            "REMOVE next_attempt_ms, due_shard, queued, enqueued_ms, lease_owner, lease_until"
        ),
        ConditionExpression="#status IN (:pending, :retrying)",
        ExpressionAttributeNames={"#status": "status"},
        ExpressionAttributeValues={
            ":cancelled": "cancelled",
            ":note": note,
            ":pending": "pending",
            ":retrying": "retrying",
        },
    )


def due(shard: str, now_ms: int, limit: int = 200) -> list[DueDelivery]:
    """Open deliveries of one shard whose next attempt is due by `now_ms` (oldest first)."""
    page = _table().query(
        IndexName="by_due",
        KeyConditionExpression=Key("due_shard").eq(shard) & Key("next_attempt_ms").lte(now_ms),
        Limit=limit,
    )
    return [
        DueDelivery(
            endpoint_id=i["endpoint_id"],
            delivery_id=i["delivery_id"],
            tenant_id=i["tenant_id"],
            attempts=int(i.get("attempts", 0)),
            next_attempt_ms=int(i["next_attempt_ms"]),
            queued=bool(i.get("queued")),
            enqueued_ms=int(i.get("enqueued_ms", 0)),
        )
        for i in page.get("Items", [])
    ]


def mark_enqueued(endpoint_id: str, delivery_id: str, attempts: int, now_ms: int) -> None:
    """The sweep sent this delivery's message: it is queued as of now."""
    conditional_write(
        _table().update_item,
        Key=_key(endpoint_id, delivery_id),
        UpdateExpression="SET queued = :true, enqueued_ms = :now",
        ConditionExpression="attempts = :attempts AND attribute_exists(due_shard)",
        ExpressionAttributeValues={":true": True, ":now": now_ms, ":attempts": attempts},
    )
