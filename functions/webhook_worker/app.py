"""The webhook queue's consumer (SQS, partial batch failures).

The whole batch is handed to the worker logic at once, because grouping events across
messages is what saves Xero calls; Powertools' batch utility then reports the messages the
logic sent back (a 429's wait, a failure) as batch item failures.
"""

from typing import Any, cast

from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from xero_bridge.aws.sqs_batch import records_of, send_back
from xero_bridge.observability import logger, metrics, tracer
from xero_bridge.webhooks.models import QueuedMessage
from xero_bridge.webhooks.publisher import EventBridgePublisher
from xero_bridge.webhooks.source import XeroChangeSource
from xero_bridge.webhooks.worker import WebhookWorker


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
    messages = [_message(record) for record in records_of(event)]
    worker = WebhookWorker(
        XeroChangeSource(),
        EventBridgePublisher(),
        time_left=lambda: context.get_remaining_time_in_millis() / 1000,
    )
    result = worker.process(messages)
    logger.info("webhook batch", extra={"counts": dict(result.counts)})
    return send_back(event, context, result.failed)
