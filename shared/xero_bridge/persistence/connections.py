"""Xero connections: one item per connected Xero tenant (the Connections table).

Key ``tenant_id``; the ``by_token_set`` index (``token_set_id``) answers "which tenants does
this token set reach" (a disconnect revokes a refresh token only when no connection still
uses it; ``invalid_grant`` marks every tenant of a dead token set). No token is stored here:
a connection names its token set, whose tokens live in the TokenSets table.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, Literal

from boto3.dynamodb.conditions import Key
from pydantic import BaseModel, ConfigDict, Field

from xero_bridge.persistence.dynamodb import (
    batch_get,
    conditional_write,
    get_item,
    query_all,
    table,
)
from xero_bridge.settings import get_settings

BY_TOKEN_SET_INDEX = "by_token_set"
ConnectionStatus = Literal["active", "needs_reconnect"]
ConnectionKind = Literal["oauth", "custom"]


class Connection(BaseModel):
    model_config = ConfigDict(frozen=True)

    tenant_id: str = Field(min_length=1)
    tenant_name: str = ""
    tenant_type: str = "ORGANISATION"
    connection_id: str | None = Field(None, description="Xero's id of the connection")
    token_set_id: str = Field(min_length=1)
    connected_by: str = Field(min_length=1, description="Okta sub, or 'custom-connection'")
    connected_at: str = Field(default_factory=lambda: now_iso())
    status: ConnectionStatus = "active"
    kind: ConnectionKind = "oauth"
    auth_event_id: str | None = None
    scopes: list[str] = Field(default_factory=list)
    # Scopes Xero refused a call for (401 AuthorizationUnsuccessful); a reconnect clears them.
    refused_scopes: list[str] = Field(default_factory=list)
    updated_at: str = Field(default_factory=lambda: now_iso())


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _table() -> Any:
    return table(get_settings().required("connections_table"))


def _item(connection: Connection) -> dict[str, Any]:
    item = connection.model_dump()
    return {key: value for key, value in item.items() if value not in (None, "")}


def _model(item: dict[str, Any]) -> Connection:
    return Connection.model_validate(item)


def put_connection(connection: Connection) -> Connection | None:
    """Store (or replace) the tenant's connection; returns the one it replaced, if any."""
    response = _table().put_item(Item=_item(connection), ReturnValues="ALL_OLD")
    old = response.get("Attributes")
    return _model(old) if old else None


def get_connection(tenant_id: str, consistent: bool = False) -> Connection | None:
    if not tenant_id:
        return None
    item = get_item(_table(), {"tenant_id": tenant_id}, consistent=consistent)
    return _model(item) if item else None


def get_connections(tenant_ids: Iterable[str]) -> list[Connection]:
    """The connections of `tenant_ids` that exist (BatchGetItem, 100 keys a call)."""
    wanted = sorted({tenant_id for tenant_id in tenant_ids if tenant_id})
    items = batch_get(_table(), [{"tenant_id": t} for t in wanted])
    return sorted(map(_model, items), key=lambda c: (c.tenant_name.lower(), c.tenant_id))


def connections_for_token_set(token_set_id: str) -> list[Connection]:
    """Every tenant reached through `token_set_id` (the by_token_set index)."""
    items = query_all(
        _table(),
        IndexName=BY_TOKEN_SET_INDEX,
        KeyConditionExpression=Key("token_set_id").eq(token_set_id),
    )
    return [_model(item) for item in items]


def set_status(tenant_id: str, status: ConnectionStatus, token_set_id: str) -> bool:
    """Set the status if the tenant is still reached through `token_set_id`; True if it was.

    The condition stops a late `invalid_grant` on an old token set from marking a tenant that
    has been reconnected through a new one.
    """
    return conditional_write(
        _table().update_item,
        Key={"tenant_id": tenant_id},
        UpdateExpression="SET #s = :s, updated_at = :u",
        ConditionExpression="token_set_id = :ts",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":s": status, ":u": now_iso(), ":ts": token_set_id},
    ).written


def add_refused_scope(tenant_id: str, scope: str, token_set_id: str) -> bool:
    """Remember that Xero refused a call for lack of `scope`, if the tenant is still reached
    through `token_set_id` (a reconnect since then has its own scopes); True if added."""
    return conditional_write(
        _table().update_item,
        Key={"tenant_id": tenant_id},
        UpdateExpression=(
            "SET refused_scopes = list_append(if_not_exists(refused_scopes, :none), :scope),"
            " updated_at = :u"
        ),
        ConditionExpression="token_set_id = :ts AND NOT contains(refused_scopes, :name)",
        ExpressionAttributeValues={
            ":none": [],
            ":scope": [scope],
            ":name": scope,
            ":u": now_iso(),
            ":ts": token_set_id,
        },
    ).written


def delete_connection(tenant_id: str, token_set_id: str | None = None) -> bool:
    """Remove the tenant's connection (only if still on `token_set_id`, when given)."""
    condition: dict[str, Any] = {"ConditionExpression": "attribute_exists(tenant_id)"}
    if token_set_id is not None:
        condition = {
            "ConditionExpression": "token_set_id = :ts",
            "ExpressionAttributeValues": {":ts": token_set_id},
        }
    return conditional_write(
        _table().delete_item, Key={"tenant_id": tenant_id}, **condition
    ).written
