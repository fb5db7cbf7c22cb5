"""The deliveries' queue: one attempt per message at a signed POST to a webhook endpoint
(xero_bridge.notify.delivery), the batch's endpoints in parallel. Partial batch failures."""

from typing import Any

from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.typing import LambdaContext

from xero_bridge.aws.sqs_batch import records_of, send_back
from xero_bridge.notify.delivery import Deliverer
from xero_bridge.notify.queues import DeliveryMessage
from xero_bridge.observability import logger


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    records = records_of(event)
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
    return send_back(event, context, failed)
