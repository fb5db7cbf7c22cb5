"""What the worker publishes: one domain event per stored version of a resource, and one per
subscription event (consumers rely on these names and shapes: outgoing webhooks, alerts).

Change events (`xero.invoice.updated`, `xero.contact.created`, `xero.credit_note.updated`…):
the tenant, category and resource; a `change_id` that is the same for every publication of
one stored version (consumers de-duplicate on it); the version's `updated_date_utc`; the
types and dates of the Xero events it answers; and a `summary` a consumer can route on.
Subscription events (`xero.subscription.created|updated`) are Xero's event as it came.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from xero_bridge.persistence import snapshots
from xero_bridge.webhooks.models import WebhookEvent
from xero_bridge.webhooks.publisher import DomainEvent, detail_type


def _money(value: Any) -> str | None:
    return str(value) if isinstance(value, Decimal | int) else None


# A category's summary: (our key, Xero's key) pairs, in the order consumers see them.
_SUMMARY_FIELDS: dict[str, tuple[tuple[str, str], ...]] = {
    "INVOICE": (
        ("invoice_number", "InvoiceNumber"),
        ("type", "Type"),
        ("status", "Status"),
        ("currency_code", "CurrencyCode"),
        ("total", "Total"),
        ("amount_due", "AmountDue"),
    ),
    "CONTACT": (
        ("name", "Name"),
        ("status", "ContactStatus"),
        ("is_customer", "IsCustomer"),
        ("is_supplier", "IsSupplier"),
    ),
    "CREDITNOTE": (
        ("credit_note_number", "CreditNoteNumber"),
        ("type", "Type"),
        ("status", "Status"),
        ("total", "Total"),
        ("remaining_credit", "RemainingCredit"),
    ),
}
_AMOUNTS = frozenset({"Total", "AmountDue", "RemainingCredit"})


def summary(category: str, data: dict[str, Any]) -> dict[str, Any]:
    """A few fields a consumer can route on; amounts as decimal strings, no personal data."""
    fields = {
        key: _money(data.get(xero_key)) if xero_key in _AMOUNTS else data.get(xero_key)
        for key, xero_key in _SUMMARY_FIELDS.get(category, ())
    }
    if category == "INVOICE":
        fields["contact_id"] = (data.get("Contact") or {}).get("ContactID")
    return {key: value for key, value in fields.items() if value is not None}


def _iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=UTC).isoformat().replace("+00:00", "Z")


def change_event(snapshot: snapshots.Snapshot, events: Sequence[WebhookEvent]) -> DomainEvent:
    """The event of one stored version, answering the Xero events that led to it."""
    created = any(e.event_type.upper() == "CREATE" for e in events)
    change_id = f"{snapshot.tenant_id}:{snapshot.resource_key}:{snapshot.updated_ms}"
    return DomainEvent(
        detail_type=detail_type(snapshot.category, created),
        detail={
            "tenant_id": snapshot.tenant_id,
            "category": snapshot.category,
            "resource_id": snapshot.resource_id,
            "change_id": change_id,
            "updated_date_utc": _iso(snapshot.updated_ms),
            "event_types": sorted({e.event_type.upper() for e in events}),
            "event_dates_utc": sorted({e.event_date_utc for e in events}),
            "summary": summary(snapshot.category, snapshot.data),
        },
    )


def subscription_event(event: WebhookEvent) -> DomainEvent:
    """An app-level event (tenantId is the application): published as Xero sent it."""
    return DomainEvent(
        detail_type=detail_type("SUBSCRIPTION", event.event_type.upper() == "CREATE"),
        detail={
            "tenant_id": event.tenant_id,
            "tenant_type": event.tenant_type,
            "category": "SUBSCRIPTION",
            "resource_id": event.resource_id,
            "resource_url": event.resource_url,
            "change_id": event.identity,
            "event_types": [event.event_type.upper()],
            "event_dates_utc": [event.event_date_utc],
        },
    )
