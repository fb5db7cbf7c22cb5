"""Webhook endpoints: /tenants/{tenantId}/webhook_endpoints… — register, list, remove, and
their deliveries (list, replay). A new endpoint's signing secret is in the 201 answer only."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query

from xero_bridge.http import request
from xero_bridge.http.answers import created, json_answer
from xero_bridge.http.request import TenantId
from xero_bridge.http.schemas import NO_CONTENT, error_responses, responses
from xero_bridge.notify import endpoints
from xero_bridge.notify.models import (
    DeliveryListOut,
    DeliveryOut,
    WebhookEndpointCreatedOut,
    WebhookEndpointIn,
    WebhookEndpointListOut,
)

router = Router()

EndpointId = Annotated[str, Path(pattern=r"^we_[0-9a-f]{24}$", description="A webhook endpoint")]
DeliveryId = Annotated[str, Path(pattern=r"^dlv_[0-9a-f]{32}$", description="A delivery")]


@router.post(
    "/tenants/<tenantId>/webhook_endpoints",
    summary="Register a webhook endpoint; its signing secret is in this answer only",
    responses=responses({201: (WebhookEndpointCreatedOut, "Registered")}, 400, 403, 409),
)
def create_endpoint(
    tenantId: TenantId, endpoint: Annotated[WebhookEndpointIn, Body()]
) -> Response[WebhookEndpointCreatedOut]:
    admin = request.caller(router, tenantId, admin=True)
    return created(endpoints.create_endpoint(tenantId, admin, endpoint))


@router.get(
    "/tenants/<tenantId>/webhook_endpoints",
    summary="The tenant's webhook endpoints (without their secrets)",
    responses=responses({200: (WebhookEndpointListOut, "The endpoints")}, 403),
)
def list_endpoints(tenantId: TenantId) -> WebhookEndpointListOut:
    request.caller(router, tenantId, admin=True)
    return endpoints.list_endpoints(tenantId)


@router.delete(
    "/tenants/<tenantId>/webhook_endpoints/<endpointId>",
    summary="Remove a webhook endpoint (its open deliveries are cancelled)",
    responses={**NO_CONTENT, **error_responses(403, 404)},
)
def delete_endpoint(tenantId: TenantId, endpointId: EndpointId) -> Response[None]:
    request.caller(router, tenantId, admin=True)
    endpoints.delete_endpoint(tenantId, endpointId)
    return Response(204)


@router.get(
    "/tenants/<tenantId>/webhook_endpoints/<endpointId>/deliveries",
    summary="What was sent to an endpoint, newest first: bodies, answers and attempts",
    responses=responses({200: (DeliveryListOut, "One page")}, 400, 403, 404),
)
def list_deliveries(
    tenantId: TenantId,
    endpointId: EndpointId,
    page: Annotated[str | None, Query(max_length=1000)] = None,
    page_size: Annotated[int, Query(ge=1, le=100)] = 25,
) -> DeliveryListOut:
    request.caller(router, tenantId, admin=True)
    return endpoints.list_deliveries(tenantId, endpointId, page, page_size)


@router.post(
    "/tenants/<tenantId>/webhook_endpoints/<endpointId>/deliveries/<deliveryId>/replay",
    summary="Send a delivery's event again (same event id), as a new delivery",
    responses=responses({202: (DeliveryOut, "Queued")}, 403, 404),
)
def replay_delivery(
    tenantId: TenantId, endpointId: EndpointId, deliveryId: DeliveryId
) -> Response[DeliveryOut]:
    request.caller(router, tenantId, admin=True)
    return json_answer(202, endpoints.replay_delivery(tenantId, endpointId, deliveryId))
