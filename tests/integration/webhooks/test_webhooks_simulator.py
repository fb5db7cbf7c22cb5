"""Webhooks end to end against the Xero simulator: its signed webhook sender posts to the
local gateway (template routes, the real intake handler), the local SQS poller runs the real
worker, which fetches from the simulator through the shared Xero client with connections
made by the real OAuth flow. moto provides AWS; EventBridge is captured by a rule."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import boto3
import httpx
import pytest

from tests.fixtures.aws import TEST_SECRET
from tests.fixtures.gateway import xero_webhooks_gateway
from tests.integration.connections.conftest import consent, context, oauth, reset_all
from tests.integration.webhooks.helpers import EventCapture
from xero_bridge.persistence import snapshots, webhook_events
from xero_bridge.settings import get_settings
from xero_bridge.webhooks import queue
from xero_bridge.webhooks.models import WebhookEvent
from xero_bridge.webhooks.signature import sign

UNCONNECTED = "0c0c0c0c-0c0c-4c0c-8c0c-0c0c0c0c0c0c"


@pytest.fixture
def live(aws: Any, xero_sim: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    from devstack.xero_simulator import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET

    secret = {
        **TEST_SECRET,
        "xero_client_id": DEMO_CLIENT_ID,
        "xero_client_secret": DEMO_CLIENT_SECRET,
        "xero_webhook_key": xero_sim.config.webhook_key,
    }
    boto3.client("secretsmanager").put_secret_value(
        SecretId=aws["AppSecret"].ref, SecretString=json.dumps(secret)
    )
    monkeypatch.setenv("XERO_IDENTITY_URL", xero_sim.url)
    monkeypatch.setenv("XERO_API_URL", xero_sim.url)
    monkeypatch.setenv("XERO_REDIRECT_URI", "http://127.0.0.1:3000/xero/callback")
    monkeypatch.setenv("WEBHOOK_RETRY_BASE_SECONDS", "0")
    reset_all()
    queue.reset_client()
    try:
        with xero_webhooks_gateway(xero_sim, aws, idle_sleep=0.05) as (gateway, poller):
            yield {
                "sim": xero_sim,
                "gateway": gateway,
                "poller": poller,
                "capture": EventCapture(),
                "aws": aws,
            }
    finally:
        queue.reset_client()
        reset_all()


def connect(tenants: list[str]) -> None:
    start = oauth("POST", "/xero/connect", ctx=context("alice"))
    assert start["statusCode"] == 200, start
    params = consent(json.loads(start["body"])["authorize_url"], tenants)
    answer = oauth("GET", "/xero/callback", query=params)
    assert answer["statusCode"] in (200, 302), answer


def queued_messages(aws: dict[str, Any]) -> int:
    attributes = boto3.client("sqs").get_queue_attributes(
        QueueUrl=aws["WebhookQueue"].ref,
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"]) + int(
        attributes["ApproximateNumberOfMessagesNotVisible"]
    )


def test_intent_to_receive_from_the_simulator_through_the_local_gateway(live):
    sim, gateway, aws = live["sim"], live["gateway"], live["aws"]
    assert sim.webhooks.intent_to_receive() is True  # right key: 200, wrong key: 401
    assert queued_messages(aws) == 0  # empty deliveries are not queued
    body = b'{"events":[],"firstEventSequence":0,"lastEventSequence":0,"entropy":"ABC"}'
    url = f"{gateway.url}/webhooks/xero"
    right = httpx.post(
        url, content=body, headers={"x-xero-signature": sign(body, TEST_SECRET["xero_webhook_key"])}
    )
    assert (right.status_code, right.content) == (401, b"")  # the key is the simulator's
    wrong_byte = httpx.post(
        url,
        content=body.replace(b"ABC", b"ABD"),
        headers={"x-xero-signature": sign(body, sim.config.webhook_key)},
    )
    assert (wrong_byte.status_code, wrong_byte.content) == (401, b"")
    missing = httpx.post(url, content=body)
    assert (missing.status_code, missing.content) == (401, b"")
    good = httpx.post(
        url, content=body, headers={"x-xero-signature": sign(body, sim.config.webhook_key)}
    )
    assert (good.status_code, good.content) == (200, b"")


def test_changes_in_xero_become_snapshots_and_domain_events(live):
    from devstack.xero_simulator import DEMO_TENANT_A, DEMO_TENANT_B

    sim, poller, capture, aws = live["sim"], live["poller"], live["capture"], live["aws"]
    connect([DEMO_TENANT_A, DEMO_TENANT_B])
    contacts_b = list(sim.store.book(DEMO_TENANT_B).table("Contacts"))
    # Changes made "in Xero's web app": each queues a webhook event (paid ones are locked).
    invoice_ids = []
    for invoice_id in list(sim.store.book(DEMO_TENANT_A).table("Invoices")):
        try:
            sim.touch(DEMO_TENANT_A, "Invoices", invoice_id, {"Reference": "changed in Xero"})
        except ValueError:
            continue
        invoice_ids.append(invoice_id)
    assert len(invoice_ids) >= 3
    sim.touch(DEMO_TENANT_B, "Contacts", contacts_b[0], {"Name": "Renamed Ltd"})
    sim.webhooks.enqueue(UNCONNECTED, "INVOICE", "d1d1d1d1-d1d1-4d1d-8d1d-d1d1d1d1d1d1", "UPDATE")
    [delivery] = sim.webhooks.flush()
    assert delivery.status == 200
    # Xero redelivers the same batch (as after a timeout): byte for byte the same body.
    httpx.post(
        sim.config.webhook_url,
        content=delivery.body,
        headers={"x-xero-signature": delivery.signature, "content-type": "application/json"},
    ).raise_for_status()
    # Xero fails the invoices fetch more often than the client repeats it: the message is
    # retried (a single 503 would be ridden out inside the client).
    attempts = get_settings().xero_max_attempts
    sim.faults.add(kind="error", path_prefix="/api.xro/2.0/Invoices", status=503, times=attempts)
    calls_before = {t: sim.calls(t) for t in (DEMO_TENANT_A, DEMO_TENANT_B)}

    assert poller.drain(timeout=60)
    assert poller.errors == []

    spent_a = sim.calls(DEMO_TENANT_A) - calls_before[DEMO_TENANT_A]
    spent_b = sim.calls(DEMO_TENANT_B) - calls_before[DEMO_TENANT_B]
    # The 503 was served (the simulator counts only calls that reached the API), the
    # message came back, and the retry spent one call for all of tenant A's invoices.
    assert sim.faults.active() == []
    assert poller.invocations >= 2
    assert spent_a == 1
    assert spent_b == 1
    stored = snapshots.list_snapshots(DEMO_TENANT_A)
    assert len(stored) == len(invoice_ids)
    for item in stored:
        record = sim.record(DEMO_TENANT_A, "Invoices", item["resource_id"])
        assert item["data"]["Reference"] == "changed in Xero"
        assert Decimal(item["data"]["Total"]) == record["Total"]
        assert isinstance(item["data"]["Total"], Decimal)
    [contact] = snapshots.list_snapshots(DEMO_TENANT_B)
    assert contact["data"]["Name"] == "Renamed Ltd"
    published = capture.collect()
    assert len(published) == len(invoice_ids) + 1
    assert sorted({p["detail-type"] for p in published}) == [
        "xero.contact.updated",
        "xero.invoice.updated",
    ]
    dropped = WebhookEvent.model_validate(delivery.payload["events"][-1])
    assert dropped.tenant_id == UNCONNECTED
    assert webhook_events.get_event(dropped.identity)["status"] == "dropped"
    assert queued_messages(aws) == 0
