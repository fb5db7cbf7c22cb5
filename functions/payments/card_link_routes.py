"""Card payment links (Saferpay): POST and GET /tenants/{tenantId}/invoices/{id}/payment_link.

Thin, as the rest of the function: the caller's grant to the tenant (403 before Xero), the
optional Idempotency-Key, one action of `xero_bridge.rails.saferpay.links`, its model as the
answer. This API's own URL (for Saferpay's notifications) is the domain API Gateway reports.
"""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from payment_answers import actor_of, answer_once

from xero_bridge.http import request
from xero_bridge.http.origin import api_origin
from xero_bridge.http.request import RecordId, TenantId
from xero_bridge.http.schemas import responses
from xero_bridge.rails.saferpay.link_models import PaymentLinkOut, PaymentLinkRequest
from xero_bridge.rails.saferpay.links import create_link, newest_link

router = APIGatewayHttpRouter()
PATH = "/tenants/<tenantId>/invoices/<id>/payment_link"


@router.post(
    PATH,
    summary="A card payment page (Saferpay) for a sales invoice (Idempotency-Key optional)",
    responses=responses(
        {201: (PaymentLinkOut, "The link: send redirect_url to the payer")},
        400, 403, 404, 409, 422, 429, 503,
    ),
)  # fmt: skip
def create_payment_link(
    tenantId: TenantId,
    id: RecordId,
    link: Annotated[PaymentLinkRequest | None, Body()] = None,
) -> Response[PaymentLinkOut]:
    actor = actor_of(router, tenantId)
    key = request.idempotency_key(router, required=False)
    body = link or PaymentLinkRequest.model_validate({})
    once = create_link(tenantId, actor, id.lower(), body, api_origin(router.current_event), key)
    return answer_once(201, once)


@router.get(
    PATH,
    summary="The invoice's newest card payment link and its status",
    responses=responses({200: (PaymentLinkOut, "The link")}, 400, 403, 404, 503),
)
def get_payment_link(tenantId: TenantId, id: RecordId) -> PaymentLinkOut:
    request.caller(router, tenantId)
    return newest_link(tenantId, id.lower())
