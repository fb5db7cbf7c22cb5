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
        (l["Description"], l["Quantity"], l["UnitAmount"], l.get("DiscountRate"), l["LineAmount"])
        for l in copy["LineItems"]
    ]
    assert kept == [
        ("Design work", Decimal("2.5000"), Decimal("123.4567"), Decimal("10"), Decimal("277.78")),
        ("Hosting", Decimal("1.0000"), Decimal("80.0000"), None, Decimal("80.00")),
    ]
    source_lines = {l["LineItemID"] for l in source["LineItems"]}
    assert not source_lines & {l["LineItemID"] for l in copy["LineItems"]}
    assert copy["LineItems"][1]["Tracking"][0]["Option"] == "North"
    assert copy["Url"].endswith(f"InvoiceID={source['InvoiceID']}")
    [entry] = world.log(mirror)
    assert entry["outcome"] == "copied" and entry["target_id"] == copy["InvoiceID"]
