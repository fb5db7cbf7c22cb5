"""Schedule: the money-moving rails' open payments that stayed non-final too long are read at
their provider and moved (`xero_bridge.rails.reconciler`) — for a lost callback, and for OKX,
which never calls back. A failed provider group is retried by the next run."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from xero_bridge.observability import logger, metrics, tracer
from xero_bridge.payments import events
from xero_bridge.rails.reconciler import reconcile


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
@tracer.capture_lambda_handler
@events.batched
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    done = reconcile()
    return {
        rail: {"payments": len(outcome.payments), "failed_groups": len(outcome.failed)}
        for rail, outcome in done.items()
    }
