"""Once, and never a loop: mirrors both ways make one copy each way; an event delivered
three times (by Xero, or by EventBridge) makes one copy."""

from __future__ import annotations

import json

import boto3
import httpx

from devstack.xero_simulator.seed import A_CUSTOMER_ID, B_CUSTOMER_ID
from tests.integration.mirrors.conftest import World, line, sale


def test_mirrors_a_to_b_and_b_to_a_make_one_copy_each_way_and_no_loop(world: World):
    # Each organisation numbers its own invoices INV-…: the copies are prefixed.
    a_to_b = world.create_mirror(number_prefix="NZ-")
    b_to_a = world.create_mirror(world.b, number_prefix="AU-")
    [in_a] = world.in_a("PUT", "/Invoices", sale(A_CUSTOMER_ID, [line("From A", "1", "10")]))[
        "Invoices"
    ]
    [in_b] = world.in_b("PUT", "/Invoices", sale(B_CUSTOMER_ID, [line("From B", "1", "20")]))[
        "Invoices"
    ]
    world.settle()
    # Edits on both sides, twice: still one copy each way.
    for _ in range(2):
        world.sim.touch(world.a, "Invoices", in_a["InvoiceID"], {"Reference": "edited"})
        world.sim.touch(world.b, "Invoices", in_b["InvoiceID"], {"Reference": "edited"})
        world.settle()

    [copy_in_b] = world.copies_of(world.b, in_a["InvoiceID"])
    [copy_in_a] = world.copies_of(world.a, in_b["InvoiceID"])
    assert copy_in_b["Reference"] == copy_in_a["Reference"] == "edited"
    assert world.copies_of(world.a, copy_in_b["InvoiceID"]) == []  # no copy of a copy
    assert world.copies_of(world.b, copy_in_a["InvoiceID"]) == []
    invoices_created = world.sim.created("Invoices")
    assert len(invoices_created) == 4  # the two originals and one copy each
    skipped = [e for e in world.log(b_to_a) if e["source_id"] == copy_in_b["InvoiceID"]]
    assert skipped and all(e["outcome"] == "skipped" for e in skipped)
    assert "copies are never copied again" in skipped[0]["reason"]
    assert {e["outcome"] for e in world.log(a_to_b)} == {"copied", "updated", "skipped"}


def test_an_event_delivered_three_times_makes_one_copy(world: World):
    mirror = world.create_mirror()
    [source] = world.in_a("PUT", "/Invoices", sale(A_CUSTOMER_ID, [line("Once", "1", "10")]))[
        "Invoices"
    ]
    [delivery] = world.sim.webhooks.flush()
    for _ in range(2):  # Xero delivers the same batch again (as after a timeout)
        httpx.post(
            world.sim.config.webhook_url,
            content=delivery.body,
            headers={"x-xero-signature": delivery.signature},
        ).raise_for_status()
    world.settle()
    # EventBridge delivers at least once: the same domain event twice more on the queue.
    event = {
        "source": "xero-bridge",
        "detail-type": "xero.invoice.created",
        "detail": {
            "tenant_id": world.a,
            "category": "INVOICE",
            "resource_id": source["InvoiceID"],
            "change_id": "replayed",
        },
    }
    sqs = boto3.client("sqs")
    for _ in range(2):
        sqs.send_message(QueueUrl=world.aws["MirrorEventsQueue"].ref, MessageBody=json.dumps(event))
        world.settle()

    assert len(world.copies_of(world.b, source["InvoiceID"])) == 1
    outcomes = [e["outcome"] for e in world.log(mirror)]
    assert outcomes.count("copied") == 1
    assert outcomes.count("updated") == 0 and outcomes.count("skipped") == 2
    writes = [c for c in world.sim.call_log if c[0] == "POST" and c[2] == world.b]
    assert len(writes) == 1  # the replays cost no write
