"""EventBridge schedule, every minute: deliveries due after long waits (or whose message was
lost), payments waiting too long, dead letters to tell people about
(xero_bridge.notify.sweep)."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from xero_bridge.notify.sweep import Sweep
from xero_bridge.observability import logger


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    counts = dict(Sweep().run())
    logger.info("notify sweep", extra={"counts": counts})
    return counts
