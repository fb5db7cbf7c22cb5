"""The records API: /tenants/{tenantId}/{accounts,contacts,invoices,items}…, their history,
notes and attachments, and an administrator's raw Xero request.

Thin: one Router per resource (`records_routes/`), each route validating its input
(Powertools + pydantic), checking the caller's access to the tenant, calling one function
of `xero_bridge.records` and answering its model. Request bodies are parsed with numbers as
Decimal, so money is exact from the first byte.
"""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext
from records_routes import accounts, attachments, contacts, history, invoices, items, raw

from xero_bridge.http.resolver import HttpApi
from xero_bridge.observability import logger, metrics, tracer

app = HttpApi()
for _routes in (accounts, contacts, invoices, items, history, attachments, raw):
    app.include_router(_routes.router)


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
