"""The deliveries' queue: one attempt per message at a signed POST to a webhook endpoint
(xero_bridge.notify.delivery), the batch's endpoints in parallel. Partial batch failures."""

from typing import Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from xero_bridge.notify.delivery import Deliverer
from xero_bridge.notify.queues import DeliveryMessage
from xero_bridge.observability import logger


class SentBack(Exception):
    """This message goes back to the queue."""


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    records = [SQSRecord(raw) for raw in event.get("Records", [])]
    unreadable: set[str] = set()
    messages: list[tuple[str, DeliveryMessage]] = []
    for record in records:
        try:
            messages.append((record.message_id, DeliveryMessage.parse(record.body or "")))
        except (ValueError, KeyError, TypeError):
            logger.error("unreadable delivery message", extra={"message_id": record.message_id})
            unreadable.add(record.message_id)
    deliverer = Deliverer(time_left=lambda: context.get_remaining_time_in_millis() / 1000)
    failed = deliverer.process(messages) | unreadable
    logger.info("delivery batch", extra={"counts": dict(deliverer.counts)})

    def record_handler(record: SQSRecord) -> None:
        if record.message_id in failed:
            raise SentBack(record.message_id)

    processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
    return process_partial_response(event, record_handler, processor, context)
