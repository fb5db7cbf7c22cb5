"""The webhook worker: SQS messages in, snapshots stored and domain events out.

`WebhookWorker.process` is the one entry point; the Lambda handler calls it with the whole
SQS batch, because grouping events across messages is what saves Xero calls. How a batch
goes is `batch.py`'s business (the package docstring says where each part lives).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from xero_bridge.settings import Settings, get_settings
from xero_bridge.webhooks import batch_metrics
from xero_bridge.webhooks.batch import Batch, BatchResult
from xero_bridge.webhooks.models import QueuedMessage
from xero_bridge.webhooks.publisher import EventPublisher
from xero_bridge.webhooks.retries import RetryQueue, SqsRetryQueue
from xero_bridge.webhooks.source import ChangeSource


class WebhookWorker:
    """The worker and its collaborators: Xero, EventBridge, the queue and the clock."""

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

    def process(self, messages: Sequence[QueuedMessage]) -> BatchResult:
        """Process one batch; the messages sent back are the result's `failed`."""
        batch = Batch(
            messages,
            self.source,
            self.publisher,
            self.clock,
            self.time_left,
            settings=self.settings,
        )
        batch.run()
        result = batch.verdict(self.retry_queue)
        batch_metrics.record(result.counts)
        return result
