"""A burst of 1,000 events for 3 tenants through the real handlers: signed deliveries into
the intake, moto's SQS, the worker run by the local SQS poller (several at once, as Lambda
would), snapshots in DynamoDB, domain events captured from EventBridge by a rule.

Xero here is the in-memory fake that answers ~15% of calls with 503 and ~10% with 429
(Retry-After 1 s); tenants A and B are connected, C is not (its events are the "recorded
and dropped" case). About a fifth of the deliveries are delivered twice. In a second wave
some resources change again. The counts must come out exact: one stored snapshot and one
published event per distinct change, none lost, none twice.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections import Counter
from typing import Any

import boto3
import pytest

from devstack.lambda_runtime import LocalFunction, load_handler_module
from devstack.sqs_poller import SqsPoller
from devstack.template import SamTemplate
from tests.events import call_handler, http_api_event
from tests.fixtures.aws import TEST_SECRET, reset_caches
from tests.integration.webhooks.helpers import EventCapture, scan_all
from tests.unit.webhooks.fakes import TENANT_A, TENANT_B, TENANT_GONE, FakeXero, event, guid
from xero_bridge.persistence import snapshots
from xero_bridge.webhooks import queue
from xero_bridge.webhooks.models import WebhookEvent
from xero_bridge.webhooks.signature import sign

T0 = 1_750_000_000_000
KEY = TEST_SECRET["xero_webhook_key"]


@pytest.fixture
def stack(aws: dict[str, Any], monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("WEBHOOK_RETRY_BASE_SECONDS", "0")
    reset_caches()
    queue.reset_client()
    xero = FakeXero()
    template = SamTemplate()
    functions = {}
    for function_id in template.functions():
        code_dir, handler = template.function_code(function_id)
        functions[function_id] = LocalFunction(function_id, code_dir, handler, timeout=60)
    code_dir, handler = template.function_code("WebhookWorkerFunction")
    module, _ = load_handler_module(code_dir, handler, "lambda_WebhookWorkerFunction")
    monkeypatch.setattr(module, "XeroChangeSource", lambda: xero)
    stored: Counter[tuple[str, str, int]] = Counter()
    real_store = snapshots.store_if_newer

    def counting_store(snapshot: snapshots.Snapshot, owner: str, lease_until: int) -> bool:
        written = real_store(snapshot, owner, lease_until)
        if written:
            stored[(snapshot.tenant_id, snapshot.resource_key, snapshot.updated_ms)] += 1
        return written

    monkeypatch.setattr(snapshots, "store_if_newer", counting_store)
    pollers = [SqsPoller(template, functions, aws, idle_sleep=0.05) for _ in range(3)]
    yield xero, pollers, EventCapture(), stored, aws
    for poller in pollers:
        poller.stop()
    queue.reset_client()


def deliver(events: list[dict[str, Any]]) -> None:
    body = json.dumps(
        {
            "events": events,
            "firstEventSequence": 1,
            "lastEventSequence": len(events),
            "entropy": "E",
        }
    ).encode()
    answer = call_handler(
        "webhook_intake",
        http_api_event(
            "POST",
            "/webhooks/xero",
            route_key="POST /webhooks/xero",
            headers={"content-type": "application/json", "x-xero-signature": sign(body, KEY)},
            body=body,
        ),
    )
    assert (answer["statusCode"], answer["body"]) == (200, "")


def run_until_drained(pollers: list[SqsPoller], timeout: float = 240.0) -> None:
    for poller in pollers:
        poller.start()
    try:
        assert pollers[0].drain(timeout=timeout), "the queue did not drain"
    finally:
        for poller in pollers:
            poller.stop()
        for poller in pollers:  # stopped pollers can start again for the next wave
            poller._stop = threading.Event()
    for poller in pollers:
        assert poller.errors == []


def wave(
    xero: FakeXero, dice: random.Random, resources: list[tuple[str, str, str]], version: int
) -> tuple[list[dict[str, Any]], int]:
    """Change `resources` in Xero and deliver one event each (some twice), batched as Xero
    does; returns the events and the number of deliveries."""
    events = []
    for tenant, category, rid in resources:
        fields = {"Status": "AUTHORISED", "Total": "100.10"} if category == "INVOICE" else {}
        xero.put(tenant, category, rid, T0 + version, **fields)
        events.append(
            event(
                tenant,
                rid,
                category,
                date=f"2025-01-01T00:00:{version:02d}.{dice.randint(0, 999):03d}",
            )
        )
    dice.shuffle(events)
    deliveries = 0
    start = 0
    while start < len(events):
        size = dice.randint(1, 25)
        batch = events[start : start + size]
        deliver(batch)
        deliveries += 1
        if dice.random() < 0.2:  # Xero redelivers this one
            deliver(batch)
            deliveries += 1
        start += size
    return events, deliveries


def test_a_burst_of_1000_events_is_stored_and_published_exactly_once(stack):
    xero, pollers, capture, stored, aws = stack
    dice = random.Random(20250101)
    xero.chaos = (dice, 0.15, 0.10)
    resources = (
        [(TENANT_A, "INVOICE", guid(n)) for n in range(350)]
        + [(TENANT_A, "CONTACT", guid(1000 + n)) for n in range(100)]
        + [(TENANT_B, "INVOICE", guid(2000 + n)) for n in range(250)]
        + [(TENANT_B, "CONTACT", guid(3000 + n)) for n in range(50)]
        + [(TENANT_GONE, "INVOICE", guid(4000 + n)) for n in range(100)]
    )
    started = time.monotonic()
    first, deliveries_1 = wave(xero, dice, resources, version=1)
    print(f"wave 1 delivered in {time.monotonic() - started:.1f}s")
    started = time.monotonic()
    run_until_drained(pollers)
    print(f"wave 1: {deliveries_1} deliveries drained in {time.monotonic() - started:.1f}s")
    changed_again = [r for r in resources if r[0] != TENANT_GONE][::5]  # 150 resources
    started = time.monotonic()
    second, deliveries_2 = wave(xero, dice, changed_again, version=2)
    print(f"wave 2 delivered in {time.monotonic() - started:.1f}s")
    started = time.monotonic()
    run_until_drained(pollers)
    print(f"wave 2 drained in {time.monotonic() - started:.1f}s")
    started = time.monotonic()

    all_events = first + second
    assert (len(first), len(second)) == (750 + 100, 150)
    connected_changes = {(t, f"{c}#{r}", T0 + 1) for t, c, r in resources if t != TENANT_GONE} | {
        (t, f"{c}#{r}", T0 + 2) for t, c, r in changed_again
    }
    assert len(connected_changes) == 750 + 150

    # Every distinct change stored exactly once; nothing for the unconnected tenant.
    assert set(stored) == connected_changes
    assert max(stored.values()) == 1
    assert snapshots.list_snapshots(TENANT_GONE) == []
    newest = {s["resource_key"]: int(s["updated_ms"]) for s in snapshots.list_snapshots(TENANT_A)}
    assert len(newest) == 450

    # Every distinct change published exactly once (EventBridge → rule → queue).
    published = capture.collect()
    change_ids = Counter(p["detail"]["change_id"] for p in published)
    assert len(change_ids) == 900
    assert max(change_ids.values()) == 1
    assert {p["detail"]["tenant_id"] for p in published} == {TENANT_A, TENANT_B}

    # Every event finished: done, or dropped (tenant C), none left in flight.
    records = {r["event_id"]: r["status"] for r in scan_all(aws["WebhookEventsTable"].ref)}
    identities = {WebhookEvent.model_validate(e).identity for e in all_events}
    assert set(records) == identities
    assert Counter(records.values()) == {"done": 900, "dropped": 100}

    # The faults really happened (grouping leaves only a few dozen calls to inject them
    # into, so at least one of each), and nothing went to the dead-letter queue.
    assert Counter(xero.faults)["ServiceUnavailableError"] >= 1
    assert Counter(xero.faults)["RateLimitedError"] >= 1
    dlq = boto3.client("sqs").get_queue_attributes(
        QueueUrl=aws["WebhookDeadLetterQueue"].ref, AttributeNames=["ApproximateNumberOfMessages"]
    )
    assert dlq["Attributes"]["ApproximateNumberOfMessages"] == "0"
    # Grouping: far fewer Xero calls than events, even with the retries the faults caused.
    successful_calls = len(xero.calls) - len(xero.faults)
    assert successful_calls < 100, (successful_calls, deliveries_1 + deliveries_2)
    print(f"checks in {time.monotonic() - started:.1f}s; calls {len(xero.calls)}")
