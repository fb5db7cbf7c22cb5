"""A copy's contact and items: created in B when the mirror says so, or the invoice waits
with a clear reason, and is copied at its next change once they exist."""

from __future__ import annotations

from decimal import Decimal

from devstack.xero_simulator.seed import A_CUSTOMER_ID, A_CUSTOMER_NAME
from tests.integration.mirrors.conftest import World, sale


def _dev_hours(quantity: str) -> dict:
    return {"ItemCode": "DEV-HOUR", "Quantity": Decimal(quantity)}


def test_a_missing_item_is_created_in_b_from_as_item(world: World):
    world.create_mirror(create_missing_items=True)
    [source] = world.in_a("PUT", "/Invoices", sale(A_CUSTOMER_ID, [_dev_hours("2")]))["Invoices"]
    world.settle()
    [copy] = world.copies_of(world.b, source["InvoiceID"])
    [item] = world.sim.created("Items", world.b)
    assert item["Code"] == "DEV-HOUR" and item["Name"] == "Development hour"
    assert item["SalesDetails"]["UnitPrice"] == Decimal("123.4567")
    assert item["SalesDetails"]["AccountCode"] == "200" and "TaxType" not in item["SalesDetails"]
    [copied_line] = copy["LineItems"]
    assert copied_line["ItemCode"] == "DEV-HOUR"
    assert copied_line["UnitAmount"] == Decimal("123.4567")
    assert copied_line["Description"] == "Software development, per hour"


def test_a_missing_item_makes_the_invoice_wait_until_it_exists_in_b(world: World):
    mirror = world.create_mirror(create_missing_items=False)
    [source] = world.in_a("PUT", "/Invoices", sale(A_CUSTOMER_ID, [_dev_hours("2")]))["Invoices"]
    world.settle()
    assert world.copies_of(world.b, source["InvoiceID"]) == []
    [entry] = world.log(mirror)
    assert entry["outcome"] == "waiting"
    assert "waits for the item DEV-HOUR, which Demo Company (AU) does not have" in entry["reason"]
    health = world.mirrors("GET", f"/tenants/{world.a}/mirrors/{mirror['mirror_id']}").body
    assert health["health"]["state"] == "attention" and health["health"]["waiting"] == 1

    world.in_b("PUT", "/Items", {"Items": [{"Code": "DEV-HOUR", "Name": "Dev hour"}]})
    world.sim.touch(world.a, "Invoices", source["InvoiceID"], {"Reference": "again"})
    world.settle()
    [copy] = world.copies_of(world.b, source["InvoiceID"])
    assert copy["LineItems"][0]["ItemCode"] == "DEV-HOUR"
    health = world.mirrors("GET", f"/tenants/{world.a}/mirrors/{mirror['mirror_id']}").body
    assert health["health"]["state"] == "ok" and health["health"]["waiting"] == 0


def test_a_missing_contact_makes_the_invoice_wait_and_no_contact_is_created(world: World):
    mirror = world.create_mirror(create_missing_contacts=False)
    lines = [{"Description": "Work", "Quantity": 1, "UnitAmount": 10, "AccountCode": "200"}]
    [source] = world.in_a("PUT", "/Invoices", sale(A_CUSTOMER_ID, lines))["Invoices"]
    world.settle()
    assert world.copies_of(world.b, source["InvoiceID"]) == []
    assert world.sim.created("Contacts", world.b) == []
    [entry] = world.log(mirror)
    assert entry["outcome"] == "waiting"
    assert f"waits for the contact '{A_CUSTOMER_NAME}'" in entry["reason"]
