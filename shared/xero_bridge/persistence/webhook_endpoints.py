"""The business's webhook endpoints, in the WebhookEndpoints table: (tenant, endpoint id).

An item holds the URL, the event types it wants, its status (`active`, or `failing` once a
delivery gave up after three days; the next 2xx makes it active again), who created it, and
its signing secret sealed with the stack's key (`notify.sealed`; never stored or logged in
the clear). It also holds the endpoint's delivery slots (`slots`: slot number -> lease), which
bound how many deliveries to it are in flight at once, so a slow endpoint cannot take every
delivery worker.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from boto3.dynamodb.conditions import Key

from xero_bridge.persistence.dynamodb import (
    as_bytes,
    compact,
    conditional_write,
    delete_item,
    get_item,
    query_all,
    table,
)
from xero_bridge.settings import get_settings


@dataclass(frozen=True)
class EndpointRecord:
    tenant_id: str
    endpoint_id: str
    url: str
    events: list[str]
    secret_sealed: bytes
    created_at: str
    created_by: str
    created_by_email: str | None = None
    description: str | None = None
    status: str = "active"  # active | failing
    failing_since: str | None = None


def _table() -> Any:
    return table(get_settings().required("webhook_endpoints_table"))


def _key(tenant_id: str, endpoint_id: str) -> dict[str, str]:
    return {"tenant_id": tenant_id, "endpoint_id": endpoint_id}


def _record(item: dict[str, Any]) -> EndpointRecord:
    return EndpointRecord(
        tenant_id=item["tenant_id"],
        endpoint_id=item["endpoint_id"],
        url=item["url"],
        events=list(item.get("events") or []),
        secret_sealed=as_bytes(item["secret_sealed"]),
        created_at=item["created_at"],
        created_by=item["created_by"],
        created_by_email=item.get("created_by_email"),
        description=item.get("description"),
        status=item.get("status", "active"),
        failing_since=item.get("failing_since"),
    )


def create(record: EndpointRecord) -> None:
    # The record's fields (a new endpoint is never failing yet), and no slot taken.
    item: dict[str, Any] = {**asdict(record), "slots": {}}
    del item["failing_since"]
    _table().put_item(Item=compact(item), ConditionExpression="attribute_not_exists(endpoint_id)")


def list_for_tenant(tenant_id: str) -> list[EndpointRecord]:
    """Every endpoint of a tenant (a tenant has a few: their number is capped)."""
    items = query_all(_table(), KeyConditionExpression=Key("tenant_id").eq(tenant_id))
    return sorted((_record(i) for i in items), key=lambda r: (r.created_at, r.endpoint_id))


def get(tenant_id: str, endpoint_id: str) -> EndpointRecord | None:
    item = get_item(_table(), _key(tenant_id, endpoint_id))
    return _record(item) if item else None


def delete(tenant_id: str, endpoint_id: str) -> bool:
    """Remove an endpoint; False when there was none."""
    return delete_item(_table(), _key(tenant_id, endpoint_id))


@dataclass(frozen=True)
class Slot:
    """A delivery slot taken (`number`), or none free (None); and the endpoint as it is
    (None: it is gone)."""

    number: int | None
    endpoint: EndpointRecord | None


def take_slot(
    tenant_id: str, endpoint_id: str, slots: int, owner: str, now_ms: int, until_ms: int
) -> Slot:
    """One of the endpoint's `slots` delivery slots for `owner` until `until_ms`. A slot whose
    lease ran out is free. The answer carries the endpoint, so no read is needed."""
    endpoint: EndpointRecord | None = None
    for slot in range(slots):
        outcome = conditional_write(
            _table().update_item,
            Key=_key(tenant_id, endpoint_id),
            UpdateExpression="SET slots.#slot = :lease",
            ConditionExpression=(
                "attribute_exists(endpoint_id) AND "
                "(attribute_not_exists(slots.#slot) OR slots.#slot.#until < :now)"
            ),
            ExpressionAttributeNames={"#slot": str(slot), "#until": "until"},
            ExpressionAttributeValues={
                ":lease": {"owner": owner, "until": until_ms},
                ":now": now_ms,
            },
            ReturnValues="ALL_NEW",
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )
        if outcome.written:
            return Slot(slot, _record(outcome.attributes or {}))
        if outcome.current is None:
            return Slot(None, None)  # the endpoint is gone
        if endpoint is None:
            endpoint = _record(outcome.current)
    return Slot(None, endpoint)


def release_slot(tenant_id: str, endpoint_id: str, slot: int, owner: str) -> None:
    # Refused: someone took it over after our lease ran out, or it is gone.
    conditional_write(
        _table().update_item,
        Key=_key(tenant_id, endpoint_id),
        UpdateExpression="REMOVE slots.#slot",
        ConditionExpression="slots.#slot.#owner = :owner",
        ExpressionAttributeNames={"#slot": str(slot), "#owner": "owner"},
        ExpressionAttributeValues={":owner": owner},
    )


def set_status(tenant_id: str, endpoint_id: str, status: str, since: str | None) -> bool:
    """Move the endpoint to `status` (active | failing); True only for the one caller that
    changed it (so one alert says it is failing, not one per delivery)."""
    expression = "SET #status = :status"
    values: dict[str, Any] = {":status": status}
    if since is not None:
        expression += ", failing_since = :since"
        values[":since"] = since
    else:
        expression += " REMOVE failing_since"
    return conditional_write(
        _table().update_item,
        Key=_key(tenant_id, endpoint_id),
        UpdateExpression=expression,
        ConditionExpression="attribute_exists(endpoint_id) AND #status <> :status",
        ExpressionAttributeNames={"#status": "status"},
        ExpressionAttributeValues=values,
    ).written
