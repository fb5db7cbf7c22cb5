"""When a message of a batch goes back to the queue, and how.

Waiting is not an error: a 429's Retry-After (or our shared call budget saying wait), an
event another worker holds right now, or running out of Lambda time sends a message back
*patiently*. On the queue's last allowed receive such a message is re-enqueued as a fresh
copy instead, so waiting never lands it in the DLQ. Real failures (5xx, timeouts, an
unreadable message) back off exponentially and end in the DLQ after the queue's receive
limit (SQS's redrive policy, `WEBHOOK_MAX_RECEIVES`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from xero_bridge.observability import logger
from xero_bridge.settings import Settings
from xero_bridge.webhooks.models import QueuedMessage

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


@dataclass(frozen=True)
class Retry:
    delay: int  # seconds until the message is visible again
    patient: bool  # waiting, not failing: never the reason a message reaches the DLQ


class SendBacks:
    """The messages of one batch that go back to the queue, each with its delay."""

    def __init__(self, messages: Sequence[QueuedMessage], settings: Settings) -> None:
        self.messages = {m.message_id: m for m in messages}
        self.settings = settings
        self.retries: dict[str, Retry] = {}

    def _attempts(self, message_ids: Iterable[str]) -> int:
        return max((self.messages[m].receive_count for m in message_ids), default=1)

    def backoff(self, message_ids: Iterable[str]) -> int:
        """A real failure's delay: `WEBHOOK_RETRY_BASE_SECONDS`, 4 times longer per earlier try."""
        attempts = self._attempts(message_ids)
        delay = self.settings.webhook_retry_base_seconds * 4 ** max(0, attempts - 1)
        return int(min(MAX_RETRY_DELAY, delay))

    def busy_delay(self, message_ids: Iterable[str], lease_left: float) -> float:
        """Another worker holds it: look again soon (it usually finishes within seconds),
        sooner than its lease ends, a little later on each attempt."""
        return min(lease_left, 2.0 ** self._attempts(message_ids))

    def add(self, message_ids: Iterable[str], delay: float, patient: bool) -> None:
        """Send these messages back after `delay`; a message sent back for several reasons
        waits for the longest, and is patient only if every reason is."""
        for message_id in message_ids:
            previous = self.retries.get(message_id)
            retry = Retry(int(delay + 0.999), patient)
            if previous is not None:
                retry = Retry(max(previous.delay, retry.delay), previous.patient and patient)
            self.retries[message_id] = retry

    def settle(self, retry_queue: RetryQueue, counts: Counter[str]) -> set[str]:
        """Give each message sent back its delay; the ids to report as batch item failures."""
        failed: set[str] = set()
        for message_id, retry in self.retries.items():
            message = self.messages[message_id]
            delay = min(MAX_RETRY_DELAY, max(0, retry.delay))
            if retry.patient and message.receive_count >= self.settings.webhook_max_receives:
                # One more failure would move it to the DLQ, yet waiting is not an error:
                # a fresh copy (receive count 0) waits instead, and this one is done.
                try:
                    retry_queue.requeue(message, delay)
                    counts["messages_requeued"] += 1
                    continue
                except Exception:
                    logger.exception("re-enqueue failed", extra={"message_id": message_id})
            try:
                retry_queue.delay(message.receipt_handle, delay)
            except Exception:  # the queue's own visibility timeout applies instead
                logger.exception("visibility change failed", extra={"message_id": message_id})
            failed.add(message_id)
        counts["messages_failed"] += len(failed)
        return failed
