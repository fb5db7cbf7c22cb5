"""Xero's refusals and failures in B: a refusal is in the log with Xero's message while the
rest of the batch flows on; a failure is retried with backoff, then parked with its reason
(and `mirror.parked` published), never dropped."""

from __future__ import annotations

from devstack.xero_simulator.seed import A_CUSTOMER_ID, B_CUSTOMER_ID
from tests.integration.mirrors.conftest import World, line, sale
from tests.integration.webhooks.helpers import EventCapture
from xero_bridge.settings import get_settings


def test_a_xero_validation_error_in_b_is_logged_with_its_message_and_the_rest_flows(
    world: World,
):
    world.in_b(
        "PUT", "/Invoices", sale(B_CUSTOMER_ID, [line("B's own", "1", "5")], InvoiceNumber="X-100")
    )
    mirror = world.create_mirror()
    capture = EventCapture()
    clash = sale(A_CUSTOMER_ID, [line("Clashes", "1", "10")], InvoiceNumber="X-100")
    fine = sale(A_CUSTOMER_ID, [line("Fine", "1", "10")], InvoiceNumber="X-101")
    both = {"Invoices": clash["Invoices"] + fine["Invoices"]}
    [refused, copied] = world.in_a("PUT", "/Invoices", both)["Invoices"]
    world.settle()

    assert world.copies_of(world.b, refused["InvoiceID"]) == []
    [copy] = world.copies_of(world.b, copied["InvoiceID"])
    assert copy["InvoiceNumber"] == "X-101"
    entries = {e["source_number"]: e for e in world.log(mirror)}
    assert entries["X-101"]["outcome"] == "copied"
    failed = entries["X-100"]
    assert failed["outcome"] == "failed" and failed["messages"] == ["Invoice # must be unique."]
    assert "parked until it changes in the source" in failed["reason"]
    health = world.mirrors("GET", f"/tenants/{world.a}/mirrors/{mirror['mirror_id']}").body
    assert health["health"]["parked"] == 1 and health["health"]["state"] == "attention"
    assert "Invoice # must be unique." in health["health"]["last_error"]
    [parked] = [e for e in capture.collect() if e["detail-type"] == "mirror.parked"]
    assert parked["detail"]["resource_id"] == refused["InvoiceID"].lower()
    assert parked["detail"]["messages"] == ["Invoice # must be unique."]

    # The same invoice unchanged is not sent again; changed, it is tried again.
    world.sim.touch(world.a, "Invoices", refused["InvoiceID"], {"InvoiceNumber": "X-102"})
    world.settle()
    [fixed] = world.copies_of(world.b, refused["InvoiceID"])
    assert fixed["InvoiceNumber"] == "X-102"
    health = world.mirrors("GET", f"/tenants/{world.a}/mirrors/{mirror['mirror_id']}").body
    assert health["health"]["parked"] == 0


def test_xero_failing_in_b_is_retried_with_backoff_and_then_copies(world: World):
    mirror = world.create_mirror()
    # More 503s than the client's own repeats: the mirror's first attempt fails.
    attempts = get_settings().xero_max_attempts
    world.sim.faults.add(
        path_prefix="/api.xro/2.0/Invoices", method="POST", status=503, times=attempts
    )
    [source] = world.in_a("PUT", "/Invoices", sale(A_CUSTOMER_ID, [line("Work", "1", "10")]))[
        "Invoices"
    ]
    world.settle()
    assert len(world.copies_of(world.b, source["InvoiceID"])) == 1
    outcomes = [(e["outcome"], e["attempt"]) for e in world.log(mirror)]
    assert outcomes == [("copied", 2), ("failed", 1)]
    assert "tried again in" in world.log(mirror)[1]["reason"]


def test_xero_failing_in_b_for_good_parks_the_invoice_with_its_reason(world: World):
    mirror = world.create_mirror()
    capture = EventCapture()
    settings = get_settings()
    world.sim.faults.add(
        path_prefix="/api.xro/2.0/Invoices",
        method="POST",
        status=503,
        times=settings.xero_max_attempts * settings.mirror_max_attempts,
    )
    [source] = world.in_a("PUT", "/Invoices", sale(A_CUSTOMER_ID, [line("Work", "1", "10")]))[
        "Invoices"
    ]
    world.settle()
    assert world.copies_of(world.b, source["InvoiceID"]) == []
    entries = world.log(mirror)
    assert [e["outcome"] for e in entries] == ["parked"] + ["failed"] * (
        settings.mirror_max_attempts - 1
    )
    assert "still failing after 5 attempts: Xero is not available right now" in entries[0]["reason"]
    assert [e["detail-type"] for e in capture.collect()].count("mirror.parked") == 1
    health = world.mirrors("GET", f"/tenants/{world.a}/mirrors/{mirror['mirror_id']}").body
    assert health["health"]["parked"] == 1

    # Parked is not dropped: the invoice's next change tries again.
    world.sim.touch(world.a, "Invoices", source["InvoiceID"], {"Reference": "again"})
    world.settle()
    assert len(world.copies_of(world.b, source["InvoiceID"])) == 1


def test_a_create_whose_answer_was_lost_is_found_in_b_and_not_made_twice(world: World, monkeypatch):
    """Xero made the copy but its answer never came (a read timeout), and Xero has forgotten
    the Idempotency-Key by the retry: the copy is found by its link back, not made again."""
    mirror = world.create_mirror()
    [source] = world.in_a("PUT", "/Invoices", sale(A_CUSTOMER_ID, [line("Work", "1", "10")]))[
        "Invoices"
    ]
    # The short timeout only from here: the setup's own call must not meet it on a busy machine.
    monkeypatch.setenv("XERO_READ_TIMEOUT_SECONDS", "0.5")
    get_settings.cache_clear()
    world.sim.config.idempotency_ttl = 0  # as if more than 6 minutes passed
    world.sim.faults.add(kind="slow", path_prefix="/api.xro/2.0/Invoices", method="POST", delay=1.5)
    world.settle()
    assert len(world.copies_of(world.b, source["InvoiceID"])) == 1
    assert len(world.sim.created("Invoices", world.b)) == 1
    entries = world.log(mirror)
    assert [(e["outcome"], e["attempt"]) for e in entries] == [("copied", 2), ("failed", 1)]
    assert "did not answer in time" in entries[1]["reason"]
