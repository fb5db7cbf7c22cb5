"""Tenant grants: which Okta user may reach which Xero tenant (the Grants table).

One item per (user, tenant): partition key ``user_sub``, sort key ``tenant_id``, and the
``by_tenant`` index (``tenant_id``, ``user_sub``) for "who can reach this tenant". A grant
comes from connecting the tenant (``via="connect"``) or from an administrator
(``via="admin"``); ``granted_by`` is the sub of whoever made it, for the audit trail.

``has_grant`` reads strongly consistently, so a grant works (and a revocation bites) on the
very next request. Nothing here is cached in memory for the same reason.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from boto3.dynamodb.conditions import Key
from pydantic import BaseModel, ConfigDict, Field

from xero_bridge.persistence.dynamodb import delete_item, get_item, query_all, table
from xero_bridge.settings import get_settings

BY_TENANT_INDEX = "by_tenant"
GrantVia = Literal["connect", "admin"]


class Grant(BaseModel):
    model_config = ConfigDict(frozen=True)

    user_sub: str = Field(min_length=1)
    tenant_id: str = Field(min_length=1)
    granted_by: str = Field(min_length=1)
    via: GrantVia = "connect"
    granted_at: str = Field(description="ISO 8601, UTC")


def _table() -> Any:
    return table(get_settings().required("grants_table"))


def _require(**values: str) -> None:
    # DynamoDB rejects empty key values with a ValidationException (a 500); say so plainly.
    for name, value in values.items():
        if not isinstance(value, str) or not value:
            raise ValueError(f"{name} must be a non-empty string")


def grant(user_sub: str, tenant_id: str, granted_by: str, via: GrantVia = "connect") -> Grant:
    """Let `user_sub` reach `tenant_id` (idempotent: granting again refreshes the record)."""
    _require(user_sub=user_sub, tenant_id=tenant_id, granted_by=granted_by)
    if via not in ("connect", "admin"):
        raise ValueError("via must be 'connect' or 'admin'")
    record = Grant(
        user_sub=user_sub,
        tenant_id=tenant_id,
        granted_by=granted_by,
        via=via,
        granted_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    _table().put_item(Item=record.model_dump())
    return record


def revoke(user_sub: str, tenant_id: str) -> bool:
    """Remove the grant; True when there was one."""
    _require(user_sub=user_sub, tenant_id=tenant_id)
    return delete_item(_table(), {"user_sub": user_sub, "tenant_id": tenant_id})


def get_grant(user_sub: str, tenant_id: str) -> Grant | None:
    if not user_sub or not tenant_id:
        return None
    item = get_item(_table(), {"user_sub": user_sub, "tenant_id": tenant_id})
    return Grant.model_validate(item) if item else None


def has_grant(user_sub: str, tenant_id: str) -> bool:
    """Whether `user_sub` may reach `tenant_id` (strongly consistent)."""
    return get_grant(user_sub, tenant_id) is not None


def grants_for_user(user_sub: str) -> list[Grant]:
    _require(user_sub=user_sub)
    items = query_all(
        _table(), KeyConditionExpression=Key("user_sub").eq(user_sub), ConsistentRead=True
    )
    return [Grant.model_validate(item) for item in items]


def list_tenants_for_user(user_sub: str) -> list[str]:
    """The tenant ids `user_sub` may reach, sorted."""
    return [record.tenant_id for record in grants_for_user(user_sub)]


def grants_for_tenant(tenant_id: str) -> list[Grant]:
    """Everyone's grant on `tenant_id` (from the by_tenant index: eventually consistent)."""
    _require(tenant_id=tenant_id)
    items = query_all(
        _table(), IndexName=BY_TENANT_INDEX, KeyConditionExpression=Key("tenant_id").eq(tenant_id)
    )
    return [Grant.model_validate(item) for item in items]


def list_users_for_tenant(tenant_id: str) -> list[str]:
    """The subs of the users who may reach `tenant_id`, sorted."""
    return [record.user_sub for record in grants_for_tenant(tenant_id)]


def revoke_tenant(tenant_id: str) -> int:
    """Remove every grant on `tenant_id` (when it is disconnected); returns how many."""
    removed = 0
    for record in grants_for_tenant(tenant_id):
        removed += revoke(record.user_sub, tenant_id)
    return removed
