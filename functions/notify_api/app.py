"""Webhook endpoints and notification channels: /tenants/{tenantId}/webhook_endpoints…
(`webhook_endpoint_routes`) and /tenants/{tenantId}/notification_channels…
(`notification_channel_routes`), administrators only.

Thin: each route validates its input (Powertools + pydantic), checks that the caller is an
administrator who may reach the tenant (403 otherwise), calls one function of
`xero_bridge.notify.endpoints` or `.channels` and answers its model.
"""

from typing import Any

import notification_channel_routes
import webhook_endpoint_routes
from aws_lambda_powertools.utilities.typing import LambdaContext

from xero_bridge.http.resolver import HttpApi
from xero_bridge.observability import logger

app = HttpApi()
app.include_router(webhook_endpoint_routes.router)
app.include_router(notification_channel_routes.router)


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
