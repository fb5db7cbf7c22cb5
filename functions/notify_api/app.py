"""Webhook endpoints and notification channels: /tenants/{tenantId}/webhook_endpoints… and
/tenants/{tenantId}/notification_channels… (administrators only).

Thin: each route validates its input (Powertools + pydantic), checks that the caller is an
administrator who may reach the tenant (403 otherwise), calls one function of
`xero_bridge.notify.endpoints` or `.channels` and answers its model. A new endpoint's signing
secret is in the 201 answer only; channel targets are never answered in full.
"""

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from aws_lambda_powertools.utilities.typing import LambdaContext

from xero_bridge.auth.principal import Principal
from xero_bridge.http import request
from xero_bridge.http.request import TenantId
from xero_bridge.http.resolver import HttpApi
from xero_bridge.http.schemas import NO_CONTENT, error_responses, responses
from xero_bridge.notify import channels, endpoints
from xero_bridge.notify.models import (
    DeliveryListOut,
    DeliveryOut,
    NotificationChannelIn,
    NotificationChannelListOut,
    NotificationChannelOut,
    TestAlertOut,
    WebhookEndpointCreatedOut,
    WebhookEndpointIn,
    WebhookEndpointListOut,
)
from xero_bridge.observability import logger

app = HttpApi()

EndpointId = Annotated[str, Path(pattern=r"^we_[0-9a-f]{24}$", description="A webhook endpoint")]
DeliveryId = Annotated[str, Path(pattern=r"^dlv_[0-9a-f]{32}$", description="A delivery")]
ChannelId = Annotated[
    str, Path(pattern=r"^nch_[0-9a-f]{24}$", description="A notification channel")
]


def _admin(tenant_id: str) -> Principal:
    return request.caller(app, tenant_id, admin=True)


@app.post(
    "/tenants/<tenantId>/webhook_endpoints",
    summary="Register a webhook endpoint; its signing secret is in this answer only",
    responses=responses({201: (WebhookEndpointCreatedOut, "Registered")}, 400, 403, 409),
)
def create_endpoint(
    tenantId: TenantId, endpoint: Annotated[WebhookEndpointIn, Body()]
) -> Response[WebhookEndpointCreatedOut]:
    created = endpoints.create_endpoint(tenantId, _admin(tenantId), endpoint)
    return Response(201, "application/json", body=created)


@app.get(
    "/tenants/<tenantId>/webhook_endpoints",
    summary="The tenant's webhook endpoints (without their secrets)",
    responses=responses({200: (WebhookEndpointListOut, "The endpoints")}, 403),
)
def list_endpoints(tenantId: TenantId) -> WebhookEndpointListOut:
    _admin(tenantId)
    return endpoints.list_endpoints(tenantId)


@app.delete(
    "/tenants/<tenantId>/webhook_endpoints/<endpointId>",
    summary="Remove a webhook endpoint (its open deliveries are cancelled)",
    responses={**NO_CONTENT, **error_responses(403, 404)},
)
def delete_endpoint(tenantId: TenantId, endpointId: EndpointId) -> Response[None]:
    _admin(tenantId)
    endpoints.delete_endpoint(tenantId, endpointId)
    return Response(204)


@app.get(
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
    _admin(tenantId)
    return endpoints.list_deliveries(tenantId, endpointId, page, page_size)


@app.post(
    "/tenants/<tenantId>/webhook_endpoints/<endpointId>/deliveries/<deliveryId>/replay",
    summary="Send a delivery's event again (same event id), as a new delivery",
    responses=responses({202: (DeliveryOut, "Queued")}, 403, 404),
)
def replay_delivery(
    tenantId: TenantId, endpointId: EndpointId, deliveryId: DeliveryId
) -> Response[DeliveryOut]:
    _admin(tenantId)
    replay = endpoints.replay_delivery(tenantId, endpointId, deliveryId)
    return Response(202, "application/json", body=replay)


@app.post(
    "/tenants/<tenantId>/notification_channels",
    summary="Add a Slack, Discord or e-mail channel for the alert types it names",
    responses=responses({201: (NotificationChannelOut, "Added")}, 400, 403, 409),
)
def create_channel(
    tenantId: TenantId, channel: Annotated[NotificationChannelIn, Body()]
) -> Response[NotificationChannelOut]:
    created = channels.create_channel(tenantId, _admin(tenantId), channel)
    return Response(201, "application/json", body=created)


@app.get(
    "/tenants/<tenantId>/notification_channels",
    summary="The tenant's notification channels (targets shown only in part)",
    responses=responses({200: (NotificationChannelListOut, "The channels")}, 403),
)
def list_channels(tenantId: TenantId) -> NotificationChannelListOut:
    _admin(tenantId)
    return channels.list_channels(tenantId)


@app.delete(
    "/tenants/<tenantId>/notification_channels/<channelId>",
    summary="Remove a notification channel",
    responses={**NO_CONTENT, **error_responses(403, 404)},
)
def delete_channel(tenantId: TenantId, channelId: ChannelId) -> Response[None]:
    _admin(tenantId)
    channels.delete_channel(tenantId, channelId)
    return Response(204)


@app.post(
    "/tenants/<tenantId>/notification_channels/<channelId>/test",
    summary="Send a test alert to the channel now and say whether it took it",
    responses=responses({200: (TestAlertOut, "The channel's answer")}, 403, 404),
)
def test_channel(tenantId: TenantId, channelId: ChannelId) -> TestAlertOut:
    return channels.send_test_alert(tenantId, channelId, _admin(tenantId))


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
