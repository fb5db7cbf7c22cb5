"""Delivering: one attempt at a delivery, its outcome recorded, the next attempt scheduled.

For each message (a delivery and the attempt it is for):

1. the attempt takes the delivery's lease, which it gets only while the delivery is open,
   at that attempt and not held by a live attempt (else the message is a duplicate or
   stale, or another attempt is on it: nothing to do);
2. it takes one of the endpoint's slots (at most DELIVERY_ENDPOINT_CONCURRENCY in flight per
   endpoint); without a free slot the message comes back in a few seconds, not an attempt;
   an endpoint that is gone cancels the delivery. (Both answers carry the item, so an
   attempt reads nothing before it writes: four DynamoDB calls in all.)
3. the body is signed now (`XeroBridge-Signature`) and POSTed (`outbound`: pinned, 10 s);
4. a 2xx is `delivered`; anything else is `retrying`, due after the backoff — through the
   queue when SQS can delay that long, else through the due index the sweep reads — or,
   once the next attempt would be more than three days after the delivery was made,
   `failed`, which marks the endpoint `failing` and alerts its owner once.

A batch's messages are sent concurrently, those of one endpoint and resource in order.
"""

from __future__ import annotations

import random
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from xero_bridge.notify import alerts, outbound, queues, sealed, signing
from xero_bridge.notify.alerts import Alert
from xero_bridge.notify.backoff import SQS_MAX_DELAY_SECONDS, Backoff
from xero_bridge.notify.endpoints import SECRET_FIELD
from xero_bridge.notify.queues import DeliveryMessage
from xero_bridge.observability import logger
from xero_bridge.persistence import webhook_deliveries as deliveries
from xero_bridge.persistence import webhook_endpoints as endpoints
from xero_bridge.persistence.webhook_deliveries import DeliveryRecord
from xero_bridge.persistence.webhook_endpoints import EndpointRecord
from xero_bridge.settings import Settings, get_settings

LEASE_MS = 60_000  # longer than an attempt can take (the POST's deadline and a little)
SLOT_WAIT_SECONDS = (2.0, 5.0)  # a deferred message comes back after a random wait in this


def url_hint(url: str) -> str:
    """The endpoint's URL without its query (which may carry a token of the receiver's)."""
    return url.split("?", 1)[0]


@dataclass
class Deliverer:
    post: Callable[..., outbound.Answer] = outbound.post
    send_deliveries: Callable[..., None] = queues.send_deliveries
    send_alerts: Callable[[Sequence[Alert]], None] = queues.send_alerts
    clock: Callable[[], float] = time.time
    time_left: Callable[[], float] | None = None
    settings: Settings = field(default_factory=get_settings)
    counts: Counter[str] = field(default_factory=Counter)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def backoff(self) -> Backoff:
        s = self.settings
        return Backoff(
            s.delivery_retry_base_seconds,
            s.delivery_retry_max_delay_seconds,
            s.delivery_give_up_after_seconds,
        )

    def now_ms(self) -> int:
        return int(self.clock() * 1000)

    # ------------------------------------------------------------------ a batch
    def process(self, messages: Sequence[tuple[str, DeliveryMessage]]) -> set[str]:
        """Every (SQS message id, message) of a batch: groups of one endpoint and resource in
        parallel, each in order. The ids of the messages that failed (to be tried again)."""
        groups: dict[tuple[str, str], list[tuple[str, DeliveryMessage]]] = defaultdict(list)
        for message_id, message in messages:
            key = (message.endpoint_id, message.resource or message.delivery_id)
            groups[key].append((message_id, message))
        if len(groups) <= 1:
            return set().union(*(self._group(g) for g in groups.values()))
        with ThreadPoolExecutor(max_workers=min(10, len(groups))) as pool:
            return set().union(*pool.map(self._group, groups.values()))

    def _count(self, outcome: str) -> None:
        with self._lock:
            self.counts[outcome] += 1

    def _group(self, messages: list[tuple[str, DeliveryMessage]]) -> set[str]:
        failed: set[str] = set()
        for message_id, message in messages:
            try:
                outcome = self.attempt(message)
            except Exception:  # DynamoDB, KMS or SQS failing: the message comes back
                logger.exception(
                    "a delivery attempt failed", extra={"delivery": message.delivery_id}
                )
                failed.add(message_id)
                outcome = "error"
            self._count(outcome)
        return failed

    # ------------------------------------------------------------------ one attempt
    def attempt(self, message: DeliveryMessage) -> str:
        """One attempt at the message's delivery; the outcome's name (for the counts)."""
        if (
            self.time_left is not None
            and self.time_left() < self.settings.delivery_timeout_seconds + 5
        ):
            self._defer(message, 0)  # not enough of this invocation left for a whole attempt
            return "deferred"
        owner = uuid.uuid4().hex
        now_ms = self.now_ms()
        claim = deliveries.claim(
            message.endpoint_id,
            message.delivery_id,
            message.attempts,
            owner,
            now_ms,
            now_ms + LEASE_MS,
        )
        if claim.record is None or claim.outcome != "claimed":
            return claim.outcome  # stale (a duplicate, or done) or busy (a live attempt)
        record = claim.record
        slot = endpoints.take_slot(
            message.tenant_id,
            message.endpoint_id,
            self.settings.delivery_endpoint_concurrency,
            owner,
            now_ms,
            now_ms + LEASE_MS,
        )
        if slot.endpoint is None:  # cancelling also ends our lease
            deliveries.cancel(record.endpoint_id, record.delivery_id, "the endpoint was removed")
            return "cancelled"
        if slot.number is None:
            deliveries.release(record.endpoint_id, record.delivery_id, owner)
            self._defer(message, random.uniform(*SLOT_WAIT_SECONDS))  # noqa: S311 (a wait, not a key)
            return "deferred"
        try:
            answer = self._send(slot.endpoint, record)
        finally:
            endpoints.release_slot(message.tenant_id, message.endpoint_id, slot.number, owner)
        return self._record(slot.endpoint, record, owner, answer)

    def _defer(self, message: DeliveryMessage, seconds: float) -> None:
        try:
            self.send_deliveries([message], seconds)
        except Exception:  # the sweep sends it once it is overdue
            logger.exception("deferring a delivery failed", extra={"delivery": message.delivery_id})

    def _send(self, endpoint: EndpointRecord, record: DeliveryRecord) -> outbound.Answer:
        secret = sealed.unseal(
            endpoint.secret_sealed,
            sealed.context(SECRET_FIELD, endpoint.tenant_id, endpoint.endpoint_id),
        )
        body = record.body.encode("utf-8")
        headers = {
            "Content-Type": "application/json",
            signing.HEADER: signing.signature_header(secret, body, int(self.clock())),
            "XeroBridge-Event-Id": record.event_id,
            "XeroBridge-Event-Type": record.event_type,
            "XeroBridge-Delivery-Id": record.delivery_id,
            "XeroBridge-Attempt": str(record.attempts + 1),
        }
        return self.post(
            endpoint.url,
            body,
            headers,
            timeout=self.settings.delivery_timeout_seconds,
            max_bytes=self.settings.delivery_max_response_bytes,
            allow_loopback=self.settings.allows_loopback_receivers,
        )

    def _next_attempt_ms(self, record: DeliveryRecord, answer: outbound.Answer) -> int | None:
        now_ms = self.now_ms()
        due = self.backoff.next_attempt_ms(record.created_ms, now_ms, record.attempts + 1)
        asked = answer.retry_after
        if due is not None and asked and asked.isdigit():  # the receiver's Retry-After, bounded
            wanted = (
                now_ms + min(int(asked), int(self.settings.delivery_retry_max_delay_seconds)) * 1000
            )
            due = max(due, wanted)
        return due

    def _record(
        self, endpoint: EndpointRecord, record: DeliveryRecord, owner: str, answer: outbound.Answer
    ) -> str:
        now_ms = self.now_ms()
        entry = {
            "attempt": record.attempts + 1,
            "at_ms": now_ms - answer.elapsed_ms,
            "status_code": answer.status,
            "error": answer.error if not answer.ok else None,
            "duration_ms": answer.elapsed_ms,
            "response": answer.excerpt[:512],
        }
        entry = {k: v for k, v in entry.items() if v is not None}
        if answer.ok:
            if not deliveries.record_attempt(
                record, owner, entry, "delivered", None, False, now_ms
            ):
                return "lease_lost"
            if endpoint.status == "failing":
                endpoints.set_status(endpoint.tenant_id, endpoint.endpoint_id, "active", None)
            return "delivered"
        due = self._next_attempt_ms(record, answer)
        if due is None:
            if not deliveries.record_attempt(record, owner, entry, "failed", None, False, now_ms):
                return "lease_lost"
            self._endpoint_failing(endpoint)
            return "failed"
        wait = (due - now_ms) / 1000
        queued = wait <= SQS_MAX_DELAY_SECONDS
        if not deliveries.record_attempt(record, owner, entry, "retrying", due, queued, now_ms):
            return "lease_lost"
        if queued:
            resource = ""  # a retry goes on its own; the body carries the resource's version
            message = DeliveryMessage(
                record.tenant_id,
                record.endpoint_id,
                record.delivery_id,
                record.attempts + 1,
                resource,
            )
            self._defer(message, wait)
        return "retrying"

    def _endpoint_failing(self, endpoint: EndpointRecord) -> None:
        since = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.clock()))
        if not endpoints.set_status(endpoint.tenant_id, endpoint.endpoint_id, "failing", since):
            return  # already failing: its owner was told
        alert = alerts.endpoint_failing(
            endpoint.tenant_id,
            endpoint.endpoint_id,
            url_hint(endpoint.url),
            endpoint.created_by_email,
        )
        try:
            self.send_alerts([alert])
        except Exception:
            logger.exception(
                "alerting a failing endpoint failed", extra={"tenant_id": endpoint.tenant_id}
            )
