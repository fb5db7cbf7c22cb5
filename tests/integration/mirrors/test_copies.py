"""An invoice changed in A is copied into B, through Xero's webhooks, the webhook worker's
events and the mirror worker: created once, updated in place, voided with its source."""

from __future__ import annotations

from decimal import Decimal

from devstack.xero_simulator.seed import A_CUSTOMER_ID, A_CUSTOMER_NAME
from tests.integration.mirrors.conftest import World, line, sale


def test_an_authorised_invoice_in_a_appears_in_b_with_equal_lines_totals_and_contact(
    world: World,
):
    mirror = world.create_mirror(tax_map={"ZERORATED": "ZERORATED"}, number_prefix="NZ-")
    lines = [
        line("Design work", "2.5000", "123.4567", TaxType="ZERORATED", DiscountRate="10"),
        line(
            "Hosting",
            "1",
            "80.00",
            TaxType="ZERORATED",
            Tracking=[{"Name": "Region", "Option": "North"}],
        ),
    ]
    [source] = world.in_a("PUT", "/Invoices", sale(A_CUSTOMER_ID, lines, Reference="PO 7"))[
        "Invoices"
    ]
    world.settle()

    [copy] = world.copies_of(world.b, source["InvoiceID"])
    assert copy["Type"] == "ACCREC" and copy["Status"] == "AUTHORISED"
    assert copy["InvoiceNumber"] == "NZ-" + source["InvoiceNumber"]
    assert copy["Reference"] == "PO 7"
    assert copy["CurrencyCode"] == "NZD"
    assert str(copy["DueDate"]) == "2024-07-03" and str(copy["Date"]) == "2024-06-03"
    contact = world.record(world.b, "Contacts", copy["Contact"]["ContactID"])
    assert contact["Name"] == A_CUSTOMER_NAME
    assert copy["Total"] == Decimal(str(source["Total"])) and copy["SubTotal"] == Decimal(
        str(source["SubTotal"])
    )
    kept = [
        (i["Description"], i["Quantity"], i["UnitAmount"], i.get("DiscountRate"), i["LineAmount"])
        for i in copy["LineItems"]
    ]
    assert kept == [
        ("Design work", Decimal("2.5000"), Decimal("123.4567"), Decimal("10"), Decimal("277.78")),
        ("Hosting", Decimal("1.0000"), Decimal("80.0000"), None, Decimal("80.00")),
    ]
    source_lines = {i["LineItemID"] for i in source["LineItems"]}
    assert not source_lines & {i["LineItemID"] for i in copy["LineItems"]}
    assert copy["LineItems"][1]["Tracking"][0]["Option"] == "North"
    assert copy["Url"].endswith(f"InvoiceID={source['InvoiceID']}")
    [entry] = world.log(mirror)
    assert entry["outcome"] == "copied" and entry["target_id"] == copy["InvoiceID"]


def test_an_update_in_a_updates_the_copy_and_never_makes_a_second_one(world: World):
    mirror = world.create_mirror()
    [source] = world.in_a("PUT", "/Invoices", sale(A_CUSTOMER_ID, [line("Work", "1", "100")]))[
        "Invoices"
    ]
    world.settle()
    [first] = world.copies_of(world.b, source["InvoiceID"])

    changed = {"LineItems": [line("Work, revised", "3", "100")], "Reference": "revised"}
    world.sim.touch(world.a, "Invoices", source["InvoiceID"], changed)  # edited in Xero
    world.settle()

    [copy] = world.copies_of(world.b, source["InvoiceID"])
    assert copy["InvoiceID"] == first["InvoiceID"]
    assert copy["Reference"] == "revised"
    assert [(i["Description"], i["Quantity"]) for i in copy["LineItems"]] == [
        ("Work, revised", Decimal("3.0000"))
    ]
    # B's own tax (10%) on A's lines, whose tax type (A's 15% GST) is not mapped.
    assert copy["SubTotal"] == Decimal("300.00") and copy["Total"] == Decimal("330.00")
    outcomes = [e["outcome"] for e in world.log(mirror)]
    assert outcomes == ["updated", "copied"]  # newest first
    differ = world.log(mirror)[0]["details"]["totals_differ"]
    assert differ == "source NZD 345.00, copy NZD 330.00"


def test_a_voided_invoice_in_a_voids_its_copy(world: World):
    world.create_mirror()
    [source] = world.in_a("PUT", "/Invoices", sale(A_CUSTOMER_ID, [line("Work", "1", "100")]))[
        "Invoices"
    ]
    world.settle()
    world.in_a("POST", f"/Invoices/{source['InvoiceID']}", {"Status": "VOIDED"})
    world.settle()
    [copy] = world.copies_of(world.b, source["InvoiceID"])
    assert copy["Status"] == "VOIDED"


def test_a_draft_is_not_copied_until_it_is_approved(world: World):
    mirror = world.create_mirror()
    draft = sale(A_CUSTOMER_ID, [line("Work", "1", "100")])
    draft["Invoices"][0]["Status"] = "DRAFT"
    [source] = world.in_a("PUT", "/Invoices", draft)["Invoices"]
    world.settle()
    assert world.copies_of(world.b, source["InvoiceID"]) == []
    [skipped] = world.log(mirror)
    assert skipped["outcome"] == "skipped" and "DRAFT invoices are not copied" in skipped["reason"]
    world.in_a("POST", f"/Invoices/{source['InvoiceID']}", {"Status": "AUTHORISED"})
    world.settle()
    [copy] = world.copies_of(world.b, source["InvoiceID"])
    assert copy["Status"] == "AUTHORISED"


def test_a_flipped_mirror_makes_a_sale_in_a_a_bill_in_b_with_mapped_accounts(world: World):
    world.create_mirror(flip_type=True, account_map={"200": "429"}, contact_name="Demo NZ Ltd")
    [source] = world.in_a("PUT", "/Invoices", sale(A_CUSTOMER_ID, [line("Work", "2", "50")]))[
        "Invoices"
    ]
    world.settle()
    [bill] = world.copies_of(world.b, source["InvoiceID"])
    assert bill["Type"] == "ACCPAY"
    assert bill["InvoiceNumber"] == source["InvoiceNumber"]  # the supplier's invoice number
    assert [i["AccountCode"] for i in bill["LineItems"]] == ["429"]
    assert world.record(world.b, "Contacts", bill["Contact"]["ContactID"])["Name"] == "Demo NZ Ltd"
    assert "/AccountsReceivable/" in bill["Url"]  # the source is a sale
