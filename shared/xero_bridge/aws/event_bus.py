"""The product's EventBridge bus: put events, one or many.

Every event of the product has the source `xero-bridge`; its detail is JSON (values JSON
does not know, such as Decimal, as their text).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import boto3

from xero_bridge.aws.config import STANDARD
from xero_bridge.observability import logger

SOURCE = "xero-bridge"
_PUT_EVENTS_MAX = 10  # entries per PutEvents call


@lru_cache(maxsize=1)
def events_client() -> Any:
    return boto3.client("events", config=STANDARD)


def reset_client() -> None:
    """Forget the cached client (tests that switch endpoints or credentials call this)."""
    events_client.cache_clear()


def _entry(bus_name: str, detail_type: str, detail: dict[str, Any]) -> dict[str, Any]:
    return {
        "EventBusName": bus_name,
        "Source": SOURCE,
        "DetailType": detail_type,
        "Detail": json.dumps(detail, default=str),
    }


def put_event(bus_name: str, detail_type: str, detail: dict[str, Any]) -> bool:
    """One PutEvents call with one event; False when EventBridge refused it (a failing call
    raises)."""
    response = events_client().put_events(Entries=[_entry(bus_name, detail_type, detail)])
    return not response.get("FailedEntryCount")


def put_events(
    bus_name: str, events: Sequence[tuple[str, dict[str, Any]]], client: Any | None = None
) -> list[bool]:
    """Put (detail type, detail) events in batches of ten; entries EventBridge refused, and
    batches whose call failed (logged), are tried once more. One flag per event: taken."""
    client = client or events_client()
    results = [False] * len(events)
    pending = list(range(len(events)))
    for _attempt in range(2):
        failed: list[int] = []
        for start in range(0, len(pending), _PUT_EVENTS_MAX):
            indexes = pending[start : start + _PUT_EVENTS_MAX]
            entries = [_entry(bus_name, *events[i]) for i in indexes]
            try:
                answer = client.put_events(Entries=entries)
            except Exception:
                logger.exception("PutEvents failed", extra={"entries": len(entries)})
                failed.extend(indexes)
                continue
            for index, entry in zip(indexes, answer.get("Entries", []), strict=False):
                if entry.get("EventId") and not entry.get("ErrorCode"):
                    results[index] = True
                else:
                    failed.append(index)
        if not failed:
            break
        pending = failed
    return results
