"""One batch's claims on its events in the dedup table (WebhookEvents), and their verdicts.

Each distinct event is claimed by its identity under the batch's owner id for
`WEBHOOK_CLAIM_SECONDS`. A claim ends in exactly one verdict within the batch: completed
(`done` or `dropped`, kept for `WEBHOOK_DEDUP_TTL_HOURS` so redeliveries are skipped) or
released with its messages sent back. A crash leaves the claim to expire; a retry then
redoes what is missing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from xero_bridge.persistence import webhook_events
from xero_bridge.webhooks.batch_context import BatchContext
from xero_bridge.webhooks.models import WebhookEvent


@dataclass
class PendingEvent:
    """One distinct event of the batch and the messages that carried it."""

    event: WebhookEvent
    message_ids: set[str] = field(default_factory=set)
    settled: bool = False  # has its verdict: completed, or released for a retry


def event_attributes(event: WebhookEvent) -> dict[str, Any]:
    """What the dedup record keeps of an event, for people looking at it."""
    return {
        "tenant_id": event.tenant_id,
        "category": event.category,
        "resource_id": event.resource_id,
        "event_type": event.event_type,
        "event_date_utc": event.event_date_utc,
    }


class Claims:
    """The dedup table as one batch uses it: claim, complete, release."""

    def __init__(self, batch: BatchContext) -> None:
        self.batch = batch

    def claim(self, pendings: Iterable[PendingEvent]) -> list[PendingEvent]:
        """The events this batch now holds; the rest are settled (finished already, or
        another worker's right now: their messages come back once its claim would lapse)."""
        claimed = []
        for pending in pendings:
            event = pending.event
            result = webhook_events.claim(
                event.identity,
                self.batch.owner,
                self.batch.clock(),
                self.batch.settings.webhook_claim_seconds,
                event_attributes(event),
            )
            if result.outcome == "claimed":
                claimed.append(pending)
            elif result.outcome == "finished":
                pending.settled = True
                self.batch.counts["events_already_done"] += 1
            else:
                pending.settled = True
                self.batch.counts["events_busy"] += 1
                wait = self.batch.send_backs.busy_delay(pending.message_ids, result.wait_seconds)
                self.batch.send_backs.add(pending.message_ids, wait, patient=True)
        return claimed

    def complete(
        self,
        pendings: Iterable[PendingEvent],
        status: webhook_events.Status = "done",
        note: str = "",
    ) -> None:
        """Record the unsettled events as finished (`done`, or `dropped` with a note)."""
        finishing = [p for p in pendings if not p.settled]
        if not finishing:
            return
        webhook_events.complete(
            [(p.event.identity, event_attributes(p.event)) for p in finishing],
            self.batch.owner,
            status,
            self.batch.clock(),
            note,
        )
        for pending in finishing:
            pending.settled = True
        self.batch.counts[f"events_{status}"] += len(finishing)

    def release(self, pendings: Iterable[PendingEvent], delay: float | None, patient: bool) -> int:
        """Let go of the unsettled events and send their messages back after `delay`
        (None: the failure backoff); how many were released."""
        released = 0
        for pending in pendings:
            if pending.settled:
                continue
            pending.settled = True
            webhook_events.release(pending.event.identity, self.batch.owner)
            wait = self.batch.send_backs.backoff(pending.message_ids) if delay is None else delay
            self.batch.send_backs.add(pending.message_ids, wait, patient)
            self.batch.counts["events_retried"] += 1
            released += 1
        return released
