"""Domain events on EventBridge: one per stored change, for other consumers.

Source `xero-bridge`; detail-type `xero.<resource>.<created|updated>` (xero.invoice.updated,
xero.contact.created, xero.credit_note.updated, xero.subscription.updated). The detail names
the tenant and resource, carries a few summary fields (amounts as decimal strings, no
personal data) and a `change_id` that is the same for every publication of one version, so a
consumer can de-duplicate the rare second publication (EventBridge delivers at least once).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from xero_bridge.aws import event_bus
from xero_bridge.settings import get_settings

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


class EventBridgePublisher:
    """EventPublisher on the product's bus (`xero_bridge.aws.event_bus.put_events`: batches
    of ten, entries EventBridge refused tried once more)."""

    def __init__(self, bus_name: str | None = None, client: Any | None = None) -> None:
        self.bus_name = bus_name or get_settings().required("domain_event_bus_name")
        self.client = client

    def publish(self, events: Sequence[DomainEvent]) -> list[bool]:
        pairs = [(event.detail_type, event.detail) for event in events]
        return event_bus.put_events(self.bus_name, pairs, client=self.client)
