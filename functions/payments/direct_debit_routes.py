"""Direct debit (GoCardless): a customer's mandate, and collecting a sales invoice on it.

- ``POST /tenants/{tenantId}/contacts/{id}/mandate`` — ask the customer for a mandate: 201
  with GoCardless's `authorisation_url` (send the customer there), or 200 with the mandate
  as it is when one can already be collected on (or its authorisation is still open);
- ``GET …/contacts/{id}/mandate`` — the mandate's status, as GoCardless's webhooks said;
- ``POST /tenants/{tenantId}/invoices/{id}/collect`` (Idempotency-Key) — a GoCardless payment
  for the amount due: the payment (200 ``executing``; 202 when it waits for a second person),
  recorded in Xero once GoCardless says the money is collected.

Thin, like the payments routes: Powertools validates the input, `request.caller` checks the
tenant grant (and the Xero scopes the route will need) before anything else, then one action
of `xero_bridge.rails.gocardless`. Scopes: payments:write (the authorizer's route policy).
"""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body
from payment_answers import WRITE_ERRORS, actor_of, answer_payment, required_key

from xero_bridge.http import request
from xero_bridge.http.answers import json_answer
from xero_bridge.http.request import RecordId, TenantId
from xero_bridge.http.schemas import responses
from xero_bridge.payments.answers import PaymentOut
from xero_bridge.rails.gocardless import mandates
from xero_bridge.rails.gocardless.collect import collect_invoice
from xero_bridge.rails.gocardless.models import CollectRequest, MandateOut, MandateRequest

router = Router()


@router.post(
    "/tenants/<tenantId>/contacts/<id>/mandate",
    summary="Ask a customer for a direct-debit mandate (GoCardless): the authorisation URL",
    responses=responses(
        {
            201: (MandateOut, "A new authorisation: send the customer to authorisation_url"),
            200: (MandateOut, "The mandate as it is (collectable, or still being authorised)"),
        },
        *WRITE_ERRORS,
    ),
)
def ask_for_mandate(
    tenantId: TenantId, id: RecordId, ask: Annotated[MandateRequest | None, Body()] = None
) -> Response[MandateOut]:
    actor = actor_of(router, tenantId)
    mandate, started = mandates.ask(tenantId, actor, id, ask or MandateRequest.model_validate({}))
    return json_answer(201 if started else 200, mandate)


@router.get(
    "/tenants/<tenantId>/contacts/<id>/mandate",
    summary="A customer's direct-debit mandate and its status",
    responses=responses({200: (MandateOut, "The mandate")}, 400, 403, 404),
)
def get_mandate(tenantId: TenantId, id: RecordId) -> MandateOut:
    request.caller(router, tenantId)
    return mandates.mandate_of(tenantId, id)


@router.post(
    "/tenants/<tenantId>/invoices/<id>/collect",
    summary="Collect a sales invoice by direct debit (GoCardless; Idempotency-Key required)",
    responses=responses(
        {
            200: (PaymentOut, "Sent to GoCardless: recorded in Xero once collected"),
            202: (PaymentOut, "Waiting for a second person"),
        },
        *WRITE_ERRORS,
    ),
)
def collect(
    tenantId: TenantId, id: RecordId, ask: Annotated[CollectRequest | None, Body()] = None
) -> Response[PaymentOut]:
    actor = actor_of(router, tenantId)
    key = required_key(router)
    once = collect_invoice(tenantId, actor, key, id, ask or CollectRequest.model_validate({}))
    return answer_payment(once)
