"""The worker handler as Lambda runs it, fed by the local SQS poller from moto's queue, with
EventBridge publications captured through a rule. Xero is the in-memory fake here; the
simulator-backed runs are in test_webhooks_simulator.py."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from devstack.lambda_runtime import LocalFunction, load_handler_module
from devstack.sqs_poller import SqsPoller, queue_mappings
from devstack.template import SamTemplate
from tests.integration.webhooks.fakes import (
    TENANT_A,
    TENANT_B,
    TENANT_GONE,
    FakeXero,
    event,
    guid,
)
from tests.integration.webhooks.helpers import EventCapture, emf_blobs
from xero_bridge.persistence import snapshots
from xero_bridge.webhooks import queue

T0 = 1_750_000_000_000


@pytest.fixture
def worker_stack(aws: dict[str, Any], monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("WEBHOOK_RETRY_BASE_SECONDS", "0")
    from tests.fixtures.aws import reset_caches

    reset_caches()
    queue.reset_client()
    xero = FakeXero()
    template = SamTemplate()
    functions = {}
    for function_id in template.functions():
        code_dir, handler = template.function_code(function_id)
        functions[function_id] = LocalFunction(function_id, code_dir, handler)
    # The module the local runtime imports for the worker: Xero is the fake in it.
    code_dir, handler = template.function_code("WebhookWorkerFunction")
    module, _ = load_handler_module(code_dir, handler, "lambda_WebhookWorkerFunction")
    monkeypatch.setattr(module, "XeroChangeSource", lambda: xero)
    capture = EventCapture()
    poller = SqsPoller(template, functions, aws, idle_sleep=0.05)
    yield xero, poller, capture
    queue.reset_client()


def send(*events: dict[str, Any]) -> None:
    import json

    body = json.dumps(
        {"events": list(events), "firstEventSequence": 1, "lastEventSequence": 1, "entropy": "e"}
    )
    queue.send(body, {"body-encoding": "identity"})


def test_the_template_maps_the_webhook_queue_to_the_worker(aws):
    [mapping] = [
        m for m in queue_mappings(SamTemplate(), aws) if m.function_id == "WebhookWorkerFunction"
    ]
    assert mapping.queue_url == aws["WebhookQueue"].ref
    assert mapping.report_failures and mapping.batch_size == 100


def test_queued_events_end_as_snapshots_and_published_domain_events(worker_stack):
    xero, poller, capture = worker_stack
    for n in range(30):
        xero.put(TENANT_A, "INVOICE", guid(n), T0 + n, Status="AUTHORISED")
    for n in range(0, 30, 3):
        send(*(event(TENANT_A, guid(i)) for i in range(n, n + 3)))
    send(event(TENANT_A, guid(0)))  # a redelivery
    send(event(TENANT_GONE, guid(500)))  # a tenant we are not connected to
    assert poller.drain(timeout=20)
    assert poller.errors == []
    assert len(snapshots.list_snapshots(TENANT_A)) == 30
    published = capture.collect()
    assert len(published) == 30
    assert {p["detail-type"] for p in published} == {"xero.invoice.updated"}
    assert {p["source"] for p in published} == {"xero-bridge"}
    assert len({p["detail"]["change_id"] for p in published}) == 30
    assert len(xero.calls) == 1  # one batch, one tenant, 30 ids: one call


def test_a_failed_message_stays_queued_and_succeeds_on_its_retry(worker_stack):
    xero, poller, capture = worker_stack
    xero.put(TENANT_A, "INVOICE", guid(1), T0)
    xero.failures = [xero.unavailable()]
    send(event(TENANT_A, guid(1)))
    assert poller.run_once() == 1
    assert capture.collect() == []
    assert poller.pending() == 1  # not deleted: reported as a batch item failure
    assert poller.drain(timeout=20)
    assert len(capture.collect()) == 1


def test_a_429_delays_the_message_by_retry_after(worker_stack):
    xero, poller, capture = worker_stack
    xero.put(TENANT_A, "INVOICE", guid(1), T0)
    xero.failures = [xero.rate_limited(3)]
    send(event(TENANT_A, guid(1)))
    assert poller.run_once() == 1
    assert poller.run_once() == 0  # invisible for Retry-After (3 s)
    sqs = boto3.client("sqs")
    attributes = sqs.get_queue_attributes(
        QueueUrl=queue.queue_url(), AttributeNames=["ApproximateNumberOfMessagesNotVisible"]
    )["Attributes"]
    assert attributes["ApproximateNumberOfMessagesNotVisible"] == "1"
    assert poller.drain(timeout=20)
    assert len(capture.collect()) == 1
    assert len(xero.calls) == 2


def test_a_batch_reports_what_became_of_its_events_in_emf_metrics(worker_stack, capsys):
    xero, poller, _capture = worker_stack
    xero.put(TENANT_A, "INVOICE", guid(1), T0 + 1000, Status="PAID")
    first = event(TENANT_A, guid(1), date="2024-06-21T01:00:01")
    send(first)
    assert poller.run_once() == 1
    capsys.readouterr()  # the first batch's metrics were flushed with it

    # Xero answers with a state older than the stored one (a read that raced a newer write).
    xero.put(TENANT_A, "INVOICE", guid(1), T0, Status="AUTHORISED")
    xero.put(TENANT_A, "INVOICE", guid(2), T0)
    xero.put(TENANT_B, "INVOICE", guid(3), T0)
    xero.limited[TENANT_B] = 7
    send(event(TENANT_A, guid(1), date="2024-06-21T01:00:02"), event(TENANT_A, guid(2)))
    send(event(TENANT_A, guid(2)))  # the same event again, in the same batch
    send(first)  # Xero redelivers an event already done
    send(event(TENANT_GONE, guid(4)))  # a tenant we are not connected to
    send(event(TENANT_B, guid(3)))  # Xero answers 429 for this tenant
    assert poller.run_once() == 5

    [blob] = emf_blobs(capsys.readouterr().out)  # one flush per invocation
    [directive] = blob["_aws"]["CloudWatchMetrics"]
    assert directive["Namespace"] == "XeroBridgeTests"
    assert {m["Unit"] for m in directive["Metrics"]} == {"Count"}
    assert {m["Name"]: blob[m["Name"]] for m in directive["Metrics"]} == {
        "WebhookEventsReceived": [6.0],
        "WebhookEventsProcessed": [2.0],  # the new invoice, and the older state's event
        "WebhookEventsDeduplicated": [2.0],  # the repeat in the batch, the redelivery
        "WebhookEventsDropped": [1.0],
        "WebhookEventsRateLimited": [1.0],
        "WebhookSnapshotsStored": [1.0],
        "WebhookSnapshotsNotNewer": [1.0],
        "WebhookXeroCalls": [1.0],  # the 429 took nothing from Xero
        "WebhookMessagesFailed": [1.0],  # the 429's message, back on the queue
    }
