"""Webhook endpoints as the API manages them: register (the secret shown once), list, remove;
an endpoint's deliveries, and sending one again.

A URL is refused (400, naming why) unless it is HTTPS to a host whose every address is
public — checked here and again before each delivery (`outbound`). A replay is a new
delivery of the same event (same body, same event id), signed afresh when it is sent.
"""

from __future__ import annotations

import secrets
import time
from datetime import UTC, datetime

from xero_bridge.api_models import answer_from
from xero_bridge.auth.principal import Principal
from xero_bridge.errors import BadRequestError, ConflictError, NotFoundError
from xero_bridge.notify import queues, sealed, signing
from xero_bridge.notify.addresses import UnsafeTargetError, checked_addresses, parse_target
from xero_bridge.notify.models import (
    AttemptOut,
    DeliveryListOut,
    DeliveryOut,
    WebhookEndpointCreatedOut,
    WebhookEndpointIn,
    WebhookEndpointListOut,
    WebhookEndpointOut,
)
from xero_bridge.observability import logger
from xero_bridge.persistence import webhook_deliveries as deliveries
from xero_bridge.persistence import webhook_endpoints as store
from xero_bridge.persistence.webhook_deliveries import DeliveryRecord
from xero_bridge.persistence.webhook_endpoints import EndpointRecord
from xero_bridge.settings import get_settings

SECRET_FIELD = "webhook_endpoint.secret"


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def iso_ms(ms: int | None) -> str | None:
    if ms is None:
        return None
    moment = datetime.fromtimestamp(ms / 1000, tz=UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def check_url(url: str) -> None:
    """400 naming the problem when a delivery may not go to `url`."""
    allow = get_settings().allows_loopback_receivers
    try:
        checked_addresses(parse_target(url, allow), allow)
    except UnsafeTargetError as exc:
        raise BadRequestError(
            f"this URL cannot receive deliveries: {exc}", [{"field": "url", "problem": str(exc)}]
        ) from None


def endpoint_out(record: EndpointRecord) -> WebhookEndpointOut:
    return answer_from(
        WebhookEndpointOut,
        record,
        webhook_endpoint_id=record.endpoint_id,
        status="failing" if record.status == "failing" else "active",
    )


def create_endpoint(
    tenant_id: str, principal: Principal, request: WebhookEndpointIn
) -> WebhookEndpointCreatedOut:
    check_url(request.url)
    existing = store.list_for_tenant(tenant_id)
    limit = get_settings().webhook_endpoints_per_tenant
    if len(existing) >= limit:
        raise ConflictError(f"an organisation has at most {limit} webhook endpoints")
    endpoint_id = "we_" + secrets.token_hex(12)
    secret = signing.new_secret()
    record = EndpointRecord(
        tenant_id=tenant_id,
        endpoint_id=endpoint_id,
        url=request.url,
        events=request.events,
        secret_sealed=sealed.seal(secret, sealed.context(SECRET_FIELD, tenant_id, endpoint_id)),
        created_at=_now_iso(),
        created_by=principal.sub,
        created_by_email=principal.email,
        description=request.description,
    )
    store.create(record)
    return WebhookEndpointCreatedOut(**endpoint_out(record).model_dump(), secret=secret)


def list_endpoints(tenant_id: str) -> WebhookEndpointListOut:
    return WebhookEndpointListOut(
        webhook_endpoints=[endpoint_out(r) for r in store.list_for_tenant(tenant_id)]
    )


def _endpoint(tenant_id: str, endpoint_id: str) -> EndpointRecord:
    record = store.get(tenant_id, endpoint_id)
    if record is None:
        raise NotFoundError("no such webhook endpoint")
    return record


def delete_endpoint(tenant_id: str, endpoint_id: str) -> None:
    """Remove an endpoint; its open deliveries are cancelled as they come up."""
    if not store.delete(tenant_id, endpoint_id):
        raise NotFoundError("no such webhook endpoint")


# ---------------------------------------------------------------------------- deliveries
def delivery_out(record: DeliveryRecord) -> DeliveryOut:
    is_open = record.status in deliveries.OPEN
    return answer_from(
        DeliveryOut,
        record,
        webhook_endpoint_id=record.endpoint_id,
        created_at=iso_ms(record.created_ms) or "",
        next_attempt_at=iso_ms(record.next_attempt_ms) if is_open else None,
        delivered_at=iso_ms(record.delivered_ms),
        request_body=record.body,
        attempt_log=[
            AttemptOut(
                attempt=int(entry.get("attempt", 0)),
                at=iso_ms(int(entry.get("at_ms", 0))) or "",
                status_code=entry.get("status_code"),
                error=entry.get("error"),
                duration_ms=int(entry.get("duration_ms", 0)),
                response_excerpt=str(entry.get("response", "")),
            )
            for entry in record.attempt_log
        ],
    )


def list_deliveries(
    tenant_id: str, endpoint_id: str, page: str | None, page_size: int
) -> DeliveryListOut:
    _endpoint(tenant_id, endpoint_id)
    records, following = deliveries.list_page(endpoint_id, page_size, page)
    return DeliveryListOut(
        deliveries=[delivery_out(r) for r in records], page=page, next_page=following
    )


def replay_delivery(tenant_id: str, endpoint_id: str, delivery_id: str) -> DeliveryOut:
    """A new delivery of the same event to the same endpoint, queued now."""
    endpoint = _endpoint(tenant_id, endpoint_id)
    original = deliveries.get(endpoint_id, delivery_id)
    if original is None or original.tenant_id != tenant_id:
        raise NotFoundError("no such delivery")
    now_ms = int(time.time() * 1000)
    replay = DeliveryRecord(
        endpoint_id=endpoint.endpoint_id,
        delivery_id="dlv_" + secrets.token_hex(16),
        tenant_id=tenant_id,
        event_id=original.event_id,
        event_type=original.event_type,
        body=original.body,
        created_ms=now_ms,
        replay_of=original.delivery_id,
    )
    deliveries.create(replay)
    message = queues.DeliveryMessage(tenant_id, endpoint_id, replay.delivery_id, 0, "")
    try:
        queues.send_deliveries([message])
    except Exception:  # stored as due: the sweep sends it within a few minutes
        logger.exception("queueing a replay failed", extra={"delivery": replay.delivery_id})
    stored = deliveries.get(endpoint_id, replay.delivery_id)
    return delivery_out(stored or replay)
