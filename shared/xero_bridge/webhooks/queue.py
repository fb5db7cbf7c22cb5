"""The webhook queue (SQS): send a delivery, delay a message, re-enqueue one.

Clients are created once per process with short timeouts: intake must answer Xero within
5 seconds, so an SQS call may not sit on botocore's default 60-second read timeout.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import boto3
from botocore.config import Config

from xero_bridge.settings import get_settings

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


def queue_url() -> str:
    return get_settings().required("webhook_queue_url")


def send(body: str, attributes: dict[str, str] | None = None, delay_seconds: int = 0) -> str:
    """Enqueue one message; returns its message id."""
    arguments: dict[str, Any] = {"QueueUrl": queue_url(), "MessageBody": body}
    if attributes:
        arguments["MessageAttributes"] = {
            name: {"DataType": "String", "StringValue": value} for name, value in attributes.items()
        }
    if delay_seconds > 0:
        arguments["DelaySeconds"] = min(MAX_DELAY_SECONDS, int(delay_seconds))
    return str(sqs_client().send_message(**arguments)["MessageId"])


def delay(receipt_handle: str, seconds: int) -> None:
    """Make a received message visible again in `seconds` (its retry delay)."""
    sqs_client().change_message_visibility(
        QueueUrl=queue_url(),
        ReceiptHandle=receipt_handle,
        VisibilityTimeout=max(0, min(MAX_VISIBILITY_SECONDS, int(seconds))),
    )


def reset_client() -> None:
    sqs_client.cache_clear()
