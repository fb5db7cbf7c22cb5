"""The webhook worker's logic: SQS messages in, snapshots stored and domain events out.

For one batch of queued deliveries:

1. Parse each delivery; collapse events repeated within the batch (same identity).
2. Claim each event in the dedup table. Finished ones (a redelivery) are skipped; one that
   another worker is on right now sends its message back for a short while.
3. Group the claimed events by tenant and category. A tenant we have no connection for:
   its events are recorded as `dropped`, no error. Subscription events carry no resource to
   fetch and are published as they are.
4. Fetch each group's distinct resources with the `IDs` filter, ~50 per call.
5. Store each resource's snapshot if newer than the stored one, with when and how it was
   fetched (the records API serves fresh ones); the writer publishes that version
   (`xero.invoice.updated`…), then marks it published.
6. Only then complete the events (`done`). A crash anywhere before leaves the claims to
   expire, and a retry redoes what is missing without storing or publishing twice.

Failures are per message. Waiting is not an error: a 429 (or our shared budget saying
wait) releases the tenant's claims and sends its messages back after Retry-After (SQS
visibility); an event another worker holds right now comes back in a few seconds; running
out of Lambda time sends the rest back at once. On the queue's last allowed receive such a
message is re-enqueued as a fresh copy instead, so waiting never lands in the DLQ. Real
failures (5xx, timeouts, an unreadable message) back off exponentially and end in the DLQ
after the queue's receive limit.
"""

from __future__ import annotations

import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Protocol

from pydantic import ValidationError

from xero_bridge.errors import ForbiddenError, RateLimitedError
from xero_bridge.observability import logger
from xero_bridge.persistence import snapshots, webhook_events
from xero_bridge.settings import Settings, get_settings
from xero_bridge.webhooks.models import QueuedMessage, WebhookEvent
from xero_bridge.webhooks.publisher import DomainEvent, EventPublisher, detail_type
from xero_bridge.webhooks.source import FETCHABLE, ChangeSource, fetch_unitdp, id_field
from xero_bridge.xero.dates import parse_xero_time_ms

MAX_RETRY_DELAY = 900  # seconds; beyond that the queue's own limits take over


class RetryQueue(Protocol):
    def delay(self, receipt_handle: str, seconds: int) -> None: ...

    def requeue(self, message: QueuedMessage, delay_seconds: int) -> None: ...


class SqsRetryQueue:
    """RetryQueue on the webhook queue."""

    def delay(self, receipt_handle: str, seconds: int) -> None:
        from xero_bridge.webhooks import queue

        queue.delay(receipt_handle, seconds)

    def requeue(self, message: QueuedMessage, delay_seconds: int) -> None:
        from xero_bridge.webhooks import queue
        from xero_bridge.webhooks.intake import ENCODING_ATTRIBUTE

        queue.send(message.body, {ENCODING_ATTRIBUTE: message.body_encoding}, delay_seconds)


@dataclass
class _Pending:
    """One distinct event of the batch and the messages that carried it."""

    event: WebhookEvent
    message_ids: set[str] = field(default_factory=set)
    settled: bool = False  # completed, or released for a retry


@dataclass(frozen=True)
class _Retry:
    delay: int
    patient: bool


@dataclass
class BatchResult:
    failed: set[str] = field(default_factory=set)  # message ids to report as failures
    counts: Counter[str] = field(default_factory=Counter)


class WebhookWorker:
    def __init__(
        self,
        source: ChangeSource,
        publisher: EventPublisher,
        retry_queue: RetryQueue | None = None,
        clock: Callable[[], float] = time.time,
        time_left: Callable[[], float] | None = None,
        settings: Settings | None = None,
    ) -> None:
        self.source = source
        self.publisher = publisher
        self.retry_queue = retry_queue or SqsRetryQueue()
        self.clock = clock
        self.time_left = time_left
        self.settings = settings or get_settings()

    # ------------------------------------------------------------------ the batch
    def process(self, messages: Sequence[QueuedMessage]) -> BatchResult:
        run = _Run(self, messages)
        run.execute()
        return run.finish()


class _Run:
    """The state of one batch: who claimed what, and what goes back to the queue."""

    def __init__(self, worker: WebhookWorker, messages: Sequence[QueuedMessage]) -> None:
        self.w = worker
        self.messages = {m.message_id: m for m in messages}
        self.owner = uuid.uuid4().hex
        self.retries: dict[str, _Retry] = {}
        self.counts: Counter[str] = Counter()
        self.settings = worker.settings
        self.held: dict[str, snapshots.Snapshot] = {}

    # -------------------------------------------------------------- helpers
    def now(self) -> float:
        return self.w.clock()

    def lease_until(self) -> int:
        return int(self.now()) + self.settings.webhook_claim_seconds

    def backoff(self, message_ids: Iterable[str]) -> int:
        attempts = max((self.messages[m].receive_count for m in message_ids), default=1)
        delay = self.settings.webhook_retry_base_seconds * 4 ** max(0, attempts - 1)
        return int(min(MAX_RETRY_DELAY, delay))

    def busy_delay(self, message_ids: Iterable[str], lease_left: float) -> float:
        """Another worker holds it: look again soon (it usually finishes within seconds),
        sooner than its lease ends, a little later on each attempt."""
        attempts = max((self.messages[m].receive_count for m in message_ids), default=1)
        return min(lease_left, 2.0**attempts)

    def send_back(self, message_ids: Iterable[str], delay: float, patient: bool) -> None:
        for message_id in message_ids:
            previous = self.retries.get(message_id)
            retry = _Retry(int(delay + 0.999), patient)
            if previous is not None:
                retry = _Retry(max(previous.delay, retry.delay), previous.patient and patient)
            self.retries[message_id] = retry

    def fail(self, pendings: Iterable[_Pending], delay: float | None, patient: bool) -> None:
        """Release the claims of unsettled events and send their messages back."""
        for pending in pendings:
            if pending.settled:
                continue
            pending.settled = True
            webhook_events.release(pending.event.identity, self.owner)
            wait = self.backoff(pending.message_ids) if delay is None else delay
            self.send_back(pending.message_ids, wait, patient)
            self.counts["events_retried"] += 1

    def complete(
        self, pendings: Iterable[_Pending], status: webhook_events.Status = "done", note: str = ""
    ) -> None:
        finishing = [p for p in pendings if not p.settled]
        if not finishing:
            return
        webhook_events.complete(
            [(p.event.identity, event_attributes(p.event)) for p in finishing],
            self.owner,
            status,
            self.now(),
            note,
        )
        for pending in finishing:
            pending.settled = True
        self.counts[f"events_{status}"] += len(finishing)

    def hold(self, snapshot: snapshots.Snapshot) -> None:
        """We are the publisher of this stored version until it is published or we fail."""
        self.held[snapshot.resource_key + f"#{snapshot.tenant_id}"] = snapshot

    def let_go(self) -> None:
        """Release every publication we hold but did not finish, so a retry need not wait."""
        for snapshot in self.held.values():
            try:
                snapshots.release_publish(
                    snapshot.tenant_id, snapshot.resource_key, snapshot.updated_ms, self.owner
                )
            except Exception:  # its lease runs out on its own
                logger.exception("releasing a publication failed")
        self.held.clear()

    def out_of_time(self) -> bool:
        return self.w.time_left is not None and self.w.time_left() < 10.0

    # -------------------------------------------------------------- steps
    def execute(self) -> None:
        pendings = self.parse()
        claimed = self.claim(pendings)
        by_tenant: dict[str, dict[str, list[_Pending]]] = defaultdict(lambda: defaultdict(list))
        for pending in claimed:
            by_tenant[pending.event.tenant_id][pending.event.category].append(pending)
        for tenant_id, groups in by_tenant.items():
            try:
                self.tenant(tenant_id, groups)
            except RateLimitedError as limited:
                logger.info(
                    "Xero asked us to wait",
                    extra={"tenant_id": tenant_id, "retry_after": limited.retry_after},
                )
                self.counts["rate_limited"] += 1
                for group in groups.values():
                    self.fail(group, limited.retry_after, patient=True)
            except Exception:
                logger.exception("webhook events failed", extra={"tenant_id": tenant_id})
                for group in groups.values():
                    self.fail(group, None, patient=False)
        # A safety net: nothing claimed may stay claimed without a verdict.
        self.fail(claimed, None, patient=False)
        self.let_go()

    def parse(self) -> list[_Pending]:
        pendings: dict[str, _Pending] = {}
        for message in self.messages.values():
            try:
                delivery = message.delivery()
            except (ValidationError, ValueError):
                # Not a delivery we can read: retried, then kept in the DLQ for a person.
                logger.error("unreadable webhook message", extra={"message_id": message.message_id})
                self.counts["messages_unreadable"] += 1
                self.send_back([message.message_id], self.backoff([message.message_id]), False)
                continue
            for event in delivery.events:
                self.counts["events_received"] += 1
                pending = pendings.setdefault(event.identity, _Pending(event))
                pending.message_ids.add(message.message_id)
        self.counts["events_distinct"] += len(pendings)
        return list(pendings.values())

    def claim(self, pendings: list[_Pending]) -> list[_Pending]:
        claimed = []
        for pending in pendings:
            event = pending.event
            result = webhook_events.claim(
                event.identity,
                self.owner,
                self.now(),
                self.settings.webhook_claim_seconds,
                event_attributes(event),
            )
            if result.outcome == "claimed":
                claimed.append(pending)
            elif result.outcome == "finished":
                pending.settled = True
                self.counts["events_already_done"] += 1
            else:  # another worker is on it: look again once its claim would have lapsed
                pending.settled = True
                self.counts["events_busy"] += 1
                wait = self.busy_delay(pending.message_ids, result.wait_seconds)
                self.send_back(pending.message_ids, wait, patient=True)
        return claimed

    def tenant(self, tenant_id: str, groups: dict[str, list[_Pending]]) -> None:
        subscriptions = groups.pop("SUBSCRIPTION", [])
        if subscriptions:  # app-level events (tenantId is the application): nothing to fetch
            self.publish_events(subscriptions)
        unsupported = [c for c in groups if c not in FETCHABLE]
        for category in unsupported:
            logger.warning("unsupported webhook category", extra={"category": category})
            self.complete(groups.pop(category), "dropped", "unsupported_category")
        if not groups:
            return
        if not self.w.source.is_connected(tenant_id):
            logger.info("webhook for a tenant we are not connected to", extra={"tenant": tenant_id})
            for group in groups.values():
                self.complete(group, "dropped", "no_connection")
            return
        for category, group in groups.items():
            self.group(tenant_id, category, group)

    def group(self, tenant_id: str, category: str, pendings: list[_Pending]) -> None:
        by_resource: dict[str, list[_Pending]] = defaultdict(list)
        for pending in pendings:
            by_resource[pending.event.resource_id.lower()].append(pending)
        ids = list(by_resource)
        size = self.settings.webhook_fetch_chunk
        for start in range(0, len(ids), size):
            chunk = ids[start : start + size]
            chunk_pendings = [p for rid in chunk for p in by_resource[rid]]
            if self.out_of_time():
                self.fail(chunk_pendings, 0, patient=True)
                continue
            fetched_ms = int(self.now() * 1000)  # the data is at least as new as the request
            try:
                records = self.w.source.fetch(tenant_id, category, chunk)
            except RateLimitedError:
                raise  # the whole tenant waits (the caller sends its messages back)
            except ForbiddenError:
                # Xero refuses this organisation to us (disconnected on Xero's side): no retry
                # will change that. Recorded, like events of a tenant we are not connected to.
                logger.warning("Xero refused the organisation", extra={"tenant_id": tenant_id})
                self.complete(chunk_pendings, "dropped", "forbidden")
                continue
            except Exception:
                logger.exception("Xero fetch failed", extra={"tenant_id": tenant_id})
                self.counts["fetch_failures"] += 1
                self.fail(chunk_pendings, None, patient=False)
                continue
            self.counts["xero_calls"] += 1
            self.store_and_publish(tenant_id, category, chunk, by_resource, records, fetched_ms)

    def store_and_publish(
        self,
        tenant_id: str,
        category: str,
        chunk: list[str],
        by_resource: dict[str, list[_Pending]],
        records: list[dict[str, Any]],
        fetched_ms: int | None = None,
    ) -> None:
        found = {str(r.get(id_field(category), "")).lower(): r for r in records}
        to_publish: list[tuple[snapshots.Snapshot, list[_Pending]]] = []
        covered: list[_Pending] = []
        for rid in chunk:
            pendings = by_resource[rid]
            record = found.get(rid)
            if record is None:
                logger.warning(
                    "changed resource not returned by Xero",
                    extra={"tenant_id": tenant_id, "category": category, "resource_id": rid},
                )
                self.complete(pendings, "done", "not_found")
                continue
            snapshot = snapshots.Snapshot(
                tenant_id=tenant_id,
                category=category,
                resource_id=rid,
                updated_ms=updated_ms(record, [p.event for p in pendings]),
                data=record,
                fetched_ms=fetched_ms,
                fetch_form=snapshots.FORM_LIST,
                unitdp=fetch_unitdp(category),
            )
            lease = self.lease_until()
            if snapshots.store_if_newer(snapshot, self.owner, lease):
                self.counts["snapshots_stored"] += 1
                self.hold(snapshot)
                to_publish.append((snapshot, pendings))
                continue
            claim = snapshots.claim_publish(
                tenant_id, snapshot.resource_key, snapshot.updated_ms, self.owner, self.now(), lease
            )
            if claim.outcome == "claimed":
                # Stored earlier by a worker that died or failed before publishing: ours now.
                self.counts["publications_taken_over"] += 1
                self.hold(snapshot)
                to_publish.append((snapshot, pendings))
            elif claim.outcome == "settled":
                # Stored and published already, or a newer version is stored (its writer
                # publishes it, and that covers these events): nothing to add.
                self.counts["snapshots_not_newer"] += 1
                covered.extend(pendings)
            else:
                # A live worker is publishing this very version; if it fails, it lets go and
                # our retry publishes it. Until then these events are not done.
                self.counts["events_busy"] += 1
                wait = self.busy_delay(
                    [m for p in pendings for m in p.message_ids], claim.wait_seconds
                )
                self.fail(pendings, wait, patient=True)
        events = [change_event(s, [p.event for p in ps]) for s, ps in to_publish]
        results = self.w.publisher.publish(events) if events else []
        for (snapshot, pendings), published in zip(to_publish, results, strict=True):
            if published:
                self.counts["events_published"] += 1
                snapshots.mark_published(
                    tenant_id, snapshot.resource_key, snapshot.updated_ms, self.owner
                )
                self.held.pop(snapshot.resource_key + f"#{tenant_id}", None)
                covered.extend(pendings)
            else:
                self.fail(pendings, None, patient=False)
        self.complete(covered)

    def publish_events(self, pendings: list[_Pending]) -> None:
        events = [subscription_event(p.event) for p in pendings]
        for pending, published in zip(pendings, self.w.publisher.publish(events), strict=True):
            if published:
                self.counts["events_published"] += 1
                self.complete([pending])
            else:
                self.fail([pending], None, patient=False)

    # -------------------------------------------------------------- the verdict
    def finish(self) -> BatchResult:
        result = BatchResult(counts=self.counts)
        for message_id, retry in self.retries.items():
            message = self.messages[message_id]
            delay = min(MAX_RETRY_DELAY, max(0, retry.delay))
            if retry.patient and message.receive_count >= self.settings.webhook_max_receives:
                # One more failure would move it to the DLQ, yet waiting is not an error:
                # a fresh copy (receive count 0) waits instead, and this one is done.
                try:
                    self.w.retry_queue.requeue(message, delay)
                    self.counts["messages_requeued"] += 1
                    continue
                except Exception:
                    logger.exception("re-enqueue failed", extra={"message_id": message_id})
            try:
                self.w.retry_queue.delay(message.receipt_handle, delay)
            except Exception:  # the queue's own visibility timeout applies instead
                logger.exception("visibility change failed", extra={"message_id": message_id})
            result.failed.add(message_id)
        self.counts["messages_failed"] += len(result.failed)
        return result


def event_attributes(event: WebhookEvent) -> dict[str, Any]:
    """What the dedup record keeps of an event, for people looking at it."""
    return {
        "tenant_id": event.tenant_id,
        "category": event.category,
        "resource_id": event.resource_id,
        "event_type": event.event_type,
        "event_date_utc": event.event_date_utc,
    }


# ---------------------------------------------------------------- Xero values


def updated_ms(record: dict[str, Any], events: Sequence[WebhookEvent]) -> int:
    """The version of a fetched record: its UpdatedDateUTC, else the newest event's date."""
    found = parse_xero_time_ms(record.get("UpdatedDateUTC"))
    if found is not None:
        return found
    dates = [parse_xero_time_ms(e.event_date_utc) for e in events]
    return max((d for d in dates if d is not None), default=0)


def _money(value: Any) -> str | None:
    return str(value) if isinstance(value, Decimal | int) else None


def summary(category: str, data: dict[str, Any]) -> dict[str, Any]:
    """A few fields a consumer can route on; amounts as decimal strings, no personal data."""
    if category == "INVOICE":
        fields = {
            "invoice_number": data.get("InvoiceNumber"),
            "type": data.get("Type"),
            "status": data.get("Status"),
            "currency_code": data.get("CurrencyCode"),
            "total": _money(data.get("Total")),
            "amount_due": _money(data.get("AmountDue")),
            "contact_id": (data.get("Contact") or {}).get("ContactID"),
        }
    elif category == "CONTACT":
        fields = {
            "name": data.get("Name"),
            "status": data.get("ContactStatus"),
            "is_customer": data.get("IsCustomer"),
            "is_supplier": data.get("IsSupplier"),
        }
    elif category == "CREDITNOTE":
        fields = {
            "credit_note_number": data.get("CreditNoteNumber"),
            "type": data.get("Type"),
            "status": data.get("Status"),
            "total": _money(data.get("Total")),
            "remaining_credit": _money(data.get("RemainingCredit")),
        }
    else:
        fields = {}
    return {key: value for key, value in fields.items() if value is not None}


def _iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=UTC).isoformat().replace("+00:00", "Z")


def change_event(snapshot: snapshots.Snapshot, events: Sequence[WebhookEvent]) -> DomainEvent:
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
