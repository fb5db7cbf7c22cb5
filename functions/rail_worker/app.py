"""The rail callback queue's consumer (SQS, partial batch failures): queued provider
callbacks bring their payments up to date (`xero_bridge.rails.callbacks.worker`); the
messages whose provider or Xero failed go back to the queue as batch item failures."""

from typing import Any

from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.typing import LambdaContext

from xero_bridge.aws.sqs_batch import records_of, send_back
from xero_bridge.observability import logger, metrics, tracer
from xero_bridge.payments import events
from xero_bridge.rails.callbacks.worker import Message, process


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
@tracer.capture_lambda_handler
@events.batched
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    records = records_of(event)
    result = process([Message(r.message_id, r.body or "") for r in records])
    logger.info("rail callbacks", extra={"counts": result.counts, "sent_back": len(result.failed)})
    return send_back(event, context, result.failed)
