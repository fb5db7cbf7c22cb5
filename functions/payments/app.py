"""Payments: /tenants/{tenantId}/payments… — submit, batch, list and read (`payment_routes`);
approve, confirm, reject, reverse (`payment_decision_routes`); card payment links,
/tenants/{tenantId}/invoices/{id}/payment_link (`card_link_routes`); direct debit, a
customer's mandate and collecting an invoice (`direct_debit_routes`).

Thin: each route takes its input as Powertools validates it (path, query, the body as a
pydantic model parsed with exact decimals), checks the caller's grant to the tenant (403
before anything touches Xero), reads the Idempotency-Key where money moves, calls one action
of `xero_bridge.payments` (or a rail's) and answers its model: 201 when the payment is
recorded, 202 while it waits for approval, 200 otherwise (`payment_answers`). Scopes are
enforced by the authorizer's route policy (payments:write, payments:approve). Metrics
(payments by outcome) are flushed per invocation.
"""

import card_link_routes
import direct_debit_routes
import payment_decision_routes
import payment_routes
from aws_lambda_powertools.utilities.typing import LambdaContext

from xero_bridge.http.resolver import HttpApi
from xero_bridge.observability import logger, metrics, tracer
from xero_bridge.payments import events
from xero_bridge.payments.idempotency import register_lambda_context

app = HttpApi()
for _routes in (payment_routes, payment_decision_routes, card_link_routes, direct_debit_routes):
    app.include_router(_routes.router)


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
@tracer.capture_lambda_handler
@events.batched
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    register_lambda_context(context)
    return app.resolve(event, context)
