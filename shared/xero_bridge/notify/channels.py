"""Notification channels as the API manages them: add one (its target checked and sealed),
list, remove, and send a test alert now.

A Slack target must be an incoming-webhook URL (`https://hooks.slack.com/services/T…/B…/…`),
a Discord one a webhook URL (`https://discord.com/api/webhooks/<id>/<token>`), and both are
POSTed to through the same safe client as webhook deliveries. In the local stack (its
setting) a loopback URL of the same shape is accepted: the receiver's.
"""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime
from urllib.parse import urlsplit

from xero_bridge.api_models import answer_from
from xero_bridge.auth.principal import Principal
from xero_bridge.errors import BadRequestError, ConflictError, NotFoundError
from xero_bridge.notify import alerts, sealed, senders
from xero_bridge.notify.addresses import Target, UnsafeTargetError, parse_target
from xero_bridge.notify.models import (
    NotificationChannelIn,
    NotificationChannelListOut,
    NotificationChannelOut,
    TestAlertOut,
)
from xero_bridge.persistence import notification_channels as store
from xero_bridge.persistence.connections import get_connection
from xero_bridge.persistence.notification_channels import ChannelRecord
from xero_bridge.settings import get_settings

TARGET_FIELD = "notification_channel.target"
_SLACK_HOSTS = {"hooks.slack.com"}
_SLACK_PATH = re.compile(r"^(/slack)?/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]+$")
_DISCORD_HOSTS = {"discord.com", "discordapp.com", "ptb.discord.com", "canary.discord.com"}
_DISCORD_PATH = re.compile(r"^(/discord)?/api(/v\d+)?/webhooks/\d+/[A-Za-z0-9_-]+$")
_EMAIL = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")


def _problem(field_problem: str) -> BadRequestError:
    return BadRequestError(
        f"this target cannot take alerts: {field_problem}",
        [{"field": "target", "problem": field_problem}],
    )


def _webhook_target(url: str, hosts: set[str], path: re.Pattern[str], name: str) -> Target:
    allow = get_settings().allows_loopback_receivers
    try:
        target = parse_target(url, allow)
    except UnsafeTargetError as exc:
        raise _problem(str(exc)) from None
    local = allow and target.scheme == "http"  # only loopback gets this far with http
    if not (local or target.host in hosts) or not path.match(urlsplit(url).path):
        raise _problem(f"not a {name} webhook URL")
    return target


def target_hint(kind: str, target: str) -> str:
    """Enough of a target to recognise it, and not enough to use it."""
    if kind == "email":
        return target
    host = parse_target(target, True).host
    return f"{host}/…{target[-4:]}"


def check_target(kind: str, target: str) -> str:
    """The target as stored (an e-mail address lower-cased in its domain); 400 when unfit."""
    if kind == "slack":
        _webhook_target(target, _SLACK_HOSTS, _SLACK_PATH, "Slack incoming")
        return target
    if kind == "discord":
        _webhook_target(target, _DISCORD_HOSTS, _DISCORD_PATH, "Discord")
        return target
    if len(target) > 254 or not _EMAIL.match(target):
        raise _problem("not an e-mail address")
    local, _, domain = target.rpartition("@")
    return f"{local}@{domain.lower()}"


def channel_out(record: ChannelRecord) -> NotificationChannelOut:
    return answer_from(NotificationChannelOut, record, notification_channel_id=record.channel_id)


def create_channel(
    tenant_id: str, principal: Principal, request: NotificationChannelIn
) -> NotificationChannelOut:
    target = check_target(request.kind, request.target)
    limit = get_settings().notification_channels_per_tenant
    if len(store.list_for_tenant(tenant_id)) >= limit:
        raise ConflictError(f"an organisation has at most {limit} notification channels")
    channel_id = "nch_" + secrets.token_hex(12)
    record = ChannelRecord(
        tenant_id=tenant_id,
        channel_id=channel_id,
        kind=request.kind,
        target_sealed=sealed.seal(target, sealed.context(TARGET_FIELD, tenant_id, channel_id)),
        target_hint=target_hint(request.kind, target),
        alerts=request.alerts,
        created_at=datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        created_by=principal.sub,
        description=request.description,
    )
    store.create(record)
    return channel_out(record)


def list_channels(tenant_id: str) -> NotificationChannelListOut:
    return NotificationChannelListOut(
        notification_channels=[channel_out(r) for r in store.list_for_tenant(tenant_id)]
    )


def delete_channel(tenant_id: str, channel_id: str) -> None:
    if not store.delete(tenant_id, channel_id):
        raise NotFoundError("no such notification channel")


def target_of(record: ChannelRecord) -> str:
    return sealed.unseal(
        record.target_sealed, sealed.context(TARGET_FIELD, record.tenant_id, record.channel_id)
    )


def tenant_name(tenant_id: str) -> str | None:
    connection = get_connection(tenant_id)
    return connection.tenant_name if connection else None


def send_test_alert(tenant_id: str, channel_id: str, principal: Principal) -> TestAlertOut:
    """Send a test alert to the channel now (not subject to the once-an-hour rule)."""
    record = store.get(tenant_id, channel_id)
    if record is None:
        raise NotFoundError("no such notification channel")
    alert = alerts.Alert(
        type="test",
        tenant_id=tenant_id,
        key=f"test:{channel_id}",
        title="Test alert",
        lines=[f"{principal.sub} sent this to check the channel. Nothing needs doing."],
        link_path="/settings/notifications",
    )
    outcome = senders.send(record.kind, target_of(record), alert, tenant_name(tenant_id))
    return TestAlertOut(delivered=outcome.ok, status_code=outcome.status, error=outcome.error)
