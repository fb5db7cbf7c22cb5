"""Where a tenant's alerts go, in the NotificationChannels table: (tenant, channel id).

A channel is a Slack incoming webhook, a Discord webhook or an e-mail address, and the alert
types it takes. Its target is sealed with the stack's key (a webhook URL is the credential
that posts to the channel); `target_hint` is what may be shown (`hooks.slack.com/…/…9f2c`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from boto3.dynamodb.conditions import Key

from xero_bridge.persistence.dynamodb import (
    as_bytes,
    compact,
    delete_item,
    get_item,
    query_all,
    table,
)
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


def _key(tenant_id: str, channel_id: str) -> dict[str, str]:
    return {"tenant_id": tenant_id, "channel_id": channel_id}


def _record(item: dict[str, Any]) -> ChannelRecord:
    return ChannelRecord(
        tenant_id=item["tenant_id"],
        channel_id=item["channel_id"],
        kind=item["kind"],
        target_sealed=as_bytes(item["target_sealed"]),
        target_hint=item.get("target_hint", ""),
        alerts=list(item.get("alerts") or []),
        created_at=item["created_at"],
        created_by=item["created_by"],
        description=item.get("description"),
    )


def create(record: ChannelRecord) -> None:
    # A dataclass of plain values: its fields are the item's attributes.
    _table().put_item(
        Item=compact(asdict(record)), ConditionExpression="attribute_not_exists(channel_id)"
    )


def list_for_tenant(tenant_id: str) -> list[ChannelRecord]:
    items = query_all(_table(), KeyConditionExpression=Key("tenant_id").eq(tenant_id))
    return sorted((_record(i) for i in items), key=lambda r: (r.created_at, r.channel_id))


def get(tenant_id: str, channel_id: str) -> ChannelRecord | None:
    item = get_item(_table(), _key(tenant_id, channel_id))
    return _record(item) if item else None


def delete(tenant_id: str, channel_id: str) -> bool:
    return delete_item(_table(), _key(tenant_id, channel_id))
