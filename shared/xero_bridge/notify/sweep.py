"""What the schedule does every minute.

- **Deliveries due**: an open delivery whose next attempt is due and that no message is on
  its way for — it waited longer than SQS can delay a message, or its message was lost (a
  crash between storing and sending) — is queued now.
- **Payments waiting too long**: each due watch is taken (deleted, so once), the payment is
  read, and if it still rests in the watched status, unchanged since the watch was set, the
  alert goes out (`payment.approval_overdue`, `payment.stuck`).
- **Dead letters**: a dead-letter queue with messages (the Xero webhooks', our deliveries')
  is looked into without taking anything out, and each tenant they name is alerted
  (`webhook.dead_letters`); the once-an-hour rule keeps that from repeating every minute.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from xero_bridge.aws import queue_batches
from xero_bridge.notify import alerts, queues
from xero_bridge.notify.alerts import Alert
from xero_bridge.notify.queues import DeliveryMessage
from xero_bridge.observability import logger
from xero_bridge.persistence import notify_state
from xero_bridge.persistence import payments as payment_store
from xero_bridge.persistence import webhook_deliveries as deliveries
from xero_bridge.settings import Settings, get_settings

# A queued delivery this long past due (or re-queued this long ago) lost its message.
OVERDUE_MS = 120_000
PEEK_BATCHES = 5  # at most 50 dead letters looked at per queue and run


@dataclass
class Sweep:
    send_deliveries: Callable[..., None] = queues.send_deliveries
    send_alerts: Callable[[Sequence[Alert]], None] = queues.send_alerts
    clock: Callable[[], float] = time.time
    settings: Settings = field(default_factory=get_settings)
    counts: Counter[str] = field(default_factory=Counter)

    def run(self) -> Counter[str]:
        for step in (self.deliveries_due, self.payments_waiting, self.dead_letters):
            try:
                step()
            except Exception:  # one step failing does not stop the others
                logger.exception("a sweep step failed", extra={"step": step.__name__})
                self.counts["steps_failed"] += 1
        return self.counts

    # ------------------------------------------------------------------ deliveries
    def deliveries_due(self) -> None:
        now_ms = int(self.clock() * 1000)
        for shard in range(deliveries.DUE_SHARDS):
            for due in deliveries.due(str(shard), now_ms):
                waiting = due.queued and (
                    due.next_attempt_ms > now_ms - OVERDUE_MS
                    or due.enqueued_ms > now_ms - OVERDUE_MS
                )
                if waiting:
                    continue  # its message is on the way
                message = DeliveryMessage(
                    due.tenant_id, due.endpoint_id, due.delivery_id, due.attempts
                )
                self.send_deliveries([message])
                deliveries.mark_enqueued(due.endpoint_id, due.delivery_id, due.attempts, now_ms)
                self.counts["deliveries_queued"] += 1

    # ------------------------------------------------------------------ payments
    def payments_waiting(self) -> None:
        raised: list[Alert] = []
        for watch in notify_state.due_watches(int(self.clock())):
            if not notify_state.delete_watch(watch):
                continue  # another sweep took it
            payment = payment_store.get(watch.tenant_id, watch.payment_id)
            if payment is None or payment.status != watch.status:
                self.counts["watches_moved_on"] += 1
                continue
            if moved_since(payment.updated_at, watch.since):
                self.counts["watches_moved_on"] += 1  # it left and came back: a newer watch
                continue
            detail = payment.model_dump(mode="json")
            raised.append(
                alerts.payment_waiting(watch.tenant_id, detail, watch.status, watch.since)
            )
        self.send_alerts(raised)
        self.counts["payments_waiting_too_long"] += len(raised)

    # ------------------------------------------------------------------ dead letters
    def dead_letters(self) -> None:
        queues_watched = {
            "webhooks": self.settings.webhook_dead_letter_queue_url,
            "deliveries": self.settings.delivery_dead_letter_queue_url,
        }
        raised: list[Alert] = []
        for name, url in queues_watched.items():
            if not url:
                continue
            tenants = self._tenants_in(url)
            raised += [alerts.dead_letters(t, name, n) for t, n in sorted(tenants.items())]
        self.send_alerts(raised)
        self.counts["dead_letter_alerts"] += len(raised)

    def _tenants_in(self, url: str) -> Counter[str]:
        """The tenants the queue's messages name, by count (the messages stay in the queue)."""
        tenants: Counter[str] = Counter()
        if queue_batches.message_count(url) == 0:
            return tenants
        for message in queue_batches.peek(url, PEEK_BATCHES):
            for tenant in tenants_named(message):
                tenants[tenant] += 1
        return tenants


def moved_since(updated_at: str, since: str) -> bool:
    """Whether a payment changed after the event that set its watch. The event's time has
    whole seconds and comes after the move it reports, so only a change more than a second
    after it is a newer one."""
    try:
        changed = datetime.fromisoformat(updated_at)
        seen = datetime.fromisoformat(since)
    except ValueError:
        return False  # an unreadable time: trust the status check alone
    if changed.tzinfo is None:
        changed = changed.replace(tzinfo=UTC)
    if seen.tzinfo is None:
        seen = seen.replace(tzinfo=UTC)
    return changed > seen + timedelta(seconds=1)


def tenants_named(message: dict[str, Any]) -> set[str]:
    """The tenants an SQS message names: a Xero webhook delivery's events, or our messages."""
    from xero_bridge.webhooks.intake import ENCODING_ATTRIBUTE
    from xero_bridge.webhooks.models import QueuedMessage

    body = message.get("Body", "")
    encoding = (message.get("MessageAttributes") or {}).get(ENCODING_ATTRIBUTE, {})
    try:
        data = json.loads(
            QueuedMessage(
                message_id=message["MessageId"],
                receipt_handle="",
                body=body,
                body_encoding=encoding.get("StringValue", "identity"),
            ).raw_body()
        )
    except (ValueError, KeyError):
        return set()
    if isinstance(data, dict) and isinstance(data.get("events"), list):
        return {
            str(e["tenantId"]) for e in data["events"] if isinstance(e, dict) and e.get("tenantId")
        }
    if isinstance(data, dict) and data.get("tenant_id"):
        return {str(data["tenant_id"])}
    return set()
