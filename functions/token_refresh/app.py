"""EventBridge schedule: provision configured custom connections, then refresh every Xero
token set that is due (xero_bridge.connections.refresh)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from xero_bridge.connections.custom import ensure_custom_connections
from xero_bridge.connections.refresh import sweep
from xero_bridge.observability import logger, metrics, tracer


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
@tracer.capture_lambda_handler
def lambda_handler(event: dict, context: LambdaContext) -> dict[str, Any]:
    provisioned = ensure_custom_connections()
    # Leave 20 s for the refreshes in flight to finish and the result to be logged.
    remaining = context.get_remaining_time_in_millis() / 1000 - 20
    result = sweep(seconds_available=max(5.0, remaining))
    return {**result, "custom_connections_provisioned": len(provisioned)}
