"""The alerts' queue: each alert sent to its tenant's channels that chose it, at most once an
hour each (xero_bridge.notify.alerting). Partial batch failures: an alert a channel did not
take comes back; after the queue's receive limit it waits in the dead-letter queue."""

from typing import Any

from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from xero_bridge.aws.sqs_batch import each_record
from xero_bridge.notify.alerting import AlertSender
from xero_bridge.notify.alerts import Alert
from xero_bridge.observability import logger


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    sender = AlertSender()

    def record_handler(record: SQSRecord) -> None:
        sender.deliver(Alert.from_message(record.body or ""))

    answer = each_record(event, context, record_handler)
    logger.info("alert batch", extra={"counts": dict(sender.counts)})
    return answer
