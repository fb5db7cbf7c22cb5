"""The mirror queue's consumer (SQS, partial batch failures).

The whole batch goes to the mirror logic at once, because copying many documents in one
Xero write is what saves calls; Powertools' batch utility then reports the messages the
logic sent back (a 429's wait, a failure's backoff) as batch item failures.
"""

from typing import Any

from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from xero_bridge.aws.sqs_batch import records_of, send_back
from xero_bridge.mirrors.messages import QueueMessage
from xero_bridge.mirrors.worker import MirrorWorker
from xero_bridge.observability import logger, metrics
from xero_bridge.webhooks.publisher import EventBridgePublisher


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
    batch = [_message(record) for record in records_of(event)]
    failed = MirrorWorker(EventBridgePublisher()).process(batch)
    logger.info("mirror batch", extra={"messages": len(batch), "sent_back": len(failed)})
    return send_back(event, context, failed)
