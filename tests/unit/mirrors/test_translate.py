"""What a copy looks like in the target, from a source invoice or credit note and a mirror's
settings (pure: no AWS, no Xero)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from xero_bridge.mirrors.markers import is_copy_from, linked_short_code, source_link
from xero_bridge.mirrors.translate import credit_note_draft, invoice_draft
from xero_bridge.persistence.mirrors import MirrorRecord

SOURCE_ID = "1cf1a11c-a067-4a05-9c8b-06f281f7afed"


def mirror(**settings: Any) -> MirrorRecord:
    fields: dict[str, Any] = {
        "tenant_id": "a",
        "mirror_id": "m" * 32,
        "target_tenant_id": "b",
        "types": ["ACCREC"],
        "statuses": ["AUTHORISED", "PAID"],
        "created_by": "alice",
        "created_at": "2024-01-01T00:00:00Z",
        "source_short_code": "!NZ1",
    }
    return MirrorRecord(**{**fields, **settings})


def invoice(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "InvoiceID": SOURCE_ID,
        "Type": "ACCREC",
        "Status": "AUTHORISED",
        "InvoiceNumber": "INV-0042",
        "Reference": "PO 7",
        "Contact": {"ContactID": "c-in-a", "Name": "Ridgeway University"},
        "Date": "/Date(1717372800000+0000)/",
        "DueDate": "/Date(1719964800000+0000)/",
        "LineAmountTypes": "Exclusive",
        "CurrencyCode": "NZD",
        "CurrencyRate": Decimal("1.0000000000"),
        "Total": Decimal("277.78"),
        "LineItems": [
            {
                "LineItemID": "11111111-1111-4111-8111-111111111111",
                "Description": "Design work",
                "Quantity": Decimal("2.5000"),
                "UnitAmount": Decimal("123.4567"),
                "ItemCode": "DEV-HOUR",
                "AccountCode": "200",
                "TaxType": "OUTPUT2",
                "TaxAmount": Decimal("41.67"),
                "LineAmount": Decimal("277.78"),
                "DiscountRate": Decimal("10"),
                "Tracking": [
                    {"TrackingCategoryID": "t", "Name": "Region", "Option": "South"},
                    {"Name": "Project", "Option": "Apollo"},
                ],
            }
        ],
    }
    return {**base, **fields}


def keep_north_only(name: str, option: str) -> tuple[str, str] | None:
    return (name, "North") if (name, option) == ("Region", "South") else None


def test_lines_lose_the_source_organisations_ids_and_tax_and_keep_exact_decimals():
    draft = invoice_draft(invoice(), mirror())
    body = draft.payload("c-in-b", keep_north_only)
    [line] = body["LineItems"]
    assert set(line) == {
        "Description",
        "Quantity",
        "UnitAmount",
        "ItemCode",
        "AccountCode",
        "DiscountRate",
        "Tracking",
    }
    assert line["UnitAmount"] == Decimal("123.4567") and isinstance(line["Quantity"], Decimal)
    assert line["Tracking"] == [{"Name": "Region", "Option": "North"}]  # B's Project: none
    assert body["Contact"] == {"ContactID": "c-in-b"}
    assert (body["Date"], body["DueDate"]) == ("2024-06-03", "2024-07-03")
    assert body["CurrencyCode"] == "NZD" and "CurrencyRate" not in body
    assert (body["InvoiceNumber"], body["Reference"]) == ("INV-0042", "PO 7")
    assert body["Url"] == source_link("!NZ1", "ACCREC", SOURCE_ID)
    assert "InvoiceID" not in body and draft.item_codes == {"DEV-HOUR"}


def test_accounts_and_tax_types_go_through_the_maps_and_an_unmapped_tax_type_is_left_out():
    mapped = invoice_draft(
        invoice(), mirror(account_map={"200": "260"}, tax_map={"OUTPUT2": "OUTPUT"})
    )
    [line] = mapped.payload("c", lambda n, o: None)["LineItems"]
    assert (line["AccountCode"], line["TaxType"]) == ("260", "OUTPUT")
    unmapped = invoice_draft(invoice(), mirror(account_map={"400": "429"}))
    [line] = unmapped.payload("c", lambda n, o: None)["LineItems"]
    assert line["AccountCode"] == "200" and "TaxType" not in line


def test_numbers_and_references_are_kept_or_prefixed_and_the_type_flips_when_asked():
    draft = invoice_draft(
        invoice(), mirror(number_prefix="NZ-", reference_prefix="A: ", flip_type=True)
    )
    body = draft.payload("c", lambda n, o: None)
    assert (body["InvoiceNumber"], body["Reference"]) == ("NZ-INV-0042", "A: PO 7")
    assert body["Type"] == "ACCPAY"
    assert "/AccountsReceivable/" in body["Url"]  # where the source is
    no_reference = invoice_draft(invoice(Reference=None), mirror(reference_prefix="A: "))
    assert "Reference" not in no_reference.header


def test_a_paid_source_is_an_approved_copy_and_ended_ones_say_so():
    assert invoice_draft(invoice(Status="PAID"), mirror()).target_status == "AUTHORISED"
    voided = invoice_draft(invoice(Status="VOIDED"), mirror())
    assert voided.ended and voided.target_status == "VOIDED"
    assert not invoice_draft(invoice(), mirror()).ended


def test_the_digest_changes_with_what_the_copy_holds_and_only_with_that():
    base = invoice_draft(invoice(), mirror()).digest
    assert invoice_draft(invoice(), mirror()).digest == base
    # A payment or allocation in the source changes nothing the copy holds.
    paid = invoice(Status="PAID", AmountPaid=Decimal("277.78"), AmountDue=Decimal("0"))
    assert invoice_draft(paid, mirror()).digest == base
    assert invoice_draft(invoice(Reference="PO 8"), mirror()).digest != base
    changed = invoice()
    changed["LineItems"] = [{**changed["LineItems"][0], "UnitAmount": Decimal("123.4568")}]
    assert invoice_draft(changed, mirror()).digest != base
    assert invoice_draft(invoice(), mirror(account_map={"200": "260"})).digest != base


def test_a_credit_note_copy_is_approved_so_it_can_be_allocated():
    note = invoice(Type="ACCRECCREDIT", Status="PAID", CreditNoteNumber="CN-0007")
    note.pop("InvoiceID")
    note["CreditNoteID"] = "22222222-2222-4222-8222-222222222222"
    draft = credit_note_draft(note, mirror())
    body = draft.payload("c", lambda n, o: None)
    assert (body["Type"], body["Status"], body["CreditNoteNumber"]) == (
        "ACCRECCREDIT",
        "AUTHORISED",
        "CN-0007",
    )
    assert "Url" not in body and "DueDate" not in body
    flipped = credit_note_draft(note, mirror(flip_type=True))
    assert flipped.target_type == "ACCPAYCREDIT" and flipped.source_type == "ACCREC"


def test_a_copy_links_back_to_its_source_and_that_link_is_recognised():
    link = source_link("!AU1", "ACCPAY", SOURCE_ID)
    assert link == (
        "https://go.xero.com/organisationlogin/default.aspx?shortcode=!AU1"
        f"&redirecturl=/AccountsPayable/View.aspx?InvoiceID={SOURCE_ID}"
    )
    assert linked_short_code(link) == "!AU1"
    assert is_copy_from(link, "!AU1") and not is_copy_from(link, "!NZ1")
    assert not is_copy_from(link, None)
    for other in (None, "", "https://example.com/?shortcode=!AU1", "not a url"):
        assert linked_short_code(other) is None
