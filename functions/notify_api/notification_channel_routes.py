"""Notification channels: /tenants/{tenantId}/notification_channels… — add, list, remove,
send a test alert. Channel targets are never answered in full."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Path

from xero_bridge.http import request
from xero_bridge.http.answers import created
from xero_bridge.http.request import TenantId
from xero_bridge.http.schemas import NO_CONTENT, error_responses, responses
from xero_bridge.notify import channels
from xero_bridge.notify.models import (
    NotificationChannelIn,
    NotificationChannelListOut,
    NotificationChannelOut,
    TestAlertOut,
)

router = Router()

ChannelId = Annotated[
    str, Path(pattern=r"^nch_[0-9a-f]{24}$", description="A notification channel")
]


@router.post(
    "/tenants/<tenantId>/notification_channels",
    summary="Add a Slack, Discord or e-mail channel for the alert types it names",
    responses=responses({201: (NotificationChannelOut, "Added")}, 400, 403, 409),
)
def create_channel(
    tenantId: TenantId, channel: Annotated[NotificationChannelIn, Body()]
) -> Response[NotificationChannelOut]:
    admin = request.caller(router, tenantId, admin=True)
    return created(channels.create_channel(tenantId, admin, channel))


@router.get(
    "/tenants/<tenantId>/notification_channels",
    summary="The tenant's notification channels (targets shown only in part)",
    responses=responses({200: (NotificationChannelListOut, "The channels")}, 403),
)
def list_channels(tenantId: TenantId) -> NotificationChannelListOut:
    request.caller(router, tenantId, admin=True)
    return channels.list_channels(tenantId)


@router.delete(
    "/tenants/<tenantId>/notification_channels/<channelId>",
    summary="Remove a notification channel",
    responses={**NO_CONTENT, **error_responses(403, 404)},
)
def delete_channel(tenantId: TenantId, channelId: ChannelId) -> Response[None]:
    request.caller(router, tenantId, admin=True)
    channels.delete_channel(tenantId, channelId)
    return Response(204)


@router.post(
    "/tenants/<tenantId>/notification_channels/<channelId>/test",
    summary="Send a test alert to the channel now and say whether it took it",
    responses=responses({200: (TestAlertOut, "The channel's answer")}, 403, 404),
)
def test_channel(tenantId: TenantId, channelId: ChannelId) -> TestAlertOut:
    admin = request.caller(router, tenantId, admin=True)
    return channels.send_test_alert(tenantId, channelId, admin)
