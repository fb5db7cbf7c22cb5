"""One batch of queued deliveries, from SQS messages to a verdict per message.

1. Parse each delivery; collapse events repeated within the batch (same identity).
2. Claim each event in the dedup table (`claims.py`). Finished ones (a redelivery) are
   skipped; one that another worker is on right now sends its message back for a short while.
3. Group the claimed events by tenant and category. A tenant we have no connection for:
   its events are recorded as `dropped`, no error. Subscription events carry no resource to
   fetch and are published as they are.
4. Fetch each group's distinct resources with the `IDs` filter, ~50 per call.
5. Store each resource's snapshot if newer than the stored one, publish that version and
   only then complete its events (`publication.py`). A crash anywhere before leaves the
   claims to expire, and a retry redoes what is missing without storing or publishing twice.
6. Give every message sent back its delay; the rest are done (`retries.py`).

Failures are per message, and per tenant: a 429 holds up only its tenant's events.
"""

from __future__ import annotations

import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from pydantic import ValidationError

from xero_bridge.errors import ForbiddenError, RateLimitedError
from xero_bridge.observability import logger, tracer
from xero_bridge.settings import Settings
from xero_bridge.webhooks.batch_context import BatchContext
from xero_bridge.webhooks.claims import Claims, PendingEvent
from xero_bridge.webhooks.models import QueuedMessage
from xero_bridge.webhooks.publication import Publications
from xero_bridge.webhooks.publisher import EventPublisher
from xero_bridge.webhooks.retries import RetryQueue, SendBacks
from xero_bridge.webhooks.source import FETCHABLE, ChangeSource

# Below this much Lambda time left, no new fetch starts: its messages go back at once.
_TIME_NEEDED_SECONDS = 10.0


@dataclass
class BatchResult:
    failed: set[str] = field(default_factory=set)  # message ids to report as failures
    counts: Counter[str] = field(default_factory=Counter)


@contextmanager
def _traced(name: str, **annotations: str | int) -> Iterator[None]:
    """A subsegment of the invocation's X-Ray trace (a no-op where tracing is disabled). Not
    `@tracer.capture_method`: that logs every exception at ERROR, and a 429 is routine here."""
    with tracer.provider.in_subsegment(f"## {name}") as subsegment:
        for key, value in annotations.items():
            subsegment.put_annotation(key, value)
        yield


class Batch:
    """The state of one batch: who claimed what, and what goes back to the queue."""

    def __init__(
        self,
        messages: Sequence[QueuedMessage],
        source: ChangeSource,
        publisher: EventPublisher,
        clock: Callable[[], float] = time.time,
        time_left: Callable[[], float] | None = None,
        *,
        settings: Settings,
    ) -> None:
        self.source = source
        self.clock = clock
        self.time_left = time_left
        self.settings = settings
        self.counts: Counter[str] = Counter()
        self.send_backs = SendBacks(messages, settings)
        context = BatchContext(uuid.uuid4().hex, clock, settings, self.send_backs, self.counts)
        self.claims = Claims(context)
        self.publications = Publications(context, self.claims, publisher)

    def run(self) -> None:
        pendings = self._parse()
        with _traced("webhooks.claim", events=len(pendings)):
            claimed = self.claims.claim(pendings)
        by_tenant: dict[str, dict[str, list[PendingEvent]]] = defaultdict(lambda: defaultdict(list))
        for pending in claimed:
            by_tenant[pending.event.tenant_id][pending.event.category].append(pending)
        for tenant_id, groups in by_tenant.items():
            try:
                with _traced("webhooks.tenant", tenant_id=tenant_id):
                    self._tenant(tenant_id, groups)
            except RateLimitedError as limited:
                logger.info(
                    "Xero asked us to wait",
                    extra={"tenant_id": tenant_id, "retry_after": limited.retry_after},
                )
                self.counts["rate_limited"] += 1
                for group in groups.values():
                    released = self.claims.release(group, limited.retry_after, patient=True)
                    self.counts["events_rate_limited"] += released
            except Exception:
                logger.exception("webhook events failed", extra={"tenant_id": tenant_id})
                for group in groups.values():
                    self.claims.release(group, None, patient=False)
        # A safety net: nothing claimed may stay claimed without a verdict.
        self.claims.release(claimed, None, patient=False)
        self.publications.let_go()

    def verdict(self, retry_queue: RetryQueue) -> BatchResult:
        """Send back what goes back; the messages to report as batch item failures."""
        with _traced("webhooks.send_back", messages=len(self.send_backs.retries)):
            failed = self.send_backs.settle(retry_queue, self.counts)
        return BatchResult(failed=failed, counts=self.counts)

    def _parse(self) -> list[PendingEvent]:
        pendings: dict[str, PendingEvent] = {}
        for message in self.send_backs.messages.values():
            try:
                delivery = message.delivery()
            except (ValidationError, ValueError):
                # Not a delivery we can read: retried, then kept in the DLQ for a person.
                logger.error("unreadable webhook message", extra={"message_id": message.message_id})
                self.counts["messages_unreadable"] += 1
                ids = [message.message_id]
                self.send_backs.add(ids, self.send_backs.backoff(ids), patient=False)
                continue
            for event in delivery.events:
                self.counts["events_received"] += 1
                pending = pendings.setdefault(event.identity, PendingEvent(event))
                pending.message_ids.add(message.message_id)
        self.counts["events_distinct"] += len(pendings)
        return list(pendings.values())

    def _tenant(self, tenant_id: str, groups: dict[str, list[PendingEvent]]) -> None:
        subscriptions = groups.pop("SUBSCRIPTION", [])
        if subscriptions:  # app-level events (tenantId is the application): nothing to fetch
            self.publications.publish_subscriptions(subscriptions)
        unsupported = [c for c in groups if c not in FETCHABLE]
        for category in unsupported:
            logger.warning("unsupported webhook category", extra={"category": category})
            self.claims.complete(groups.pop(category), "dropped", "unsupported_category")
        if not groups:
            return
        if not self.source.is_connected(tenant_id):
            logger.info("webhook for a tenant we are not connected to", extra={"tenant": tenant_id})
            for group in groups.values():
                self.claims.complete(group, "dropped", "no_connection")
            return
        for category, group in groups.items():
            self._group(tenant_id, category, group)

    def _group(self, tenant_id: str, category: str, pendings: list[PendingEvent]) -> None:
        """Fetch the group's distinct resources ~50 per call, and store what came back."""
        by_resource: dict[str, list[PendingEvent]] = defaultdict(list)
        for pending in pendings:
            by_resource[pending.event.resource_id.lower()].append(pending)
        ids = list(by_resource)
        size = self.settings.webhook_fetch_chunk
        for start in range(0, len(ids), size):
            chunk = {rid: by_resource[rid] for rid in ids[start : start + size]}
            chunk_pendings = [p for group in chunk.values() for p in group]
            if self._out_of_time():
                self.claims.release(chunk_pendings, 0, patient=True)
                continue
            fetched_ms = int(self.clock() * 1000)  # the data is at least as new as the request
            try:
                with _traced("xero.fetch", tenant_id=tenant_id, category=category, ids=len(chunk)):
                    records = self.source.fetch(tenant_id, category, list(chunk))
            except RateLimitedError:
                raise  # the whole tenant waits (the caller sends its messages back)
            except ForbiddenError:
                # Xero refuses this organisation to us (disconnected on Xero's side): no retry
                # will change that. Recorded, like events of a tenant we are not connected to.
                logger.warning("Xero refused the organisation", extra={"tenant_id": tenant_id})
                self.claims.complete(chunk_pendings, "dropped", "forbidden")
                continue
            except Exception:
                logger.exception("Xero fetch failed", extra={"tenant_id": tenant_id})
                self.counts["fetch_failures"] += 1
                self.claims.release(chunk_pendings, None, patient=False)
                continue
            self.counts["xero_calls"] += 1
            with _traced("webhooks.store_and_publish", tenant_id=tenant_id, category=category):
                self.publications.store_and_publish(tenant_id, category, chunk, records, fetched_ms)

    def _out_of_time(self) -> bool:
        return self.time_left is not None and self.time_left() < _TIME_NEEDED_SECONDS
