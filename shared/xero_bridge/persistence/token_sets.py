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

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from xero_bridge.errors import ConflictError
from xero_bridge.persistence.dynamodb import (
    batch_get,
    compact,
    conditional_write,
    get_item,
    query_pages,
    table,
)
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
    # Set while one refresher holds the right to call Xero for this set (see claim_refresh).
    refresh_lease_until: int | None = None
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
    # A save ends any refresh lease: the set it guarded has just been written.
    item.pop("refresh_lease_until", None)
    return compact(item)


def _int_fields(item: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    """`item` with those of `names` it has (and not None) as ints (DynamoDB gives Decimals)."""
    data = dict(item)
    for name in names:
        if data.get(name) is not None:
            data[name] = int(data[name])
    return data


_INT_FIELDS = (
    "access_expires_at",
    "refresh_token_issued_at",
    "version",
    "updated_at",
    "refresh_due_at",
    "refresh_lease_until",
)


def _from_item(item: dict[str, Any]) -> TokenSet:
    register_secret(item.get("access_token"), item.get("refresh_token"))
    data = _int_fields(item, _INT_FIELDS)
    data.pop("due_shard", None)
    return TokenSet.model_validate(data)


def get_token_set(token_set_id: str, consistent: bool = True) -> TokenSet | None:
    """The stored token set, read strongly consistent by default (refreshers need the newest)."""
    item = get_item(_table(), {"token_set_id": token_set_id}, consistent=consistent)
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
    if not conditional_write(_table().put_item, Item=item, **condition).written:
        raise StaleWriteError(
            "the token set changed since it was read", [{"token_set_id": token_set.token_set_id}]
        )
    return _from_item(item)


def delete_token_set(token_set_id: str) -> None:
    _table().delete_item(Key={"token_set_id": token_set_id})


def describe_tokens_table() -> dict[str, Any]:
    """A cheap call that proves the table exists and answers (used by /health)."""
    name = get_settings().required("tokens_table")
    client = _table().meta.client
    return dict(client.describe_table(TableName=name)["Table"])


# ---------------------------------------------------------------------------- refreshing
BY_REFRESH_DUE_INDEX = "by_refresh_due"


def claim_refresh(token_set_id: str, expected_version: int, now: int, lease_seconds: int) -> bool:
    """Take the right to refresh the set at `expected_version` for `lease_seconds`.

    One conditional update: it succeeds only if nobody wrote the set since it was read and no
    other refresher holds an unexpired lease. The version is not bumped, so the holder's save
    (`save_token_set(..., expected_version)`) still checks against the version it read, and
    that save clears the lease. A holder that dies leaves a lease that simply runs out.
    """
    return conditional_write(
        _table().update_item,
        Key={"token_set_id": token_set_id},
        UpdateExpression="SET refresh_lease_until = :until",
        ConditionExpression=(
            "#v = :expected AND (attribute_not_exists(refresh_lease_until)"
            " OR refresh_lease_until < :now)"
        ),
        ExpressionAttributeNames={"#v": "version"},
        ExpressionAttributeValues={
            ":expected": expected_version,
            ":now": now,
            ":until": now + lease_seconds,
        },
    ).written


def release_refresh(token_set_id: str, expected_version: int) -> None:
    """Give a refresh lease back early (the refresh failed without writing anything)."""
    conditional_write(
        _table().update_item,
        Key={"token_set_id": token_set_id},
        UpdateExpression="REMOVE refresh_lease_until",
        ConditionExpression="#v = :expected",
        ExpressionAttributeNames={"#v": "version"},
        ExpressionAttributeValues={":expected": expected_version},
    )


def due_token_set_ids(now: int, window: int, limit: int) -> list[str]:
    """Ids of active sets due for a refresh by `now + window`, soonest first, at most `limit`.

    Queries the KEYS_ONLY `by_refresh_due` index, one query per shard: no scan, and a set that
    is not due is never read. Sets marked needs_reconnect are not in the index at all.
    """
    from boto3.dynamodb.conditions import Key

    found: list[tuple[int, str]] = []
    per_shard = max(1, limit)
    for shard in range(DUE_SHARDS):
        kwargs: dict[str, Any] = {
            "IndexName": BY_REFRESH_DUE_INDEX,
            "KeyConditionExpression": Key("due_shard").eq(str(shard))
            & Key("refresh_due_at").lte(now + window),
            "ProjectionExpression": "token_set_id, refresh_due_at",
            "Limit": per_shard,
        }
        taken = 0
        for page in query_pages(_table(), **kwargs):
            for item in page.items:
                found.append((int(item["refresh_due_at"]), str(item["token_set_id"])))
                taken += 1
            if taken >= per_shard:
                break  # enough from this shard: the next page is never asked for
    found.sort()
    return [token_set_id for _, token_set_id in found[:limit]]


class TokenSetSummary(BaseModel):
    """What a listing may show about a token set: never the tokens."""

    model_config = ConfigDict(frozen=True)

    token_set_id: str
    kind: str = "authorization_code"
    access_expires_at: int = 0
    refresh_token_issued_at: int = 0
    status: str = "active"
    scopes: list[str] = Field(default_factory=list)


def token_set_summaries(token_set_ids: list[str]) -> dict[str, TokenSetSummary]:
    """Summaries of the sets that exist (BatchGetItem with a projection that leaves the tokens
    out: they are never even read)."""
    items = batch_get(
        _table(),
        [{"token_set_id": t} for t in sorted(set(token_set_ids))],
        ProjectionExpression=(
            "token_set_id, kind, access_expires_at, refresh_token_issued_at, #s, scopes"
        ),
        ExpressionAttributeNames={"#s": "status"},
    )
    summaries = (TokenSetSummary.model_validate(_int_fields(item, _INT_FIELDS)) for item in items)
    return {summary.token_set_id: summary for summary in summaries}
