"""The shared Xero call budget in the RateBudget table: counters and leases that expire.

One transaction takes a call: it adds one to the tenant's minute and day counters and the
app's minute counter, takes an in-flight lease, and checks no "blocked until" stands —
each under its limit, all or nothing. Items expire through TTL; leases carry their own
expiry, so a Lambda that dies mid-call frees its slot without anyone cleaning up.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from xero_bridge.persistence.dynamodb import table
from xero_bridge.settings import get_settings


@dataclass(frozen=True)
class Limits:
    minute: int
    day: int
    concurrent: int
    app_minute: int


@dataclass(frozen=True)
class Refusal:
    """Which limit refused the call (Xero's X-Rate-Limit-Problem names) and the wait."""

    problem: str  # minute | daily | concurrent | appminute | blocked
    retry_after: float


def _table() -> Any:
    return table(get_settings().required("rate_budget_table"))


def _keys(tenant_id: str, now: float) -> dict[str, str]:
    minute = int(now // 60)
    day = time.strftime("%Y%m%d", time.gmtime(now))
    return {
        "minute": f"tenant#{tenant_id}#minute#{minute}",
        "daily": f"tenant#{tenant_id}#day#{day}",
        "appminute": f"app#minute#{minute}",
        "concurrent": f"tenant#{tenant_id}#inflight",
        "blocked": f"tenant#{tenant_id}#blocked",
    }


def _counter(key: str, limit: int, expires_at: int) -> dict[str, Any]:
    return {
        "Update": {
            "Key": {"pk": key},
            "UpdateExpression": "ADD calls :one SET expires_at = :exp",
            "ConditionExpression": "attribute_not_exists(calls) OR calls < :limit",
            "ExpressionAttributeValues": {":one": 1, ":limit": limit, ":exp": expires_at},
        }
    }


def try_take(
    tenant_id: str, lease_id: str, limits: Limits, lease_seconds: int, now: float
) -> Refusal | None:
    """Take one call for `tenant_id` if every limit allows it; else say which refused."""
    keys = _keys(tenant_id, now)
    name = get_settings().required("rate_budget_table")
    minute_end = (int(now // 60) + 1) * 60
    items = [
        _counter(keys["minute"], limits.minute, minute_end + 120),
        _counter(keys["daily"], limits.day, int(now) + 2 * 86400),
        _counter(keys["appminute"], limits.app_minute, minute_end + 120),
        {
            "Update": {
                "Key": {"pk": keys["concurrent"]},
                "UpdateExpression": "SET leases.#lease = :until, expires_at = :exp",
                "ConditionExpression": "attribute_exists(leases) AND size(leases) < :limit",
                "ExpressionAttributeNames": {"#lease": lease_id},
                "ExpressionAttributeValues": {
                    ":until": int(now) + lease_seconds,
                    ":limit": limits.concurrent,
                    ":exp": int(now) + 86400,
                },
            }
        },
        {
            "ConditionCheck": {
                "Key": {"pk": keys["blocked"]},
                "ConditionExpression": "attribute_not_exists(#until) OR #until <= :now",
                "ExpressionAttributeNames": {"#until": "until"},
                "ExpressionAttributeValues": {":now": int(now * 1000)},
            }
        },
    ]
    for item in items:
        next(iter(item.values()))["TableName"] = name
    # The resource's client: it takes plain Python values, as the Table methods do.
    client = _table().meta.client
    try:
        client.transact_write_items(TransactItems=items)
        return None
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "TransactionCanceledException":
            raise
        reasons = [r.get("Code") for r in exc.response.get("CancellationReasons", [])]
    problems = ["minute", "daily", "appminute", "concurrent", "blocked"]
    failed = [problems[i] for i, code in enumerate(reasons) if code == "ConditionalCheckFailed"]
    if not failed:
        return Refusal("concurrent", 0.05)  # a transaction conflict: another taker won; retry
    if "blocked" in failed:
        blocked = _table().get_item(Key={"pk": keys["blocked"]}, ConsistentRead=True)
        until_ms = int(blocked.get("Item", {}).get("until", 0))
        return Refusal("blocked", max(0.05, until_ms / 1000 - now))
    if "daily" in failed:
        tomorrow = (int(now // 86400) + 1) * 86400
        return Refusal("daily", tomorrow - now)
    if "minute" in failed or "appminute" in failed:
        return Refusal(failed[0], max(0.05, minute_end - now))
    # In flight: all slots taken, or the lease map is missing or holds dead leases. Tidy up;
    # if that freed anything, retry at once, else wait for a holder to finish.
    freed = _sweep_leases(keys["concurrent"], now)
    return Refusal("concurrent", 0.0 if freed else 0.1)


def _sweep_leases(key: str, now: float) -> bool:
    """Create the lease map if missing and drop leases whose holder never released them."""
    current = _table().get_item(Key={"pk": key}, ConsistentRead=True).get("Item")
    if current is None or "leases" not in current:
        try:
            _table().put_item(
                Item={"pk": key, "leases": {}, "expires_at": int(now) + 86400},
                ConditionExpression="attribute_not_exists(leases)",
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
        return True
    expired = [lease for lease, until in current["leases"].items() if until <= now]
    for lease in expired:
        release_lease(key, lease)
    return bool(expired)


def lease_key(tenant_id: str) -> str:
    return f"tenant#{tenant_id}#inflight"


def release_lease(key: str, lease_id: str) -> None:
    _table().update_item(
        Key={"pk": key},
        UpdateExpression="REMOVE leases.#lease",
        ExpressionAttributeNames={"#lease": lease_id},
    )


def block_until(tenant_id: str, until: float) -> None:
    """Make every Lambda wait for this tenant until `until` (never shortens a longer block)."""
    key = _keys(tenant_id, until)["blocked"]
    until_ms = int(until * 1000)
    try:
        _table().update_item(
            Key={"pk": key},
            UpdateExpression="SET #until = :until, expires_at = :exp",
            ConditionExpression="attribute_not_exists(#until) OR #until < :until",
            ExpressionAttributeNames={"#until": "until"},
            ExpressionAttributeValues={":until": until_ms, ":exp": int(until) + 3600},
        )
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
            raise
