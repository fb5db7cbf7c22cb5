"""Where a tenant's alerts go, in the NotificationChannels table: (tenant, channel id).

A channel is a Slack incoming webhook, a Discord webhook or an e-mail address, and the alert
types it takes. Its target is sealed with the stack's key (a webhook URL is the credential
that posts to the channel); `target_hint` is what may be shown (`hooks.slack.com/…/…9f2c`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from boto3.dynamodb.conditions import Key

from xero_bridge.persistence.dynamodb import table
from xero_bridge.settings import get_settings


@dataclass(frozen=True)
class ChannelRecord:
    tenant_id: str
    channel_id: str
    kind: str  # slack | discord | email
    target_sealed: bytes
    target_hint: str
    alerts: list[str]
    created_at: str
    created_by: str
    description: str | None = None


def _table() -> Any:
    return table(get_settings().required("notification_channels_table"))


def _record(item: dict[str, Any]) -> ChannelRecord:
    sealed = item["target_sealed"]
    return ChannelRecord(
        tenant_id=item["tenant_id"],
        channel_id=item["channel_id"],
        kind=item["kind"],
        target_sealed=bytes(sealed.value if hasattr(sealed, "value") else sealed),
        target_hint=item.get("target_hint", ""),
        alerts=list(item.get("alerts") or []),
        created_at=item["created_at"],
        created_by=item["created_by"],
        description=item.get("description"),
    )


def create(record: ChannelRecord) -> None:
    item = {
        "tenant_id": record.tenant_id,
        "channel_id": record.channel_id,
        "kind": record.kind,
        "target_sealed": record.target_sealed,
        "target_hint": record.target_hint,
        "alerts": record.alerts,
        "created_at": record.created_at,
        "created_by": record.created_by,
        "description": record.description,
    }
    _table().put_item(
        Item={k: v for k, v in item.items() if v is not None},
        ConditionExpression="attribute_not_exists(channel_id)",
    )


def list_for_tenant(tenant_id: str) -> list[ChannelRecord]:
    items: list[dict[str, Any]] = []
    arguments: dict[str, Any] = {"KeyConditionExpression": Key("tenant_id").eq(tenant_id)}
    while True:
        page = _table().query(**arguments)
        items.extend(page.get("Items", []))
        if "LastEvaluatedKey" not in page:
            break
        arguments["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    return sorted((_record(i) for i in items), key=lambda r: (r.created_at, r.channel_id))


def get(tenant_id: str, channel_id: str) -> ChannelRecord | None:
    item = (
        _table()
        .get_item(Key={"tenant_id": tenant_id, "channel_id": channel_id}, ConsistentRead=True)
        .get("Item")
    )
    return _record(item) if item else None


def delete(tenant_id: str, channel_id: str) -> bool:
    answer = _table().delete_item(
        Key={"tenant_id": tenant_id, "channel_id": channel_id}, ReturnValues="ALL_OLD"
    )
    return bool(answer.get("Attributes"))
