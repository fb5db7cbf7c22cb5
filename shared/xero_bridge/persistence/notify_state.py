"""Short-lived state of the notifications, in the NotifyState table: (pk, sk), expiring (TTL).

- Write origins — `origin#<tenant>` / `<resource key>#<updated ms>`: this version of a Xero
  resource was produced by a write of ours (who, with which Idempotency-Key). The echo of
  that write (Xero's webhook, our domain event) then carries `origin: xero-bridge`.
- Alert marks — `alert#<tenant>` / `<channel>#<alert key>`: this alert went to this channel
  at `sent_at`; the same alert is not sent there again within the repeat window.
- Payment watches — `watch#<shard>` / `<due s>#<tenant>#<payment>#<status>`: look at this
  payment at `due`; if it still rests in `status`, it has waited too long (an alert, once).
  The sort key starts with the due time, so the sweep reads only what is due.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Any

from boto3.dynamodb.conditions import Key

from xero_bridge.persistence.dynamodb import conditional_write, delete_item, get_item, table
from xero_bridge.settings import get_settings

ORIGIN_DAYS = 7  # longer than Xero takes to send a webhook, and than the worker's retries
WATCH_SHARDS = 4


def _table() -> Any:
    return table(get_settings().required("notify_state_table"))


# ---------------------------------------------------------------------------- write origins
@dataclass(frozen=True)
class WriteOrigin:
    actor: str | None
    idempotency_key: str | None
    written_at: int  # epoch seconds


def put_origin(
    tenant_id: str,
    resource_key: str,
    updated_ms: int,
    actor: str | None,
    idempotency_key: str | None,
    now: int,
) -> None:
    item: dict[str, Any] = {
        "pk": f"origin#{tenant_id}",
        "sk": f"{resource_key}#{updated_ms}",
        "written_at": now,
        "expires_at": now + ORIGIN_DAYS * 86400,
    }
    if actor:
        item["actor"] = actor
    if idempotency_key:
        item["idempotency_key"] = idempotency_key
    _table().put_item(Item=item)


def get_origin(tenant_id: str, resource_key: str, updated_ms: int) -> WriteOrigin | None:
    key = {"pk": f"origin#{tenant_id}", "sk": f"{resource_key}#{updated_ms}"}
    item = get_item(_table(), key, consistent=False)
    if not item:
        return None
    return WriteOrigin(item.get("actor"), item.get("idempotency_key"), int(item["written_at"]))


# ---------------------------------------------------------------------------- alert marks
def claim_alert(
    tenant_id: str, channel_id: str, alert_key: str, now: int, repeat_after: int
) -> bool:
    """Mark the alert as sent to the channel now, unless it was within `repeat_after` s."""
    return conditional_write(
        _table().put_item,
        Item={
            "pk": f"alert#{tenant_id}",
            "sk": f"{channel_id}#{alert_key}",
            "sent_at": now,
            "expires_at": now + max(repeat_after, 60) + 86400,
        },
        ConditionExpression="attribute_not_exists(sk) OR sent_at <= :before",
        ExpressionAttributeValues={":before": now - repeat_after},
    ).written


def release_alert(tenant_id: str, channel_id: str, alert_key: str, sent_at: int) -> None:
    """Forget a mark whose alert could not be sent, so the retry may send it."""
    conditional_write(
        _table().delete_item,
        Key={"pk": f"alert#{tenant_id}", "sk": f"{channel_id}#{alert_key}"},
        ConditionExpression="sent_at = :sent",
        ExpressionAttributeValues={":sent": sent_at},
    )


# ---------------------------------------------------------------------------- payment watches
@dataclass(frozen=True)
class Watch:
    shard: str
    sort_key: str
    tenant_id: str
    payment_id: str
    status: str
    since: str  # when the event that set it was published (ISO 8601)


def _watch_shard(payment_id: str) -> str:
    return str(zlib.crc32(payment_id.encode()) % WATCH_SHARDS)


def put_watch(tenant_id: str, payment_id: str, status: str, since: str, due: int) -> None:
    shard = _watch_shard(payment_id)
    _table().put_item(
        Item={
            "pk": f"watch#{shard}",
            "sk": f"{due:012d}#{tenant_id}#{payment_id}#{status}",
            "tenant_id": tenant_id,
            "payment_id": payment_id,
            "status": status,
            "since": since,
            "expires_at": due + 30 * 86400,
        }
    )


def due_watches(now: int, limit: int = 100) -> list[Watch]:
    found: list[Watch] = []
    for shard in range(WATCH_SHARDS):
        page = _table().query(
            KeyConditionExpression=Key("pk").eq(f"watch#{shard}") & Key("sk").lt(f"{now:012d}~"),
            Limit=limit,
        )
        found.extend(
            Watch(str(shard), i["sk"], i["tenant_id"], i["payment_id"], i["status"], i["since"])
            for i in page.get("Items", [])
        )
    return found


def delete_watch(watch: Watch) -> bool:
    """Remove a watch; True only for the caller that removed it (one alert per watch)."""
    return delete_item(_table(), {"pk": f"watch#{watch.shard}", "sk": watch.sort_key})
