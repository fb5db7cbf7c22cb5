"""Webhook de-duplication in the WebhookEvents table: one item per Xero event identity.

An event is *claimed* by the worker that works on it (status `in_progress`, with an owner and
a lease), and only once its snapshot is stored and its change published is it *completed*
(`done`, or `dropped` for a tenant we are not connected to). A worker that dies mid-way
leaves a claim that expires, so a retry takes over; a redelivery of a completed event finds
it and stops. Items expire through TTL (Xero redelivers for 24 hours).

GoCardless's events are kept here too, as ``gocardless:<event id>`` (`finished`, then
`complete` once a batch's work is done; GoCardless retries for about two days).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from xero_bridge.persistence.dynamodb import batch_get, conditional_write, get_item, table
from xero_bridge.settings import get_settings

Status = Literal["in_progress", "done", "dropped"]


@dataclass(frozen=True)
class ClaimResult:
    """`claimed`: ours to work on; `finished`: already done or dropped; `busy`: another
    worker holds a live claim, which ends in `wait_seconds`."""

    outcome: Literal["claimed", "finished", "busy"]
    wait_seconds: float = 0.0


def _table() -> Any:
    return table(get_settings().required("webhook_events_table"))


def _ttl(now: float) -> int:
    return int(now) + get_settings().webhook_dedup_ttl_hours * 3600


def claim(
    event_id: str, owner: str, now: float, claim_seconds: int, attributes: dict[str, Any]
) -> ClaimResult:
    """Claim `event_id` for `owner` unless it is finished or someone else's claim is live."""
    item = {
        **attributes,
        "event_id": event_id,
        "status": "in_progress",
        "owner": owner,
        "lease_until": int(now) + claim_seconds,
        "expires_at": _ttl(now),
    }
    outcome = conditional_write(
        _table().put_item,
        Item=item,
        ConditionExpression=(
            "attribute_not_exists(event_id) OR "
            "(#status = :in_progress AND (lease_until < :now OR #owner = :owner))"
        ),
        ExpressionAttributeNames={"#status": "status", "#owner": "owner"},
        ExpressionAttributeValues={
            ":in_progress": "in_progress",
            ":now": int(now),
            ":owner": owner,
        },
        ReturnValuesOnConditionCheckFailure="ALL_OLD",
    )
    if outcome.written:
        return ClaimResult("claimed")
    current = outcome.current or get_event(event_id) or {}
    status = current.get("status")
    if status in ("done", "dropped"):
        return ClaimResult("finished")
    lease_until = float(current.get("lease_until") or now)
    return ClaimResult("busy", max(1.0, lease_until - now))


def complete(
    events: list[tuple[str, dict[str, Any]]], owner: str, status: Status, now: float, note: str = ""
) -> None:
    """Mark claimed events finished (`done`, or `dropped`), in batches of 25 writes.

    Unconditional on purpose: it is called only once the work is done (snapshot stored and
    published, or nothing to do), which stays true even if our claim lapsed and another
    worker took the event over meanwhile; that worker then finds nothing left to do.
    `events` are (event id, the attributes given to `claim`).
    """
    with _table().batch_writer(overwrite_by_pkeys=["event_id"]) as batch:
        for event_id, attributes in events:
            item = {
                **attributes,
                "event_id": event_id,
                "status": status,
                "owner": owner,
                "finished_at": int(now),
                "expires_at": _ttl(now),
            }
            if note:
                item["note"] = note
            batch.put_item(Item=item)


def release(event_id: str, owner: str) -> None:
    """Give a claim back (work failed; a retry may claim it at once)."""
    conditional_write(
        _table().delete_item,
        Key={"event_id": event_id},
        ConditionExpression="#status = :in_progress AND #owner = :owner",
        ExpressionAttributeNames={"#status": "status", "#owner": "owner"},
        ExpressionAttributeValues={":in_progress": "in_progress", ":owner": owner},
    )


def get_event(event_id: str) -> dict[str, Any] | None:
    item = get_item(_table(), {"event_id": event_id})
    return dict(item) if item else None


def finished(event_ids: Iterable[str]) -> set[str]:
    """Those of `event_ids` already done or dropped (BatchGetItem, consistent, 100 a call)."""
    keys = [{"event_id": event_id} for event_id in dict.fromkeys(event_ids)]
    items = batch_get(_table(), keys, ConsistentRead=True)
    return {str(item["event_id"]) for item in items if item.get("status") in ("done", "dropped")}
