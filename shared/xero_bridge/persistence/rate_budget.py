"""The shared Xero call budget in the RateBudget table: call logs, counters and leases.

One transaction takes a call, all or nothing:

- the tenant's *calls* item holds two maps: `lease_ends` (calls in flight: id → lease end)
  and `recent_calls` (calls of the last minute: id → when Xero had it). `size(...) <
  limit` on both keeps the in-flight and per-minute limits. The minute is a sliding window,
  as Xero counts it: a fixed per-minute counter would let 60 calls at 12:00:59 and 60 more
  at 12:01:00 through, and Xero would refuse half of the second lot;
- the tenant's day counter and the app's minute counter (fixed windows: those limits are
  far away, and Xero's X-DayLimit-Remaining header corrects us when they are near);
- a check that no "blocked until" (Xero's Retry-After) stands.

Entries that ran out are removed by whoever is refused (`_sweep`), so the maps stay at most
a limit's size. A Lambda that dies mid-call leaves a lease that runs out by itself. The
table's TTL removes items of tenants that went quiet.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from xero_bridge.persistence.dynamodb import conditional_write, get_item, table, update_arguments
from xero_bridge.settings import get_settings

MINUTE_MS = 60_000


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


def _ms(seconds: float) -> int:
    return round(seconds * 1000)


def _keys(tenant_id: str, now: float) -> dict[str, str]:
    day = time.strftime("%Y%m%d", time.gmtime(now))
    return {
        "daily": f"tenant#{tenant_id}#day#{day}",
        "appminute": f"app#minute#{int(now // 60)}",
        "calls": calls_key(tenant_id),
        "blocked": f"tenant#{tenant_id}#blocked",
    }


def calls_key(tenant_id: str) -> str:
    return f"tenant#{tenant_id}#calls"


def _counter(key: str, limit: int, expires_at: int) -> dict[str, Any]:
    return {
        "Update": {
            "Key": {"pk": key},
            "UpdateExpression": "ADD calls :one SET expires_at = :exp",
            "ConditionExpression": "attribute_not_exists(calls) OR calls < :limit",
            "ExpressionAttributeValues": {":one": 1, ":limit": limit, ":exp": expires_at},
        }
    }


# The items of a take, in the order of `_take_items` (and of the cancellation reasons).
_TAKE_ITEMS = ["daily", "appminute", "calls", "blocked"]


def try_take(
    tenant_id: str, call_id: str, limits: Limits, lease_seconds: int, now: float
) -> Refusal | None:
    """Take one call for `tenant_id` if every limit allows it; else say which refused."""
    keys = _keys(tenant_id, now)
    minute_end = (int(now // 60) + 1) * 60
    items = _take_items(keys, call_id, limits, lease_seconds, now, minute_end)
    # The resource's client: it takes plain Python values, as the Table methods do.
    client = _table().meta.client
    try:
        client.transact_write_items(TransactItems=items)
        return None
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "TransactionCanceledException":
            raise
        reasons = [r.get("Code") for r in exc.response.get("CancellationReasons", [])]
    failed = [_TAKE_ITEMS[i] for i, code in enumerate(reasons) if code == "ConditionalCheckFailed"]
    if not failed:
        return Refusal("concurrent", 0.05)  # a transaction conflict: another taker won; retry
    if "blocked" in failed:
        blocked = get_item(_table(), {"pk": keys["blocked"]}) or {}
        until_ms = int(blocked.get("until", 0))
        return Refusal("blocked", max(0.05, until_ms / 1000 - now))
    if "daily" in failed:
        return Refusal("daily", (int(now // 86400) + 1) * 86400 - now)
    if "appminute" in failed:
        return Refusal("appminute", max(0.05, minute_end - now))
    return _sweep(keys["calls"], limits, now)


def _take_items(
    keys: dict[str, str],
    call_id: str,
    limits: Limits,
    lease_seconds: int,
    now: float,
    minute_end: int,
) -> list[dict[str, Any]]:
    """The transaction of one take: both counters, the call's lease, and no block."""
    items = [
        _counter(keys["daily"], limits.day, int(now) + 2 * 86400),
        _counter(keys["appminute"], limits.app_minute, minute_end + 120),
        {
            "Update": {
                "Key": {"pk": keys["calls"]},
                "UpdateExpression": "SET lease_ends.#call = :lease_end,"
                " recent_calls.#call = :now, expires_at = :exp",
                "ConditionExpression": (
                    "attribute_exists(lease_ends) AND attribute_exists(recent_calls)"
                    " AND size(lease_ends) < :concurrent AND size(recent_calls) < :per_minute"
                ),
                "ExpressionAttributeNames": {"#call": call_id},
                "ExpressionAttributeValues": {
                    ":lease_end": _ms(now + lease_seconds),
                    ":now": _ms(now),
                    ":concurrent": limits.concurrent,
                    ":per_minute": limits.minute,
                    ":exp": int(now) + 86400,
                },
            }
        },
        {
            "ConditionCheck": {
                "Key": {"pk": keys["blocked"]},
                "ConditionExpression": "attribute_not_exists(#until) OR #until <= :now",
                "ExpressionAttributeNames": {"#until": "until"},
                "ExpressionAttributeValues": {":now": _ms(now)},
            }
        },
    ]
    name = get_settings().required("rate_budget_table")
    for item in items:
        next(iter(item.values()))["TableName"] = name
    return items


def _sweep(key: str, limits: Limits, now: float) -> Refusal:
    """Drop ended leases and calls older than a minute; say how long a caller must wait.

    A zero wait means the sweep made room (or created the maps): try again at once.
    """
    item = get_item(_table(), {"pk": key})
    if item is None or "lease_ends" not in item or "recent_calls" not in item:
        _table().update_item(
            Key={"pk": key},
            UpdateExpression=(
                "SET lease_ends = if_not_exists(lease_ends, :empty),"
                " recent_calls = if_not_exists(recent_calls, :empty)"
            ),
            ExpressionAttributeValues={":empty": {}},
        )
        return Refusal("concurrent", 0.0)
    now_ms = _ms(now)
    leases = {call: int(end) for call, end in item["lease_ends"].items()}
    minute = {call: int(at) for call, at in item["recent_calls"].items()}
    ended = [call for call, end in leases.items() if end <= now_ms]
    live = leases.keys() - set(ended)
    # A call still in flight keeps its place: when Xero had it is known only at its end.
    aged = [call for call, at in minute.items() if at <= now_ms - MINUTE_MS and call not in live]
    if ended or aged:
        removals = [("lease_ends", call) for call in ended]
        removals += [("recent_calls", call) for call in aged]
        _table().update_item(Key={"pk": key}, **update_arguments(remove=removals))
    if len(minute) - len(aged) >= limits.minute:
        # Full for the minute: room comes when the oldest call is a minute old.
        oldest = min(at for call, at in minute.items() if call not in aged)
        return Refusal("minute", max(0.05, (oldest + MINUTE_MS - now_ms) / 1000))
    if len(leases) - len(ended) >= limits.concurrent:
        return Refusal("concurrent", 0.1)  # wait for a holder to finish
    return Refusal("concurrent", 0.0)


def release(tenant_id: str, call_id: str, now: float) -> None:
    """The call is over: its slot is free, and it counts for the minute from now.

    Stamping the minute entry when the answer is in (not when the call was taken) makes our
    window end no sooner than Xero's, which starts when the request reaches it.
    """
    _table().update_item(
        Key={"pk": calls_key(tenant_id)},
        UpdateExpression="REMOVE lease_ends.#call SET recent_calls.#call = :now",
        ExpressionAttributeNames={"#call": call_id},
        ExpressionAttributeValues={":now": _ms(now)},
    )


def oldest_recent_call(tenant_id: str, now: float) -> float | None:
    """When the oldest call of the last minute was answered (epoch seconds), if any."""
    item = get_item(_table(), {"pk": calls_key(tenant_id)})
    now_ms = _ms(now)
    recent = [int(at) for at in (item or {}).get("recent_calls", {}).values()]
    live = [at for at in recent if at > now_ms - MINUTE_MS]
    return min(live) / 1000 if live else None


def block_until(tenant_id: str, until: float) -> None:
    """Make every Lambda wait for this tenant until `until` (never shortens a longer block)."""
    key = _keys(tenant_id, until)["blocked"]
    until_ms = _ms(until)
    conditional_write(
        _table().update_item,
        Key={"pk": key},
        UpdateExpression="SET #until = :until, expires_at = :exp",
        ConditionExpression="attribute_not_exists(#until) OR #until < :until",
        ExpressionAttributeNames={"#until": "until"},
        ExpressionAttributeValues={":until": until_ms, ":exp": int(until) + 3600},
    )
