"""Storing what Xero returned and publishing it: each resource's snapshot only if newer than
the stored one, then its domain event, then the events it answers are done.

Storing a newer snapshot makes this batch its publisher under a lease. Until EventBridge
takes the event, the batch *holds* that publication; if it fails instead, it lets go, so
the retry publishes at once rather than waiting for the lease. A version stored by a worker
that died before publishing is taken over once that worker's lease has run out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from xero_bridge.observability import logger
from xero_bridge.persistence import snapshot_publication, snapshots
from xero_bridge.webhooks.batch_context import BatchContext
from xero_bridge.webhooks.claims import Claims, PendingEvent
from xero_bridge.webhooks.domain_events import change_event, subscription_event
from xero_bridge.webhooks.models import WebhookEvent
from xero_bridge.webhooks.publisher import EventPublisher
from xero_bridge.webhooks.source import fetch_unitdp, id_field
from xero_bridge.xero.dates import parse_xero_time_ms

# Stored versions this batch publishes, each with the events it answers.
_ToPublish = list[tuple[snapshots.Snapshot, list[PendingEvent]]]


def updated_ms(record: dict[str, Any], events: Sequence[WebhookEvent]) -> int:
    """The version of a fetched record: its UpdatedDateUTC, else the newest event's date."""
    found = parse_xero_time_ms(record.get("UpdatedDateUTC"))
    if found is not None:
        return found
    dates = [parse_xero_time_ms(e.event_date_utc) for e in events]
    return max((d for d in dates if d is not None), default=0)


def _held_key(snapshot: snapshots.Snapshot) -> str:
    return f"{snapshot.resource_key}#{snapshot.tenant_id}"


class Publications:
    """The snapshots one batch stores and the domain events it publishes for them."""

    def __init__(self, batch: BatchContext, claims: Claims, publisher: EventPublisher) -> None:
        self.batch = batch
        self.claims = claims
        self.publisher = publisher
        self.held: dict[str, snapshots.Snapshot] = {}

    def store_and_publish(
        self,
        tenant_id: str,
        category: str,
        chunk: dict[str, list[PendingEvent]],
        records: list[dict[str, Any]],
        fetched_ms: int,
    ) -> None:
        """Store and publish what one fetch returned; `chunk` maps each resource id asked
        for (lower case) to its events. Every event of the chunk ends settled."""
        found = {str(r.get(id_field(category), "")).lower(): r for r in records}
        to_publish: _ToPublish = []
        covered: list[PendingEvent] = []
        for rid, pendings in chunk.items():
            record = found.get(rid)
            if record is None:
                logger.warning(
                    "changed resource not returned by Xero",
                    extra={"tenant_id": tenant_id, "category": category, "resource_id": rid},
                )
                self.claims.complete(pendings, "done", "not_found")
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
            claim = self._store(snapshot)
            if claim.outcome == "claimed":
                self.held[_held_key(snapshot)] = snapshot
                to_publish.append((snapshot, pendings))
            elif claim.outcome == "settled":
                # Stored and published already, or a newer version is stored (its writer
                # publishes it, and that covers these events): nothing to add.
                covered.extend(pendings)
            else:
                # A live worker is publishing this very version; if it fails, it lets go and
                # our retry publishes it. Until then these events are not done.
                self.batch.counts["events_busy"] += 1
                message_ids = [m for p in pendings for m in p.message_ids]
                wait = self.batch.send_backs.busy_delay(message_ids, claim.wait_seconds)
                self.claims.release(pendings, wait, patient=True)
        covered.extend(self._publish(to_publish))
        self.claims.complete(covered)

    def _store(self, snapshot: snapshots.Snapshot) -> snapshot_publication.PublishClaim:
        """Store the snapshot if newer; whether this batch now publishes that version."""
        lease = int(self.batch.clock()) + self.batch.settings.webhook_claim_seconds
        if snapshots.store_if_newer(snapshot, self.batch.owner, lease):
            self.batch.counts["snapshots_stored"] += 1
            return snapshot_publication.PublishClaim("claimed")
        claim = snapshot_publication.claim_publish(
            snapshot.tenant_id,
            snapshot.resource_key,
            snapshot.updated_ms,
            self.batch.owner,
            self.batch.clock(),
            lease,
        )
        if claim.outcome == "claimed":
            # Stored earlier by a worker that died or failed before publishing: ours now.
            self.batch.counts["publications_taken_over"] += 1
        elif claim.outcome == "settled":
            self.batch.counts["snapshots_not_newer"] += 1
        return claim

    def _publish(self, to_publish: _ToPublish) -> list[PendingEvent]:
        """Publish each version and mark it published; the events now covered (those of a
        refused publication are released for a retry)."""
        events = [change_event(s, [p.event for p in ps]) for s, ps in to_publish]
        results = self.publisher.publish(events) if events else []
        covered: list[PendingEvent] = []
        for (snapshot, pendings), published in zip(to_publish, results, strict=True):
            if published:
                self.batch.counts["events_published"] += 1
                snapshot_publication.mark_published(
                    snapshot.tenant_id, snapshot.resource_key, snapshot.updated_ms, self.batch.owner
                )
                self.held.pop(_held_key(snapshot), None)
                covered.extend(pendings)
            else:
                self.claims.release(pendings, None, patient=False)
        return covered

    def publish_subscriptions(self, pendings: list[PendingEvent]) -> None:
        """App-level events carry no resource to fetch: published as they are."""
        events = [subscription_event(p.event) for p in pendings]
        for pending, published in zip(pendings, self.publisher.publish(events), strict=True):
            if published:
                self.batch.counts["events_published"] += 1
                self.claims.complete([pending])
            else:
                self.claims.release([pending], None, patient=False)

    def let_go(self) -> None:
        """Release every publication held but not finished, so a retry need not wait."""
        for snapshot in self.held.values():
            try:
                snapshot_publication.release_publish(
                    snapshot.tenant_id, snapshot.resource_key, snapshot.updated_ms, self.batch.owner
                )
            except Exception:  # its lease runs out on its own
                logger.exception("releasing a publication failed")
        self.held.clear()
