"""Fan-out: each domain event from the bus becomes one delivery per matching endpoint, the
alerts it raises, and the watches it leaves.

One delivery per (event, endpoint) is what keeps endpoints — and tenants — apart: each is
sent, retried and given up on by itself, so a slow or broken receiver holds up nobody
else's. The delivery's id is derived from the event and the endpoint, so a bus event that
arrives twice (EventBridge delivers at least once) stores and queues one delivery.

A delivery is stored before its message is sent; if sending fails the SQS message of the
bus event is retried, finds the delivery stored and leaves it to the sweep, which sends the
message of any delivery still waiting once it is overdue.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from xero_bridge.notify import alerts, events, queues
from xero_bridge.notify.alerts import Alert
from xero_bridge.notify.events import OutboundEvent
from xero_bridge.notify.queues import DeliveryMessage
from xero_bridge.persistence import notify_state
from xero_bridge.persistence import webhook_deliveries as deliveries
from xero_bridge.persistence import webhook_endpoints as endpoints
from xero_bridge.persistence.webhook_deliveries import DeliveryRecord
from xero_bridge.persistence.webhook_endpoints import EndpointRecord
from xero_bridge.settings import Settings, get_settings


def delivery_id(event_id: str, endpoint_id: str) -> str:
    return "dlv_" + hashlib.sha256(f"{event_id}|{endpoint_id}".encode()).hexdigest()[:32]


@dataclass
class Fanout:
    send_deliveries: Callable[[Sequence[DeliveryMessage]], None] = queues.send_deliveries
    send_alerts: Callable[[Sequence[Alert]], None] = queues.send_alerts
    clock: Callable[[], float] = time.time
    settings: Settings = field(default_factory=get_settings)
    counts: Counter[str] = field(default_factory=Counter)
    _endpoints: dict[str, list[EndpointRecord]] = field(default_factory=dict)

    def endpoints_of(self, tenant_id: str) -> list[EndpointRecord]:
        """A tenant's endpoints, read once per batch."""
        if tenant_id not in self._endpoints:
            self._endpoints[tenant_id] = endpoints.list_for_tenant(tenant_id)
        return self._endpoints[tenant_id]

    def handle(self, event: dict[str, Any]) -> None:
        """Everything one bus event makes; raises when any part should be tried again."""
        messages: list[DeliveryMessage] = []
        for outbound in events.outbound_events(event):
            messages.extend(self.store_deliveries(outbound))
        raised, watches = alerts.from_event(event)
        for watch in watches:
            wait = int(getattr(self.settings, watch.wait_seconds_setting))
            since = str(event.get("time") or "")
            # Due from the event's own time: the same event arriving twice sets one watch.
            due = _epoch(since) or int(self.clock())
            notify_state.put_watch(
                watch.tenant_id, watch.payment_id, watch.status, since, due + wait
            )
            self.counts["watches"] += 1
        self.send_deliveries(messages)
        self.send_alerts(raised)
        self.counts["deliveries_queued"] += len(messages)
        self.counts["alerts"] += len(raised)

    def store_deliveries(self, outbound: OutboundEvent) -> list[DeliveryMessage]:
        body = outbound.body()
        now_ms = int(self.clock() * 1000)
        messages = []
        for endpoint in self.endpoints_of(outbound.tenant_id):
            if not events.matches(endpoint.events, outbound.type):
                continue
            record = DeliveryRecord(
                endpoint_id=endpoint.endpoint_id,
                delivery_id=delivery_id(outbound.id, endpoint.endpoint_id),
                tenant_id=outbound.tenant_id,
                event_id=outbound.id,
                event_type=outbound.type,
                body=body,
                created_ms=now_ms,
            )
            if not deliveries.create(record):
                self.counts["deliveries_already_stored"] += 1
                continue
            messages.append(
                DeliveryMessage(
                    outbound.tenant_id,
                    endpoint.endpoint_id,
                    record.delivery_id,
                    0,
                    outbound.resource_key,
                )
            )
        return messages


def _epoch(iso: str) -> int | None:
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return None
    return int((moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp())
