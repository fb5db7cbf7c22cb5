"""The mirror queue's consumer (SQS, partial batch failures).

The whole batch goes to the mirror logic at once, because copying many documents in one
Xero write is what saves calls; Powertools' batch utility then reports the messages the
logic sent back (a 429's wait, a failure's backoff) as batch item failures.
"""

from typing import Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from xero_bridge.mirrors.messages import QueueMessage
from xero_bridge.mirrors.worker import MirrorWorker
from xero_bridge.observability import logger, metrics
from xero_bridge.webhooks.publisher import EventBridgePublisher


class SentBack(Exception):
    """This message goes back to the queue (its delay is already set)."""


def _message(record: SQSRecord) -> QueueMessage:
    return QueueMessage(
        message_id=record.message_id,
        receipt_handle=record.receipt_handle,
        body=record.body or "",
        receive_count=int(record.attributes.approximate_receive_count or 1),
    )


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    batch = [_message(SQSRecord(raw)) for raw in event.get("Records", [])]
    failed = MirrorWorker(EventBridgePublisher()).process(batch)
    logger.info("mirror batch", extra={"messages": len(batch), "sent_back": len(failed)})

    def record_handler(record: SQSRecord) -> None:
        if record.message_id in failed:
            raise SentBack(record.message_id)

    # One processor per invocation: it keeps per-batch state (the local stack runs threads).
    processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
    return process_partial_response(event, record_handler, processor, context)
