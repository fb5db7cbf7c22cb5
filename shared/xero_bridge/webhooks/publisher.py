"""Domain events on EventBridge: one per stored change, for other consumers.

Source `xero-bridge`; detail-type `xero.<resource>.<created|updated>` (xero.invoice.updated,
xero.contact.created, xero.credit_note.updated, xero.subscription.updated). The detail names
the tenant and resource, carries a few summary fields (amounts as decimal strings, no
personal data) and a `change_id` that is the same for every publication of one version, so a
consumer can de-duplicate the rare second publication (EventBridge delivers at least once).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Protocol

import boto3
from botocore.config import Config

from xero_bridge.observability import logger
from xero_bridge.settings import get_settings

SOURCE = "xero-bridge"
_PUT_EVENTS_MAX = 10

_CONFIG = Config(connect_timeout=2, read_timeout=5, retries={"max_attempts": 3, "mode": "standard"})

RESOURCE_NAMES = {
    "INVOICE": "invoice",
    "CONTACT": "contact",
    "CREDITNOTE": "credit_note",
    "SUBSCRIPTION": "subscription",
}


@dataclass(frozen=True)
class DomainEvent:
    detail_type: str
    detail: dict[str, Any] = field(default_factory=dict)


class EventPublisher(Protocol):
    def publish(self, events: Sequence[DomainEvent]) -> list[bool]:
        """Publish each event; one flag per event saying whether EventBridge took it."""
        ...


def detail_type(category: str, created: bool) -> str:
    name = RESOURCE_NAMES.get(category.upper(), category.lower())
    return f"xero.{name}.{'created' if created else 'updated'}"


@lru_cache(maxsize=1)
def events_client() -> Any:
    return boto3.client("events", config=_CONFIG)


class EventBridgePublisher:
    """PutEvents in batches of ten; entries EventBridge refused are tried once more."""

    def __init__(self, bus_name: str | None = None, client: Any | None = None) -> None:
        self.bus_name = bus_name or get_settings().required("domain_event_bus_name")
        self.client = client

    def publish(self, events: Sequence[DomainEvent]) -> list[bool]:
        client = self.client or events_client()
        results = [False] * len(events)
        pending = list(range(len(events)))
        for _attempt in range(2):
            failed: list[int] = []
            for start in range(0, len(pending), _PUT_EVENTS_MAX):
                indexes = pending[start : start + _PUT_EVENTS_MAX]
                entries = [
                    {
                        "EventBusName": self.bus_name,
                        "Source": SOURCE,
                        "DetailType": events[i].detail_type,
                        "Detail": json.dumps(events[i].detail, default=str),
                    }
                    for i in indexes
                ]
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
