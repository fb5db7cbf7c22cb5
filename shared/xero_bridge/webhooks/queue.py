"""The webhook queue (`WEBHOOK_QUEUE_URL`): send a delivery, delay a message, re-enqueue one.

How SQS is called (client, timeouts, limits) is `xero_bridge.aws.queue`'s business.
"""

from __future__ import annotations

from xero_bridge.aws import queue as sqs

# Tests and benches reach the client through this module too.
from xero_bridge.aws.queue import reset_client as reset_client
from xero_bridge.aws.queue import sqs_client as sqs_client
from xero_bridge.settings import get_settings


def queue_url() -> str:
    return get_settings().required("webhook_queue_url")


def send(body: str, attributes: dict[str, str] | None = None, delay_seconds: int = 0) -> str:
    """Enqueue one message; returns its message id."""
    return sqs.send(queue_url(), body, attributes, delay_seconds)


def delay(receipt_handle: str, seconds: int) -> None:
    """Make a received message visible again in `seconds` (its retry delay)."""
    sqs.change_visibility(queue_url(), receipt_handle, seconds)
