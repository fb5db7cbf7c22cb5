"""Credit notes and their allocations to invoices."""

from __future__ import annotations

from flask import Blueprint, Response

from ..context import SimContext
from ..problems import ValidationFailed
from ..state import Record, TenantBook, new_id
from ..wire import parse_date, parse_decimal
from .common import UnitOfWork, batch_write, get_record, plain
from .documents import ZERO, common_fields, contact_summary
from .invoices import settle
from .resource import Resource, serve

TYPES = {"ACCRECCREDIT": "ACCREC", "ACCPAYCREDIT": "ACCPAY"}


def render_credit_note(book: TenantBook, note: Record) -> Record:
    allocations = [
        {
            **a,
            "Invoice": {
                "InvoiceID": a["Invoice"]["InvoiceID"],
                "InvoiceNumber": book.table("Invoices")
                .get(a["Invoice"]["InvoiceID"], {})
                .get("InvoiceNumber"),
            },
        }
        for a in note.get("Allocations", [])
    ]
    return {
        **note,
        "Allocations": allocations,
        "Contact": contact_summary(book, note["Contact"]["ContactID"]),
        "HasAttachments": bool(book.attachments.get(note["CreditNoteID"])),
    }


def new_credit_note(work: UnitOfWork, raw: Record) -> Record:
    if raw.get("Type") not in TYPES:
        raise ValidationFailed(["Credit note Type must be ACCRECCREDIT or ACCPAYCREDIT"])
    status = raw.get("Status") or "DRAFT"
    if status not in ("DRAFT", "SUBMITTED", "AUTHORISED"):
        raise ValidationFailed([f"Credit note status {status} is not valid for a new credit note"])
    note: Record = {
        "CreditNoteID": new_id(),
        "Type": raw["Type"],
        "Status": status,
        "Allocations": [],
        "SentToContact": False,
    }
    common_fields(work, note, raw, status)
    note["CreditNoteNumber"] = raw.get("CreditNoteNumber") or work.book.next_number("CN")
    note["RemainingCredit"] = note["Total"]
    work.book.add("CreditNotes", work.stamp(note))
    work.history(note["CreditNoteID"], "Created", "Credit note created.")
    work.event("CREDITNOTE", note["CreditNoteID"], "CREATE")
    work.created("CreditNotes", note)
    return note


def update_credit_note(work: UnitOfWork, note: Record, raw: Record) -> Record:
    wanted = raw.get("Status") or note["Status"]
    if note["Status"] not in ("DRAFT", "SUBMITTED", "AUTHORISED") or (
        note["Status"] == "AUTHORISED" and wanted not in ("AUTHORISED", "VOIDED")
    ):
        raise ValidationFailed(["Credit note not of valid status for modification"])
    if wanted in ("VOIDED", "DELETED"):
        if note.get("Allocations"):
            raise ValidationFailed(["This credit note has allocations and cannot be voided"])
        note["Status"] = wanted
    else:
        common_fields(work, note, raw, wanted)
        note["Status"] = wanted
        note["RemainingCredit"] = note["Total"]
    work.history(note["CreditNoteID"], "Updated", f"Credit note {note['Status'].lower()}.")
    work.stamp(note)
    work.event("CREDITNOTE", note["CreditNoteID"], "UPDATE")
    return note


def allocate(work: UnitOfWork, note: Record, raw: Record) -> Record:
    """Applies part of an AUTHORISED credit note to an AUTHORISED invoice of the same side."""
    ref = raw.get("Invoice")
    ref = ref if isinstance(ref, dict) else {}
    invoice = work.book.table("Invoices").get(str(ref.get("InvoiceID") or "").lower())
    try:
        amount = parse_decimal(raw.get("Amount"))
        when = parse_date(raw.get("Date")) or work.now.date()
    except ValueError as exc:
        raise ValidationFailed([str(exc)]) from exc
    errors: list[str] = []
    if invoice is None:
        raise ValidationFailed(["Invoice could not be found"])
    if note["Status"] != "AUTHORISED":
        errors.append("Only authorised credit notes can be allocated")
    if invoice["Status"] != "AUTHORISED":
        errors.append("Allocations can only be made against Authorised invoices")
    if TYPES[note["Type"]] != invoice["Type"]:
        errors.append("The credit note and invoice must be of the same type")
    if note["Contact"]["ContactID"] != invoice["Contact"]["ContactID"]:
        errors.append("The credit note and invoice must be for the same contact")
    if note.get("CurrencyCode") != invoice.get("CurrencyCode"):
        errors.append("The credit note and invoice must be in the same currency")
    if amount is None or amount <= 0:
        errors.append("Allocation amount must be greater than zero")
    elif amount > note["RemainingCredit"]:
        errors.append("The amount allocated exceeds the remaining credit on the credit note")
    elif amount > invoice["AmountDue"]:
        errors.append("The amount allocated exceeds the amount outstanding on the invoice")
    if errors:
        raise ValidationFailed(errors)
    assert amount is not None
    allocation = {
        "AllocationID": new_id(),
        "Amount": amount,
        "Date": when,
        "IsDeleted": False,
        "Invoice": {"InvoiceID": invoice["InvoiceID"]},
    }
    note["Allocations"].append(allocation)
    note["RemainingCredit"] -= amount
    note["AppliedAmount"] = note["Total"] - note["RemainingCredit"]
    if note["RemainingCredit"] == ZERO:
        note["Status"] = "PAID"
    work.stamp(note)
    work.history(note["CreditNoteID"], "Allocated", f"{amount} allocated to an invoice.")
    work.event("CREDITNOTE", note["CreditNoteID"], "UPDATE")
    settle(work, invoice)
    return {**allocation, "CreditNote": {"CreditNoteID": note["CreditNoteID"]}}


def register(bp: Blueprint, sim: SimContext) -> None:
    serve(
        bp,
        sim,
        Resource("CreditNotes", render_credit_note, put=new_credit_note, update=update_credit_note),
    )

    @bp.put("/CreditNotes/<note_id>/Allocations")
    def allocate_credit_note(note_id: str) -> Response:
        def handler(work: UnitOfWork, raw: Record) -> Record:
            return allocate(work, get_record(work.book, "CreditNotes", note_id), raw)

        return batch_write(sim, "Allocations", handler, plain)
