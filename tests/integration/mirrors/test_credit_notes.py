"""A credit note allocated in A to a mirrored invoice is created in B and allocated to the
copy for the same amount; one not allocated to a mirrored invoice is not copied."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from devstack.xero_simulator.seed import A_CUSTOMER_ID, B_CUSTOMER_ID
from tests.integration.mirrors.conftest import World, authorised, line, sale


def _credit_note(contact_id: str) -> dict[str, Any]:
    refund = line("Refund, one day", "1", "100", TaxType="ZERORATED")
    return authorised("CreditNotes", "ACCRECCREDIT", contact_id, "2024-06-10", LineItems=[refund])


def test_a_credit_note_allocated_in_a_is_allocated_to_the_copy_in_b(world: World):
    mirror = world.create_mirror(tax_map={"ZERORATED": "ZERORATED"})
    lines = [line("Consulting", "4", "100", TaxType="ZERORATED")]
    [invoice] = world.in_a("PUT", "/Invoices", sale(A_CUSTOMER_ID, lines))["Invoices"]
    [note] = world.in_a("PUT", "/CreditNotes", _credit_note(A_CUSTOMER_ID))["CreditNotes"]
    world.settle()
    assert world.sim.created("CreditNotes", world.b) == []  # not allocated yet: not copied
    skipped = [e for e in world.log(mirror) if e["kind"] == "credit_note"]
    assert "only allocated credit notes are copied" in skipped[0]["reason"]

    allocation = {
        "Invoice": {"InvoiceID": invoice["InvoiceID"]},
        "Amount": Decimal("60.00"),
        "Date": "2024-06-11",
    }
    path = f"/CreditNotes/{note['CreditNoteID']}/Allocations"
    world.in_a("PUT", path, {"Allocations": [allocation]})
    world.settle()

    [copy] = world.copies_of(world.b, invoice["InvoiceID"])
    [note_copy] = world.sim.created("CreditNotes", world.b)
    held = world.record(world.b, "CreditNotes", note_copy["CreditNoteID"])
    assert held["Type"] == "ACCRECCREDIT" and held["Total"] == Decimal("100.00")
    assert held["CreditNoteNumber"] == note["CreditNoteNumber"]
    [made] = held["Allocations"]
    assert made["Invoice"]["InvoiceID"] == copy["InvoiceID"]
    assert made["Amount"] == Decimal("60.00") and str(made["Date"]) == "2024-06-11"
    assert world.record(world.b, "Invoices", copy["InvoiceID"])["AmountCredited"] == Decimal(
        "60.00"
    )
    kinds = {(e["kind"], e["outcome"]) for e in world.log(mirror)}
    assert {("allocation", "copied"), ("credit_note", "copied")} <= kinds

    # A second allocation of the same credit note: allocated too, the note not copied again.
    allocation["Amount"], allocation["Date"] = Decimal("40.00"), "2024-06-12"
    world.in_a("PUT", path, {"Allocations": [allocation]})
    world.settle()
    assert len(world.sim.created("CreditNotes", world.b)) == 1
    held = world.record(world.b, "CreditNotes", note_copy["CreditNoteID"])
    assert sorted(a["Amount"] for a in held["Allocations"]) == [Decimal("40.00"), Decimal("60.00")]
    assert held["Status"] == "PAID"


def test_a_credit_note_allocated_to_an_invoice_never_copied_waits_then_is_parked(
    world: World,
):
    # Older than the mirror, and its number is taken in B: the allocation changes the
    # invoice, but its copy is refused, so the credit note has nothing to be allocated to.
    world.in_b(
        "PUT", "/Invoices", sale(B_CUSTOMER_ID, [line("B's own", "1", "5")], InvoiceNumber="X-200")
    )
    lines = [line("Older than the mirror", "1", "100", TaxType="ZERORATED")]
    older = sale(A_CUSTOMER_ID, lines, InvoiceNumber="X-200")
    [invoice] = world.in_a("PUT", "/Invoices", older)["Invoices"]
    world.settle()  # no mirror yet: not copied
    mirror = world.create_mirror(tax_map={"ZERORATED": "ZERORATED"})
    [note] = world.in_a("PUT", "/CreditNotes", _credit_note(A_CUSTOMER_ID))["CreditNotes"]
    allocation = {"Invoice": {"InvoiceID": invoice["InvoiceID"]}, "Amount": Decimal("10.00")}
    world.in_a(
        "PUT", f"/CreditNotes/{note['CreditNoteID']}/Allocations", {"Allocations": [allocation]}
    )
    world.settle()

    assert world.sim.created("CreditNotes", world.b) == []
    notes = [e for e in world.log(mirror) if e["kind"] == "credit_note"]
    assert [e["outcome"] for e in notes] == ["parked", "waiting", "waiting", "waiting", "waiting"]
    assert "whose copy does not exist yet" in notes[-1]["reason"]
    assert "a backfill copies older invoices" in notes[0]["reason"]
    health = world.mirrors("GET", f"/tenants/{world.a}/mirrors/{mirror['mirror_id']}").body
    assert health["health"]["parked"] == 2  # the refused invoice and the credit note
