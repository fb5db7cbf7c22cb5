"""Payments against the simulator over loopback, with moto for AWS.

``connected`` comes from tests/fixtures/connected.py (a plugin of tests/conftest.py).
``pay`` calls the payments handler as API Gateway would; ``event_log`` keeps the lifecycle
events the rails' tests (solaris/, gocardless/, saferpay/, okx/) look at.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

from tests.events import call_handler, http_api_event
from tests.fixtures.connected import Connected
from xero_bridge.observability import metrics
from xero_bridge.payments import events

if TYPE_CHECKING:
    from tests.integration.payments.rails import EventLog

ROUTES = {
    ("POST", ""): "POST /tenants/{tenantId}/payments",
    ("GET", ""): "GET /tenants/{tenantId}/payments",
    ("POST", "/batch"): "POST /tenants/{tenantId}/payments/batch",
    ("GET", "/{id}"): "GET /tenants/{tenantId}/payments/{paymentId}",
    ("POST", "/{id}/approve"): "POST /tenants/{tenantId}/payments/{paymentId}/approve",
    ("POST", "/{id}/confirm"): "POST /tenants/{tenantId}/payments/{paymentId}/confirm",
    ("POST", "/{id}/reject"): "POST /tenants/{tenantId}/payments/{paymentId}/reject",
    ("POST", "/{id}/reverse"): "POST /tenants/{tenantId}/payments/{paymentId}/reverse",
}


@pytest.fixture(autouse=True)
def metrics_namespace(aws_env: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The metrics namespace, as a Lambda has it: Powertools reads POWERTOOLS_METRICS_NAMESPACE
    when `xero_bridge.observability` is imported, which in a test run happens before the aws
    fixtures set it. No metric is left over from an earlier test."""
    monkeypatch.setattr(metrics, "namespace", os.environ["POWERTOOLS_METRICS_NAMESPACE"])
    metrics.clear_metrics()
    yield
    metrics.clear_metrics()


class Answer:
    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw
        self.status = raw["statusCode"]
        self.headers = raw.get("headers") or {}
        self.body = json.loads(raw["body"]) if raw.get("body") else None

    def __repr__(self) -> str:
        return f"<{self.status} {self.body}>"


def payments_event(
    method: str,
    tenant_id: str,
    suffix: str = "",
    *,
    payment_id: str | None = None,
    sub: str = "alice",
    scopes: str = "payments:write payments:approve",
    key: str | None = "auto",
    body: Any = None,
    query: dict[str, str] | None = None,
) -> dict[str, Any]:
    template = suffix.replace(payment_id, "{id}") if payment_id else suffix
    path = f"/tenants/{tenant_id}/payments{suffix}"
    params = {"tenantId": tenant_id}
    if payment_id:
        params["paymentId"] = payment_id
    headers = {}
    if key == "auto":
        key = str(uuid.uuid4()) if method == "POST" else None
    if key is not None:
        headers["idempotency-key"] = key
    if isinstance(body, str):
        headers["content-type"] = "application/json"
    return http_api_event(
        method,
        path,
        route_key=ROUTES[(method, template)],
        path_parameters=params,
        headers=headers,
        body=body,
        query=query,
        authorizer_context=Connected.context(sub, scopes),
    )


def payment_call(
    tenant_id: str,
    action: str,
    payment_id: str | None = None,
    *,
    sub: str,
    scopes: str,
    body: Any = None,
    key: str | None = "auto",
) -> Answer:
    """The payments handler's answer as the rails' fixtures ask: `action` "" submits, "batch"
    submits several, "get" reads the payment, any other ("approve", …) is done to it."""
    method = "GET" if action == "get" else "POST"
    suffix = ""
    if action == "batch":
        suffix = "/batch"
    elif payment_id:
        suffix = f"/{payment_id}" + ("" if action == "get" else f"/{action}")
    event = payments_event(
        method, tenant_id, suffix, payment_id=payment_id, sub=sub, scopes=scopes, key=key, body=body
    )
    return Answer(call_handler("payments", event))


@pytest.fixture
def pay(connected: Connected) -> Callable[..., Answer]:
    def call(method: str, suffix: str = "", **kwargs: Any) -> Answer:
        tenant = kwargs.pop("tenant", connected.tenant_a)
        event = payments_event(method, tenant, suffix, **kwargs)
        return Answer(call_handler("payments", event))

    return call


@pytest.fixture
def event_log(monkeypatch: pytest.MonkeyPatch) -> EventLog:
    """The lifecycle events the payments publish, kept instead of sent (rails.EventLog)."""
    from tests.integration.payments.rails import EventLog  # it imports this module

    log = EventLog()
    monkeypatch.setattr(events, "publisher", log)
    return log
