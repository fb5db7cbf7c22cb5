"""The events a webhook endpoint receives, made from the product's domain events.

Every delivery's body is one event:

    {"id": "evt_…", "type": "contact.updated", "created_at": "2026-…Z", "tenant_id": "…",
     "resource": {"type": "contact", "id": "…", "updated_at": "2026-…Z"},
     "origin": {"source": "xero-bridge", "actor": "alice@example.com", "idempotency_key": "…"},
     "data": {"contact_id": "…", "change_id": "…", "name": "…", …}}

- `id` is the same for every delivery of one change (and for its replays): receivers
  de-duplicate on it. A Xero change's id comes from its `change_id` (one stored version), so
  even the rare second publication of a version is one event.
- `resource.updated_at` is the resource's version: deliveries are retried and may arrive out
  of order, so a receiver keeps the newest it has seen.
- `origin.source` is `xero-bridge` for a change made through the product (see `origins`),
  `xero` for one made in Xero itself: a system that wrote through the product ignores the
  echo of its own write, which is what keeps a two-way sync from ping-ponging.

Types: `invoice.created|updated`, `contact.created|updated`, `credit_note.created|updated`,
`payment.<status>` for every status a payment rests in, `connection.needs_reconnect`,
`connection.missing_scopes`. An endpoint names the types it wants, `<group>.*`, or `*`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from xero_bridge.notify import origins
from xero_bridge.payments.lifecycle import RESTING

SOURCE = "xero-bridge"
RESOURCES = {"invoice": "INVOICE", "contact": "CONTACT", "credit_note": "CREDITNOTE"}
CHANGE_TYPES = tuple(f"{r}.{a}" for r in RESOURCES for a in ("created", "updated"))
PAYMENT_TYPES = tuple(f"payment.{status}" for status in RESTING)
CONNECTION_TYPES = ("connection.needs_reconnect", "connection.missing_scopes")
EVENT_TYPES: tuple[str, ...] = (*CHANGE_TYPES, *PAYMENT_TYPES, *CONNECTION_TYPES)
GROUPS = tuple(sorted({t.split(".")[0] for t in EVENT_TYPES}))

_CHANGE = re.compile(r"^xero\.(invoice|contact|credit_note)\.(created|updated)$")


@dataclass(frozen=True)
class OutboundEvent:
    id: str
    type: str
    created_at: str
    tenant_id: str
    resource: dict[str, Any]
    origin: dict[str, Any]
    data: dict[str, Any]

    @property
    def resource_key(self) -> str:
        return f"{self.resource['type']}:{self.resource['id']}"

    def body(self) -> str:
        """The JSON text every delivery of this event sends (compact, fixed field order)."""
        document = {
            "id": self.id,
            "type": self.type,
            "created_at": self.created_at,
            "tenant_id": self.tenant_id,
            "resource": self.resource,
            "origin": self.origin,
            "data": self.data,
        }
        return json.dumps(document, separators=(",", ":"), ensure_ascii=False, default=str)


def is_pattern(value: str) -> bool:
    """Whether an endpoint may name `value`: a type, `<group>.*`, or `*`."""
    return value == "*" or value in EVENT_TYPES or value.removesuffix(".*") in GROUPS


def matches(patterns: Iterable[str], event_type: str) -> bool:
    for pattern in patterns:
        if pattern in ("*", event_type):
            return True
        if pattern.endswith(".*") and event_type.startswith(pattern[:-1]):
            return True
    return False


def event_id(identity: str) -> str:
    return "evt_" + hashlib.sha256(identity.encode()).hexdigest()[:32]


def _iso_ms(ms: int) -> str:
    return (
        datetime.fromtimestamp(ms / 1000, tz=UTC)
        .isoformat(timespec="milliseconds")
        .replace("+00:00", "Z")
    )


def _change_ms(detail: dict[str, Any]) -> int | None:
    """The version a change event is about: the last part of its change_id."""
    tail = str(detail.get("change_id", "")).rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else None


def _change(event: dict[str, Any], name: str, action: str) -> list[OutboundEvent]:
    detail = event.get("detail") or {}
    tenant_id, resource_id = detail.get("tenant_id"), detail.get("resource_id")
    updated_ms = _change_ms(detail)
    if not tenant_id or not resource_id or updated_ms is None:
        return []
    origin = origins.origin_of(tenant_id, RESOURCES[name], resource_id, updated_ms)
    data = {f"{name}_id": resource_id, "change_id": detail["change_id"]}
    data.update(detail.get("summary") or {})
    return [
        OutboundEvent(
            id=event_id(str(detail["change_id"])),
            type=f"{name}.{action}",
            created_at=str(event.get("time") or _iso_ms(updated_ms)),
            tenant_id=tenant_id,
            resource={"type": name, "id": resource_id, "updated_at": _iso_ms(updated_ms)},
            origin=origin,
            data=data,
        )
    ]


def _payment(event: dict[str, Any], status: str) -> list[OutboundEvent]:
    detail = dict(event.get("detail") or {})
    tenant_id = detail.pop("tenant_id", None)
    payment_id = detail.get("payment_id")
    if not tenant_id or not payment_id:
        return []
    updated_at = detail.get("updated_at") or event.get("time")
    # The same move published twice is one event when its time is known; else EventBridge's id.
    identity = (
        f"{tenant_id}:payment:{payment_id}:{status}:{detail.get('updated_at') or event['id']}"
    )
    return [
        OutboundEvent(
            id=event_id(identity),
            type=f"payment.{status}",
            created_at=str(event.get("time")),
            tenant_id=tenant_id,
            resource={"type": "payment", "id": payment_id, "updated_at": updated_at},
            origin={"source": origins.SOURCE_PRODUCT},
            data=detail,
        )
    ]


def tenants_of(detail: dict[str, Any]) -> list[str]:
    """The tenants a connection event is about (a token set may reach several)."""
    tenants = detail.get("tenant_ids")
    if isinstance(tenants, list):
        return [str(t) for t in tenants if t]
    return [str(detail["tenant_id"])] if detail.get("tenant_id") else []


def _connection(event: dict[str, Any], name: str) -> list[OutboundEvent]:
    detail = event.get("detail") or {}
    found = []
    for tenant_id in tenants_of(detail):
        data: dict[str, Any] = {"tenant_id": tenant_id, "status": name}
        if name == "missing_scopes":
            data["missing_scopes"] = list(detail.get("missing_scopes") or [])
        found.append(
            OutboundEvent(
                id=event_id(f"{event['id']}:{tenant_id}"),
                type=f"connection.{name}",
                created_at=str(event.get("time")),
                tenant_id=tenant_id,
                resource={"type": "connection", "id": tenant_id, "updated_at": event.get("time")},
                origin={"source": origins.SOURCE_PRODUCT},
                data=data,
            )
        )
    return found


def outbound_events(event: dict[str, Any]) -> Sequence[OutboundEvent]:
    """The outward events one EventBridge event makes (none for what receivers never get)."""
    if event.get("source") != SOURCE:
        return []
    detail_type = str(event.get("detail-type", ""))
    change = _CHANGE.match(detail_type)
    if change:
        return _change(event, change.group(1), change.group(2))
    if detail_type.startswith("payment."):
        status = detail_type.removeprefix("payment.")
        return _payment(event, status) if status in RESTING else []
    if detail_type in ("xero.connection.needs_reconnect", "xero.connection.missing_scopes"):
        return _connection(event, detail_type.rsplit(".", 1)[-1])
    return []
