"""The webhook queue's consumer (SQS, partial batch failures).

The whole batch is handed to the worker logic at once, because grouping events across
messages is what saves Xero calls; Powertools' batch utility then reports the messages the
logic sent back (a 429's wait, a failure) as batch item failures.
"""

from typing import Any, cast

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from xero_bridge.observability import logger, metrics, tracer
from xero_bridge.webhooks.models import QueuedMessage
from xero_bridge.webhooks.publisher import EventBridgePublisher
from xero_bridge.webhooks.source import XeroChangeSource
from xero_bridge.webhooks.worker import WebhookWorker


class SentBack(Exception):
    """This message goes back to the queue (its retry delay is already set)."""


def _message(record: SQSRecord) -> QueuedMessage:
    # `.get` answers the raw attribute dicts (only `[...]` wraps them in Powertools classes).
    attributes = cast(dict[str, Any], record.message_attributes)
    encoding = (attributes.get("body-encoding") or {}).get("stringValue")
    return QueuedMessage(
        message_id=record.message_id,
        receipt_handle=record.receipt_handle,
        body=record.body or "",
        body_encoding=encoding or "identity",
        receive_count=int(record.attributes.approximate_receive_count or 1),
    )


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    messages = [_message(SQSRecord(raw)) for raw in event.get("Records", [])]
    worker = WebhookWorker(
        XeroChangeSource(),
        EventBridgePublisher(),
        time_left=lambda: context.get_remaining_time_in_millis() / 1000,
    )
    result = worker.process(messages)
    logger.info("webhook batch", extra={"counts": dict(result.counts)})

    def record_handler(record: SQSRecord) -> None:
        if record.message_id in result.failed:
            raise SentBack(record.message_id)

    # Every message failing is an answer too (all waiting on a 429, say), not a crash. One
    # processor per invocation: it keeps per-batch state (the local stack runs threads).
    processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
    return process_partial_response(event, record_handler, processor, context)
