"""Fixtures of the notification tests: moto with the template's resources (the EventBridge
rule to the notify queue included), the local receiver on loopback, the notify API handler
as Lambda calls it, and the template's SQS event sources run by the local poller."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest

from devstack.lambda_runtime import LocalFunction
from devstack.receiver import Receiver
from devstack.sqs_poller import SqsPoller
from devstack.template import Physical, SamTemplate
from tests.events import call_handler, http_api_event
from xero_bridge.auth.principal import Principal
from xero_bridge.aws import queue_batches, ses
from xero_bridge.notify import sealed
from xero_bridge.persistence import grants
from xero_bridge.settings import get_settings

TENANT = "tenant-notify-a"
OTHER_TENANT = "tenant-notify-b"
NOTIFY_FUNCTIONS = (
    "NotifyFanoutFunction",
    "WebhookDeliveryFunction",
    "AlertSenderFunction",
    "NotifySweepFunction",
)


@dataclass
class Answer:
    status: int
    body: Any


def api(
    method: str,
    path: str,
    *,
    sub: str = "root",
    groups: list[str] | None = None,
    scopes: str = "",
    body: Any = None,
    query: dict[str, str] | None = None,
) -> Answer:
    """The notify API handler, called as API Gateway calls it (an administrator by default)."""
    principal = Principal(
        sub=sub,
        email=f"{sub}@example.com",
        scopes=scopes.split(),
        groups=["admin"] if groups is None else groups,
    )
    event = http_api_event(
        method, path, query=query, body=body, authorizer_context=principal.to_context()
    )
    result = call_handler("notify_api", event)
    raw = result.get("body") or ""
    if result.get("isBase64Encoded"):
        raw = base64.b64decode(raw).decode()
    return Answer(result["statusCode"], json.loads(raw) if raw else None)


def reset_notify_clients() -> None:
    get_settings.cache_clear()
    sealed.reset()
    queue_batches.reset_client()
    ses.reset_client()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    running = Receiver()
    running.start()
    yield running
    running.stop()


@pytest.fixture
def notify(aws: dict[str, Physical], monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """moto provisioned from the template, loopback receivers allowed (the local stack's
    setting), retries without waiting, and root (an administrator) granted both tenants."""
    monkeypatch.setenv("NOTIFY_ALLOW_LOOPBACK", "true")
    monkeypatch.setenv("DELIVERY_RETRY_BASE_SECONDS", "0")
    monkeypatch.setenv("CONSOLE_URL", "https://console.example.com")
    reset_notify_clients()
    for tenant in (TENANT, OTHER_TENANT):
        grants.grant("root", tenant, "test", via="admin")
    yield aws
    reset_notify_clients()


def poller(aws: dict[str, Physical], *function_ids: str) -> SqsPoller:
    """The local SQS poller for the notify functions' queues only."""
    template = SamTemplate()
    wanted = function_ids or NOTIFY_FUNCTIONS
    functions = {}
    for function_id in wanted:
        code_dir, handler = template.function_code(function_id)
        functions[function_id] = LocalFunction(function_id, code_dir, handler, timeout=60)
    running = SqsPoller(template, functions, aws, idle_sleep=0.02)
    running.mappings = [m for m in running.mappings if m.function_id in wanted]
    return running


def publish(detail_type: str, detail: dict[str, Any]) -> None:
    """A domain event on the product's bus, as the worker, the lifecycle or the refresh put it."""
    answer = boto3.client("events").put_events(
        Entries=[
            {
                "EventBusName": get_settings().required("domain_event_bus_name"),
                "Source": "xero-bridge",
                "DetailType": detail_type,
                "Detail": json.dumps(detail),
            }
        ]
    )
    assert answer["FailedEntryCount"] == 0


def sent_emails() -> list[Any]:
    """What moto's SES has sent (its backend, in this process)."""
    from moto.ses.models import ses_backends

    from devstack.aws import ACCOUNT_ID, REGION

    return list(ses_backends[ACCOUNT_ID][REGION].sent_messages)
