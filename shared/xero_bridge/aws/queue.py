"""An SQS queue: send a message, change when a received one is seen again.

Timeouts are short: webhook intake must answer Xero within 5 seconds.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import boto3
from botocore.config import Config

# Visibility and DelaySeconds limits of SQS.
MAX_VISIBILITY_SECONDS = 12 * 3600
MAX_DELAY_SECONDS = 900

_CONFIG = Config(
    connect_timeout=1,
    read_timeout=2,
    retries={"max_attempts": 3, "mode": "standard"},
)


@lru_cache(maxsize=1)
def sqs_client() -> Any:
    return boto3.client("sqs", config=_CONFIG)


def reset_client() -> None:
    """Forget the cached client (tests that switch endpoints or credentials call this)."""
    sqs_client.cache_clear()


def send(
    queue_url: str, body: str, attributes: dict[str, str] | None = None, delay_seconds: int = 0
) -> str:
    """Enqueue one message (string attributes, a delay capped at SQS's 15 minutes); its id."""
    arguments: dict[str, Any] = {"QueueUrl": queue_url, "MessageBody": body}
    if attributes:
        arguments["MessageAttributes"] = {
            name: {"DataType": "String", "StringValue": value} for name, value in attributes.items()
        }
    if delay_seconds > 0:
        arguments["DelaySeconds"] = min(MAX_DELAY_SECONDS, int(delay_seconds))
    return str(sqs_client().send_message(**arguments)["MessageId"])


def change_visibility(queue_url: str, receipt_handle: str, seconds: int) -> None:
    """Make a received message visible again in `seconds` (0 to SQS's 12 hours)."""
    sqs_client().change_message_visibility(
        QueueUrl=queue_url,
        ReceiptHandle=receipt_handle,
        VisibilityTimeout=max(0, min(MAX_VISIBILITY_SECONDS, int(seconds))),
    )
