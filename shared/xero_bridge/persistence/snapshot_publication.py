"""Who publishes each stored snapshot version's domain event (the Snapshots table's
`publish_pending`, `publish_owner`, `publish_lease_until`).

The write that stores a version (`snapshots.store_if_newer`) makes its writer the publisher.
The writer clears the flag after publishing (`mark_published`); if it dies before, the lease
runs out and a retry of its events takes the publication over (`claim_publish`); a writer
that fails gives it up at once (`release_publish`). So each stored version is published by
one worker, and never silently dropped.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Literal

from xero_bridge.persistence.dynamodb import Outcome, conditional_write, get_item
from xero_bridge.persistence.snapshots import snapshots_table


@dataclass(frozen=True)
class PublishClaim:
    """`claimed`: publish it now; `settled`: the stored version is newer, or this one is
    already published; `busy`: a live publisher holds it, its lease ends in `wait_seconds`."""

    outcome: Literal["claimed", "settled", "busy"]
    wait_seconds: float = 0.0


def _update_if(tenant_id: str, key: str, **arguments: Any) -> Outcome:
    """A conditional UpdateItem of the snapshot under `key`."""
    return conditional_write(
        snapshots_table().update_item,
        Key={"tenant_id": tenant_id, "resource_key": key},
        **arguments,
    )


def claim_publish(
    tenant_id: str, key: str, updated_ms: int, owner: str, now: float, lease_until: int
) -> PublishClaim:
    """Take over publishing `updated_ms` if it is the stored version, still unpublished, and
    its publisher's lease ran out (or the publisher is `owner`)."""
    outcome = _update_if(
        tenant_id,
        key,
        UpdateExpression="SET publish_owner = :owner, publish_lease_until = :until",
        ConditionExpression=(
            "updated_ms = :updated AND publish_pending = :true AND "
            "(publish_owner = :owner OR publish_lease_until < :now)"
        ),
        ExpressionAttributeValues={
            ":owner": owner,
            ":until": lease_until,
            ":updated": updated_ms,
            ":true": True,
            ":now": int(now),
        },
        ReturnValuesOnConditionCheckFailure="ALL_OLD",
    )
    if outcome.written:
        return PublishClaim("claimed")
    current = outcome.current or _current(tenant_id, key)
    if current is None:
        return PublishClaim("busy", 1.0)  # gone meanwhile: look again shortly
    stored = int(current.get("updated_ms", 0))
    if stored > updated_ms or not current.get("publish_pending"):
        return PublishClaim("settled")
    wait = float(current.get("publish_lease_until", now)) - now
    return PublishClaim("busy", max(1.0, wait))


def release_publish(tenant_id: str, key: str, updated_ms: int, owner: str) -> None:
    """Give up publishing `updated_ms` (a failure): a retry may take it over at once."""
    _update_if(
        tenant_id,
        key,
        UpdateExpression="SET publish_lease_until = :zero",
        ConditionExpression=(
            "updated_ms = :updated AND publish_owner = :owner AND publish_pending = :true"
        ),
        ExpressionAttributeValues={
            ":zero": 0,
            ":updated": updated_ms,
            ":owner": owner,
            ":true": True,
        },
    )


def _current(tenant_id: str, key: str) -> dict[str, Any] | None:
    item = get_item(snapshots_table(), {"tenant_id": tenant_id, "resource_key": key})
    return dict(item) if item else None


def mark_published(tenant_id: str, key: str, updated_ms: int, owner: str) -> bool:
    """Record that `updated_ms` was published (False if a newer version replaced it)."""
    outcome = _update_if(
        tenant_id,
        key,
        UpdateExpression=(
            "SET published_ms = :updated, published_at = :at "
            "REMOVE publish_pending, publish_owner, publish_lease_until"
        ),
        ConditionExpression="updated_ms = :updated AND publish_owner = :owner",
        ExpressionAttributeValues={
            ":updated": updated_ms,
            ":owner": owner,
            ":at": int(time.time()),
        },
    )
    return outcome.written
