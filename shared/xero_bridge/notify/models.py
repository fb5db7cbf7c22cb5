"""The API's models of webhook endpoints, their deliveries and notification channels."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from xero_bridge.notify.alerts import ALERT_TYPES
from xero_bridge.notify.events import EVENT_TYPES, is_pattern

_EVENTS_HELP = (
    "Event types to receive: any of "
    + ", ".join(f"`{t}`" for t in EVENT_TYPES)
    + "; `<group>.*` (e.g. `payment.*`) or `*` for all"
)
_ALERTS_HELP = "Alert types to send: any of " + ", ".join(f"`{t}`" for t in ALERT_TYPES) + "; `*`"


def _known_once(values: list[str], known: Callable[[str], bool], what: str) -> list[str]:
    """`values` without repeats (the first kept), when `known` takes each; else ValueError
    naming the unknown `what`."""
    unknown = [v for v in values if not known(v)]
    if unknown:
        raise ValueError(f"unknown {what}: {', '.join(unknown)}")
    return list(dict.fromkeys(values))


class WebhookEndpointIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(
        min_length=1,
        max_length=2048,
        description="Where events are POSTed: https:// on a public address",
        examples=["https://erp.example.com/hooks/xero-bridge"],
    )
    events: list[str] = Field(min_length=1, max_length=60, description=_EVENTS_HELP)
    description: str | None = Field(None, max_length=200)

    @field_validator("events")
    @classmethod
    def _known_events(cls, events: list[str]) -> list[str]:
        return _known_once(events, is_pattern, "event types")


class WebhookEndpointOut(BaseModel):
    webhook_endpoint_id: str
    url: str
    events: list[str]
    description: str | None
    status: Literal["active", "failing"] = Field(
        description="`failing`: a delivery failed every attempt for three days; the next 2xx"
        " makes it active again"
    )
    failing_since: str | None
    created_at: str
    created_by: str


class WebhookEndpointCreatedOut(WebhookEndpointOut):
    secret: str = Field(
        description="The signing secret (`whsec_…`): shown only in this answer. Deliveries"
        " carry `XeroBridge-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of"
        ' "<t>.<raw body>"> keyed with it`'
    )


class WebhookEndpointListOut(BaseModel):
    webhook_endpoints: list[WebhookEndpointOut]
    page: str | None = None
    next_page: str | None = None


class AttemptOut(BaseModel):
    attempt: int
    at: str
    status_code: int | None = Field(description="The receiver's status; null: no answer")
    error: str | None = Field(description="Why it did not count (a timeout, a refusal…)")
    duration_ms: int
    response_excerpt: str = Field(description="The first bytes of the receiver's answer")


class DeliveryOut(BaseModel):
    delivery_id: str
    webhook_endpoint_id: str
    event_id: str = Field(description="The same for every delivery and replay of one event")
    event_type: str
    status: Literal["pending", "retrying", "delivered", "failed", "cancelled"]
    attempts: int
    created_at: str
    next_attempt_at: str | None
    delivered_at: str | None
    replay_of: str | None = Field(description="The delivery this one sends again")
    note: str | None
    request_body: str = Field(description="The JSON text sent, byte for byte")
    attempt_log: list[AttemptOut] = Field(description="The newest attempts, oldest first")


class DeliveryListOut(BaseModel):
    deliveries: list[DeliveryOut]
    page: str | None = None
    next_page: str | None = Field(None, description="Pass as `page` for the next (older) ones")


ChannelKind = Literal["slack", "discord", "email"]


class NotificationChannelIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: ChannelKind
    target: str = Field(
        min_length=3,
        max_length=2048,
        description="Slack: the incoming webhook URL (https://hooks.slack.com/services/…);"
        " Discord: the webhook URL (https://discord.com/api/webhooks/…); e-mail: the address."
        " Stored encrypted, never shown again in full",
    )
    alerts: list[str] = Field(min_length=1, max_length=20, description=_ALERTS_HELP)
    description: str | None = Field(None, max_length=200)

    @field_validator("alerts")
    @classmethod
    def _known_alerts(cls, alerts: list[str]) -> list[str]:
        return _known_once(alerts, lambda a: a == "*" or a in ALERT_TYPES, "alert types")


class NotificationChannelOut(BaseModel):
    notification_channel_id: str
    kind: ChannelKind
    target_hint: str = Field(description="Enough of the target to recognise it")
    alerts: list[str]
    description: str | None
    created_at: str
    created_by: str


class NotificationChannelListOut(BaseModel):
    notification_channels: list[NotificationChannelOut]
    page: str | None = None
    next_page: str | None = None


class TestAlertOut(BaseModel):
    delivered: bool = Field(description="Whether the channel accepted the test alert")
    status_code: int | None = Field(description="Slack's or Discord's status (null for e-mail)")
    error: str | None
