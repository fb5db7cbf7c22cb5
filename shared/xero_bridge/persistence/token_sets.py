"""The Xero token store: one token set per Xero authorisation, in the TokenSets table.

Writes carry an optimistic version check: a writer states the version it read, and loses
(StaleWriteError) if anyone wrote since. That is what stops two refreshers from storing a
rotated-away refresh token over the newest one. Tokens are SecretStr, so a token set can be
printed or logged without revealing them.
"""

from __future__ import annotations

import time
import zlib
from typing import Any, Literal

from botocore.exceptions import ClientError
from pydantic import BaseModel, ConfigDict, Field, SecretStr

from xero_bridge.errors import ConflictError
from xero_bridge.persistence.dynamodb import table
from xero_bridge.redaction import register_secret
from xero_bridge.settings import get_settings

# Due-index shards: spreads the sweep's queries so no index partition runs hot.
DUE_SHARDS = 8


class StaleWriteError(ConflictError):
    """Someone else wrote this token set since it was read."""


class TokenSet(BaseModel):
    model_config = ConfigDict(frozen=True)

    token_set_id: str
    kind: Literal["authorization_code", "client_credentials"] = "authorization_code"
    access_token: SecretStr
    refresh_token: SecretStr | None = None
    access_expires_at: int = Field(description="epoch seconds")
    refresh_token_issued_at: int = Field(default_factory=lambda: int(time.time()))
    scopes: list[str] = Field(default_factory=list)
    connected_by: str | None = None
    status: Literal["active", "needs_reconnect"] = "active"
    # When the refresh sweep should pick this set up; by default when the access token expires.
    refresh_due_at: int | None = None
    version: int = 0
    updated_at: int = 0

    @property
    def due_shard(self) -> str:
        return str(zlib.crc32(self.token_set_id.encode()) % DUE_SHARDS)


def _table() -> Any:
    return table(get_settings().required("tokens_table"))


def _to_item(token_set: TokenSet, version: int) -> dict[str, Any]:
    item: dict[str, Any] = token_set.model_dump(exclude={"access_token", "refresh_token"})
    item["access_token"] = token_set.access_token.get_secret_value()
    if token_set.refresh_token is not None:
        item["refresh_token"] = token_set.refresh_token.get_secret_value()
    else:
        item.pop("refresh_token", None)
    item["version"] = version
    item["updated_at"] = int(time.time())
    item["due_shard"] = token_set.due_shard
    if token_set.status == "active":
        item["refresh_due_at"] = token_set.refresh_due_at or token_set.access_expires_at
    else:
        # Out of the due index: nothing to refresh until someone reconnects.
        item.pop("refresh_due_at", None)
    return {key: value for key, value in item.items() if value is not None}


def _from_item(item: dict[str, Any]) -> TokenSet:
    register_secret(item.get("access_token"), item.get("refresh_token"))
    data = dict(item)
    data.pop("due_shard", None)
    for key in ("access_expires_at", "refresh_token_issued_at", "version", "updated_at"):
        if key in data:
            data[key] = int(data[key])
    if data.get("refresh_due_at") is not None:
        data["refresh_due_at"] = int(data["refresh_due_at"])
    return TokenSet.model_validate(data)


def get_token_set(token_set_id: str, consistent: bool = True) -> TokenSet | None:
    """The stored token set, read strongly consistent by default (refreshers need the newest)."""
    response = _table().get_item(Key={"token_set_id": token_set_id}, ConsistentRead=consistent)
    item = response.get("Item")
    return _from_item(item) if item else None


def save_token_set(token_set: TokenSet, expected_version: int | None) -> TokenSet:
    """Store `token_set` if the stored version is still `expected_version` (None: must be new).

    Returns the stored set with its new version; raises StaleWriteError if someone else won.
    """
    new_version = 1 if expected_version is None else expected_version + 1
    item = _to_item(token_set, new_version)
    condition: dict[str, Any]
    if expected_version is None:
        condition = {"ConditionExpression": "attribute_not_exists(token_set_id)"}
    else:
        condition = {
            "ConditionExpression": "#v = :expected",
            "ExpressionAttributeNames": {"#v": "version"},
            "ExpressionAttributeValues": {":expected": expected_version},
        }
    try:
        _table().put_item(Item=item, **condition)
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
            raise StaleWriteError(
                "the token set changed since it was read",
                [{"token_set_id": token_set.token_set_id}],
            ) from None
        raise
    return _from_item(item)


def delete_token_set(token_set_id: str) -> None:
    _table().delete_item(Key={"token_set_id": token_set_id})


def describe_tokens_table() -> dict[str, Any]:
    """A cheap call that proves the table exists and answers (used by /health)."""
    name = get_settings().required("tokens_table")
    client = _table().meta.client
    return dict(client.describe_table(TableName=name)["Table"])
