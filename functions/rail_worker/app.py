"""The rail callback queue's consumer (SQS, partial batch failures): queued provider
callbacks bring their payments up to date (`xero_bridge.rails.callbacks.worker`); the
messages whose provider or Xero failed go back to the queue as batch item failures."""

from typing import Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from xero_bridge.observability import logger, metrics, tracer
from xero_bridge.payments import events
from xero_bridge.rails.callbacks.worker import Message, process


class SentBack(Exception):
    """This callback goes back to the queue."""


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
@tracer.capture_lambda_handler
@events.batched
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    records = [SQSRecord(raw) for raw in event.get("Records", [])]
    result = process([Message(r.message_id, r.body or "") for r in records])
    logger.info("rail callbacks", extra={"counts": result.counts, "sent_back": len(result.failed)})

    def record_handler(record: SQSRecord) -> None:
        if record.message_id in result.failed:
            raise SentBack(record.message_id)

    processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
    return process_partial_response(event, record_handler, processor, context)
