"""What an operator sees of each batch: its counts as CloudWatch metrics (EMF, flushed by the
handler's `@metrics.log_metrics`).

Every metric is emitted for every batch, zeros included, so a quiet batch reads as 0 on a
dashboard or alarm rather than as missing data. Of the events received, most end
processed, de-duplicated or dropped; the rest go back to the queue (those waiting on a 429
are counted apart).
"""

from __future__ import annotations

from collections import Counter

from aws_lambda_powertools.metrics import MetricUnit

from xero_bridge.observability import metrics


def values(counts: Counter[str]) -> dict[str, int]:
    """The batch's metrics from its counts."""
    repeated = counts["events_received"] - counts["events_distinct"]
    return {
        # Events in the batch's deliveries, repeats included.
        "WebhookEventsReceived": counts["events_received"],
        # Done: their change stored and published (or covered by a stored version).
        "WebhookEventsProcessed": counts["events_done"],
        # Skipped: repeated within the batch, or done already (Xero redelivered them).
        "WebhookEventsDeduplicated": repeated + counts["events_already_done"],
        # Recorded as dropped: no connection to the tenant, Xero refusing it, a category we
        # do not fetch.
        "WebhookEventsDropped": counts["events_dropped"],
        # Sent back to wait for a 429's Retry-After (or the shared call budget's).
        "WebhookEventsRateLimited": counts["events_rate_limited"],
        "WebhookSnapshotsStored": counts["snapshots_stored"],
        # Fetched but not newer than the stored snapshot: nothing stored or published.
        "WebhookSnapshotsNotNewer": counts["snapshots_not_newer"],
        "WebhookXeroCalls": counts["xero_calls"],
        # Reported as batch item failures (waiting or failing; back on the queue).
        "WebhookMessagesFailed": counts["messages_failed"],
    }


def record(counts: Counter[str]) -> None:
    for name, value in values(counts).items():
        metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)
