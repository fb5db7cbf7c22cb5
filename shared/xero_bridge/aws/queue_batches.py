"""SQS in batches: send messages ten a call, and look at a queue's messages without taking
them (the notifications' queues and the dead-letter queues the sweep watches).

Its client has the adapters' standard timeouts; `queue`'s are shorter, for webhook intake.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import boto3

from xero_bridge.aws.config import STANDARD

SEND_BATCH_MAX = 10  # entries per SendMessageBatch call, messages per ReceiveMessage call


@lru_cache(maxsize=1)
def sqs_client() -> Any:
    return boto3.client("sqs", config=STANDARD)


def reset_client() -> None:
    """Forget the cached client (tests that switch endpoints or credentials call this)."""
    sqs_client.cache_clear()


def send_batch(queue_url: str, entries: list[dict[str, Any]]) -> None:
    """SendMessageBatch entries (`Id`, `MessageBody`…), ten a call; RuntimeError when SQS
    refused any of a call's entries (the calls before it went through)."""
    for start in range(0, len(entries), SEND_BATCH_MAX):
        chunk = entries[start : start + SEND_BATCH_MAX]
        answer = sqs_client().send_message_batch(QueueUrl=queue_url, Entries=chunk)
        if answer.get("Failed"):
            raise RuntimeError(f"SQS refused {len(answer['Failed'])} of {len(chunk)} messages")


def message_count(queue_url: str) -> int:
    """About how many messages the queue holds (SQS's ApproximateNumberOfMessages)."""
    attributes = sqs_client().get_queue_attributes(
        QueueUrl=queue_url, AttributeNames=["ApproximateNumberOfMessages"]
    )["Attributes"]
    return int(attributes.get("ApproximateNumberOfMessages", 0))


def peek(queue_url: str, batches: int) -> list[dict[str, Any]]:
    """The messages (attributes included) up to `batches` receives find, each once; they
    stay in the queue, visible again at once. Stops at a receive that finds nothing new."""
    seen: dict[str, dict[str, Any]] = {}
    for _ in range(batches):
        messages = (
            sqs_client()
            .receive_message(
                QueueUrl=queue_url,
                MaxNumberOfMessages=SEND_BATCH_MAX,
                VisibilityTimeout=0,  # looked at, not taken
                MessageAttributeNames=["All"],
            )
            .get("Messages", [])
        )
        fresh = [m for m in messages if m["MessageId"] not in seen]
        if not fresh:
            break
        seen.update((m["MessageId"], m) for m in fresh)
    return list(seen.values())
