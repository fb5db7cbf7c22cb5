"""The notifications' queues: deliveries to endpoints, and alerts to channels.

A delivery message names one delivery and the attempt it is for:
`{"tenant_id", "endpoint_id", "delivery_id", "attempts", "resource"}` — `attempts` is how many
were made before this one, so a duplicate message (or one the sweep sent again) finds the
delivery moved on and does nothing. An alert message is an `Alert`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from xero_bridge.aws import queue_batches
from xero_bridge.notify.alerts import Alert
from xero_bridge.notify.backoff import SQS_MAX_DELAY_SECONDS
from xero_bridge.settings import get_settings


@dataclass(frozen=True)
class DeliveryMessage:
    tenant_id: str
    endpoint_id: str
    delivery_id: str
    attempts: int = 0
    resource: str = ""  # deliveries of one resource to one endpoint go in order in a batch

    def text(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))

    @classmethod
    def parse(cls, text: str) -> DeliveryMessage:
        data = json.loads(text)
        return cls(
            tenant_id=str(data["tenant_id"]),
            endpoint_id=str(data["endpoint_id"]),
            delivery_id=str(data["delivery_id"]),
            attempts=int(data.get("attempts", 0)),
            resource=str(data.get("resource", "")),
        )


def send_deliveries(messages: Sequence[DeliveryMessage], delay_seconds: float = 0) -> None:
    if not messages:
        return
    delay = max(0, min(SQS_MAX_DELAY_SECONDS, int(delay_seconds + 0.999)))
    entries = [
        {"Id": str(i), "MessageBody": m.text(), "DelaySeconds": delay}
        for i, m in enumerate(messages)
    ]
    queue_batches.send_batch(get_settings().required("webhook_delivery_queue_url"), entries)


def send_alerts(alerts: Sequence[Alert]) -> None:
    if not alerts:
        return
    entries = [{"Id": str(i), "MessageBody": a.message()} for i, a in enumerate(alerts)]
    queue_batches.send_batch(get_settings().required("alert_queue_url"), entries)
