"""The domain events' queue (an EventBridge rule's target): each event fanned out to the
webhook endpoints that want it, the alerts it raises and the watches it leaves
(xero_bridge.notify.fanout). Partial batch failures: a message that failed comes back."""

from typing import Any

from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from xero_bridge.aws.sqs_batch import each_record
from xero_bridge.notify.fanout import Fanout
from xero_bridge.observability import logger


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    fanout = Fanout()

    def record_handler(record: SQSRecord) -> None:
        fanout.handle(record.json_body)

    answer = each_record(event, context, record_handler)
    logger.info("fan-out batch", extra={"counts": dict(fanout.counts)})
    return answer
