"""A burst of 1,000 events for 3 tenants through the real handlers and the real Xero path:
signed deliveries into the intake, moto's SQS, the worker run by the local SQS poller
(several at once, as Lambda would), fetching from the Xero simulator through the shared
client (token manager, the shared call budget in DynamoDB, the client's own retries),
snapshots in DynamoDB, domain events captured from EventBridge by a rule.

Tenants A and B are connected through the real OAuth flow, and the invoices and contacts the
events are about are created in their books in the simulator; C is not connected (its events
are the "recorded and dropped" case). The events are the simulator's own (what Xero sends for
those changes), delivered in Xero-sized batches, about a fifth of them twice. Chaos faults
answer ~15% of the Invoices and Contacts GETs with 503 and ~10% with 429 (Retry-After 1 s).
In a second wave some resources change again in Xero. The counts must come out exact: one
stored snapshot and one published event per distinct change, none lost, none twice; and the
simulator's own rate limiter never refuses a call (the shared budget keeps the worker within
Xero's limits, the default 60 a minute per tenant: grouping needs only a few dozen calls).
"""

from __future__ import annotations

import json
import random
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import boto3
import pytest

from devstack.lambda_runtime import LocalFunction
from devstack.sqs_poller import SqsPoller
from devstack.template import SamTemplate
from tests.events import call_handler, http_api_event
from tests.fixtures.aws import TEST_SECRET
from tests.fixtures.xero import point_product_at
from tests.integration.connections.conftest import reset_all
from tests.integration.webhooks.helpers import EventCapture, connect, scan_all
from xero_bridge.persistence import snapshots
from xero_bridge.settings import get_settings
from xero_bridge.webhooks import queue
from xero_bridge.webhooks.models import WebhookEvent
from xero_bridge.webhooks.signature import sign
from xero_bridge.xero.dates import parse_xero_time_ms

KEY = TEST_SECRET["xero_webhook_key"]
TENANT_C = "0c0c0c0c-0c0c-4c0c-8c0c-0c0c0c0c0c0c"  # never connected
API = "/api.xro/2.0/"
KINDS = {"INVOICE": "Invoices", "CONTACT": "Contacts"}

Resource = tuple[str, str, str]  # tenant, category, resource id
Change = tuple[str, str, int]  # tenant, resource key, UpdatedDateUTC (epoch ms)


@dataclass
class Stack:
    sim: Any
    pollers: list[SqsPoller]
    capture: EventCapture
    stored: Counter[Change]
    aws: dict[str, Any]


@pytest.fixture
def stack(aws: dict[str, Any], xero_sim: Any, monkeypatch: pytest.MonkeyPatch):
    point_product_at(xero_sim, aws["AppSecret"].ref, monkeypatch)
    monkeypatch.setenv("WEBHOOK_RETRY_BASE_SECONDS", "0")
    # XERO_RETRY_BASE_SECONDS is 0.02 (tests/fixtures/aws.py): the client's repeats of a 503
    # take milliseconds; a 429's Retry-After (1 s) is waited out in full.
    reset_all()
    queue.reset_client()
    template = SamTemplate()
    functions = {
        function_id: LocalFunction(function_id, *template.function_code(function_id), timeout=60)
        for function_id in template.functions()
    }
    stored: Counter[Change] = Counter()
    real_store = snapshots.store_if_newer

    def counting_store(snapshot: snapshots.Snapshot, owner: str, lease_until: int) -> bool:
        written = real_store(snapshot, owner, lease_until)
        if written:
            stored[(snapshot.tenant_id, snapshot.resource_key, snapshot.updated_ms)] += 1
        return written

    monkeypatch.setattr(snapshots, "store_if_newer", counting_store)
    pollers = [SqsPoller(template, functions, aws, idle_sleep=0.05) for _ in range(3)]
    yield Stack(xero_sim, pollers, EventCapture(), stored, aws)
    for poller in pollers:
        poller.stop()
    queue.reset_client()
    reset_all()


# ------------------------------------------------------------------ Xero's side


def create_in_xero(sim: Any, tenant: str, invoices: int, contacts: int) -> list[Resource]:
    """New contacts and authorised invoices in a tenant's books, made by the simulator's own
    create logic as an edit in Xero's web app would be: stamped (UpdatedDateUTC) and each
    with a CREATE webhook event queued in the simulator."""
    from devstack.xero_simulator.accounting.common import UnitOfWork
    from devstack.xero_simulator.accounting.contacts import new_contact
    from devstack.xero_simulator.accounting.invoices import new_invoice

    made: list[Resource] = []
    with sim.store.lock:
        work = UnitOfWork(sim, sim.store.book(tenant))
        for n in range(contacts):
            contact = new_contact(work, {"Name": f"Burst customer {n:03d}", "IsCustomer": True})
            made.append((tenant, "CONTACT", contact["ContactID"]))
        customer = made[0][2]
        for n in range(invoices):
            line = {"Description": f"Burst {n}", "Quantity": 1, "UnitAmount": "100.10"}
            invoice = new_invoice(
                work,
                {
                    "Type": "ACCREC",
                    "Status": "AUTHORISED",
                    "Contact": {"ContactID": customer},
                    "LineItems": [{**line, "AccountCode": "200"}],
                },
            )
            made.append((tenant, "INVOICE", invoice["InvoiceID"]))
        work.commit()
    return made


def change_in_xero(sim: Any, resources: list[Resource]) -> None:
    """Edit each resource as in Xero's web app (stamped again, an UPDATE event queued)."""
    edits = {
        "INVOICE": {"Reference": "changed again"},
        "CONTACT": {"Website": "https://example.com/changed-again"},
    }
    for tenant, category, rid in resources:
        sim.touch(tenant, KINDS[category], rid, edits[category])


def webhook_events(sim: Any) -> list[dict[str, Any]]:
    """The events the simulator queued for those changes (never sent by itself: it has no
    webhook URL here), taken off its queue so the test delivers them."""
    events = sim.webhooks.pending()
    sim.webhooks.reset()
    return events


def versions(sim: Any, resources: list[Resource]) -> set[Change]:
    """What Xero holds now: each resource's UpdatedDateUTC as the worker reads it."""
    from devstack.xero_simulator.wire import ms_date

    found = set()
    for tenant, category, rid in resources:
        record = sim.record(tenant, KINDS[category], rid)
        updated = parse_xero_time_ms(ms_date(record["UpdatedDateUTC"]))
        found.add((tenant, snapshots.resource_key(category, rid), updated))
    return found


# ------------------------------------------------------------------ our side


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


def deliver_like_xero(dice: random.Random, events: list[dict[str, Any]]) -> int:
    """Deliver `events` in batches of 1-25, about a fifth of the batches twice (as after a
    timeout on Xero's side); the number of deliveries."""
    events = list(events)
    dice.shuffle(events)
    deliveries = 0
    start = 0
    while start < len(events):
        batch = events[start : start + dice.randint(1, 25)]
        deliver(batch)
        deliveries += 1
        if dice.random() < 0.2:  # Xero redelivers this one
            deliver(batch)
            deliveries += 1
        start += len(batch)
    return deliveries


def run_until_drained(pollers: list[SqsPoller], timeout: float = 600.0) -> None:
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
    number: int, dice: random.Random, events: list[dict[str, Any]], pollers: list[SqsPoller]
) -> int:
    """Xero delivers `events` and the pollers drain the queue, each step timed on the console:
    how many deliveries it took."""
    started = time.monotonic()
    deliveries = deliver_like_xero(dice, events)
    print(f"wave {number}: {deliveries} deliveries in {time.monotonic() - started:.1f}s")
    started = time.monotonic()
    run_until_drained(pollers)
    print(f"wave {number} drained in {time.monotonic() - started:.1f}s")
    return deliveries


def add_chaos(sim: Any) -> dict[str, list[Any]]:
    """~15% of the Invoices and Contacts GETs answered 503, ~10% 429 (Retry-After 1 s, the
    minute limit). A request the 503 lets through meets the 429's dice, so that one strikes
    with 0.10 / 0.85 to make a tenth of all requests. Seeded, so that the first three
    Invoices GETs already meet one of each (a run makes a few dozen), whichever poller sends
    them."""
    chaos: dict[str, list[Any]] = {"503": [], "429": []}
    for n, kind in enumerate(KINDS.values()):
        odds: dict[str, dict[str, Any]] = {  # in this order: the 503's dice are thrown first
            "503": {"probability": 0.15, "seed": 1501 + n},
            "429": {"retry_after": 1, "probability": 0.10 / 0.85, "seed": 4291 + n},
        }
        for status, fault in odds.items():
            chaos[status].append(
                sim.faults.add(
                    kind="error",
                    path_prefix=API + kind,
                    method="GET",
                    status=int(status),
                    times=None,
                    **fault,
                )
            )
    return chaos


def budget_slots_taken(aws: dict[str, Any]) -> int:
    """Calls the shared budget (RateBudget table) let through, by its per-tenant day counters."""
    return sum(
        int(item["calls"])
        for item in scan_all(aws["RateBudgetTable"].ref)
        if item["pk"].startswith("tenant#") and "#day#" in item["pk"]
    )


def test_a_burst_of_1000_events_is_stored_and_published_exactly_once(stack: Stack):
    from devstack.xero_simulator import DEMO_TENANT_A, DEMO_TENANT_B

    sim, pollers, capture, stored, aws = (
        stack.sim,
        stack.pollers,
        stack.capture,
        stack.stored,
        stack.aws,
    )
    dice = random.Random(20250101)
    # Xero's limits on both sides (60 calls a minute per tenant, 5 in flight): grouping makes
    # the burst a few dozen calls, so it fits in them at full speed.
    assert (sim.config.minute_limit, sim.config.concurrent_limit) == (60, 5)
    ours = get_settings()
    assert (ours.xero_minute_limit, ours.xero_concurrent_limit) == (60, 5)
    connect([DEMO_TENANT_A, DEMO_TENANT_B])
    resources = create_in_xero(sim, DEMO_TENANT_A, invoices=350, contacts=100) + create_in_xero(
        sim, DEMO_TENANT_B, invoices=250, contacts=50
    )
    for _ in range(100):  # changes in an organisation we are not connected to
        sim.webhooks.enqueue(TENANT_C, "INVOICE", str(uuid.uuid4()), "CREATE")
    first = webhook_events(sim)
    first_versions = versions(sim, resources)
    chaos = add_chaos(sim)

    deliveries_1 = wave(1, dice, first, pollers)

    changed_again = resources[::5]  # 150 resources of A and B
    change_in_xero(sim, changed_again)
    second = webhook_events(sim)
    second_versions = versions(sim, changed_again)
    deliveries_2 = wave(2, dice, second, pollers)
    started = time.monotonic()

    all_events = first + second
    assert (len(first), len(second)) == (750 + 100, 150)
    connected_changes = first_versions | second_versions
    assert len(connected_changes) == 750 + 150  # wave 2 made newer versions of all 150

    # Every distinct change stored exactly once; nothing for the unconnected tenant.
    assert set(stored) == connected_changes
    assert max(stored.values()) == 1
    assert snapshots.list_snapshots(TENANT_C) == []
    newest = {s["resource_key"]: s for s in snapshots.list_snapshots(DEMO_TENANT_A)}
    assert len(newest) == 450
    for tenant, category, rid in changed_again:  # the newest version, as Xero holds it
        if tenant == DEMO_TENANT_A and category == "INVOICE":
            snapshot = newest[snapshots.resource_key(category, rid)]["data"]
            assert snapshot["Reference"] == "changed again"
            assert snapshot["Total"] == sim.record(tenant, "Invoices", rid)["Total"]
            assert isinstance(snapshot["Total"], Decimal)

    # Every distinct change published exactly once (EventBridge → rule → queue).
    published = capture.collect()
    change_ids = Counter(p["detail"]["change_id"] for p in published)
    assert len(change_ids) == 900
    assert max(change_ids.values()) == 1
    assert {p["detail"]["tenant_id"] for p in published} == {DEMO_TENANT_A, DEMO_TENANT_B}

    # Every event finished: done, or dropped (tenant C), none left in flight.
    records = {r["event_id"]: r["status"] for r in scan_all(aws["WebhookEventsTable"].ref)}
    identities = {WebhookEvent.model_validate(e).identity for e in all_events}
    assert set(records) == identities
    assert Counter(records.values()) == {"done": 900, "dropped": 100}
    dlq = boto3.client("sqs").get_queue_attributes(
        QueueUrl=aws["WebhookDeadLetterQueue"].ref, AttributeNames=["ApproximateNumberOfMessages"]
    )
    assert dlq["Attributes"]["ApproximateNumberOfMessages"] == "0"

    # The faults really happened (they never reach the API, so the simulator counts them
    # apart from its call log).
    injected = {status: sum(f.hits for f in faults) for status, faults in chaos.items()}
    assert injected["503"] >= 1 and injected["429"] >= 1, injected
    assert sim.faults.injected() == injected
    # Every call that reached Xero was answered 200: in particular no 429 of the simulator's
    # own rate limiter (the only 429s were injected), so the shared budget kept the worker
    # within Xero's limits. And grouping: far fewer calls than events, retries included.
    calls = [c for c in sim.call_log if c[1].startswith(API)]
    assert Counter(status for _, _, _, status in calls) == {200: len(calls)}
    assert {tenant for _, _, tenant, _ in calls} == {DEMO_TENANT_A, DEMO_TENANT_B}
    attempts = len(calls) + sum(injected.values())
    # Each of them, the faulted ones too, took a slot of the shared budget first.
    assert budget_slots_taken(aws) == attempts
    assert len(calls) < 100, (len(calls), deliveries_1 + deliveries_2)
    assert attempts < 150, attempts
    per_tenant = Counter(tenant for _, _, tenant, _ in calls)
    print(
        f"checks in {time.monotonic() - started:.1f}s; Xero calls answered {len(calls)} "
        f"(A {per_tenant[DEMO_TENANT_A]}, B {per_tenant[DEMO_TENANT_B]}), faults injected "
        f"{injected}, attempts {attempts}, deliveries {deliveries_1 + deliveries_2}"
    )
