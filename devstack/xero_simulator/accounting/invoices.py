"""Invoices and bills: create, update, approve, void, delete, email; amounts settle here."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, Response

from ..context import SimContext
from ..problems import NotFound, ValidationFailed
from ..state import Record, TenantBook, new_id
from .common import UnitOfWork, copy_fields, get_record, unit_of_work
from .documents import ZERO, common_fields, contact_summary
from .resource import Resource, serve

TYPES = {"ACCREC", "ACCPAY"}
CREATE_STATUSES = {"DRAFT", "SUBMITTED", "AUTHORISED"}
EDITABLE_STATUSES = {"DRAFT", "SUBMITTED", "AUTHORISED"}
CANNOT_EDIT = "This document cannot be edited as it has a payment or credit note allocated to it."
CANNOT_VOID = "This document cannot be voided as it has a payment or credit note allocated to it."


def render_invoice(book: TenantBook, invoice: Record) -> Record:
    invoice_id = invoice["InvoiceID"]
    payments = [
        {
            "PaymentID": p["PaymentID"],
            "Date": p["Date"],
            "Amount": p["Amount"],
            "Reference": p.get("Reference"),
            "CurrencyRate": p["CurrencyRate"],
            "HasAccount": True,
            "HasValidationErrors": False,
        }
        for p in book.table("Payments").values()
        if p["Invoice"]["InvoiceID"] == invoice_id and p["Status"] == "AUTHORISED"
    ]
    credit_notes = [
        {
            "CreditNoteID": note["CreditNoteID"],
            "CreditNoteNumber": note.get("CreditNoteNumber"),
            "Total": note["Total"],
            "AppliedAmount": allocation["Amount"],
            "Date": allocation["Date"],
        }
        for note in book.table("CreditNotes").values()
        for allocation in note.get("Allocations", [])
        if allocation["Invoice"]["InvoiceID"] == invoice_id and not allocation.get("IsDeleted")
    ]
    return {
        **invoice,
        "Contact": contact_summary(book, invoice["Contact"]["ContactID"]),
        "Payments": payments,
        "CreditNotes": credit_notes,
        "HasAttachments": bool(book.attachments.get(invoice_id)),
        "IsDiscounted": any(line.get("DiscountRate") for line in invoice["LineItems"]),
        "HasErrors": False,
    }


def settle(work: UnitOfWork, invoice: Record) -> None:
    """Recomputes AmountPaid/Credited/Due and moves AUTHORISED <-> PAID accordingly."""
    book = work.book
    invoice_id = invoice["InvoiceID"]
    live = [
        p
        for p in book.table("Payments").values()
        if p["Invoice"]["InvoiceID"] == invoice_id and p["Status"] == "AUTHORISED"
    ]
    paid = sum((p["Amount"] for p in live), ZERO)
    credited = sum(
        (
            a["Amount"]
            for note in book.table("CreditNotes").values()
            for a in note.get("Allocations", [])
            if a["Invoice"]["InvoiceID"] == invoice_id and not a.get("IsDeleted")
        ),
        ZERO,
    )
    invoice["AmountPaid"], invoice["AmountCredited"] = paid, credited
    invoice["AmountDue"] = invoice["Total"] - paid - credited
    if invoice["Status"] == "AUTHORISED" and invoice["AmountDue"] <= 0 and (paid or credited):
        invoice["Status"] = "PAID"
        invoice["FullyPaidOnDate"] = max([p["Date"] for p in live] or [work.now.date()])
        work.history(invoice_id, "Paid", "Invoice fully paid.")
    elif invoice["Status"] == "PAID" and invoice["AmountDue"] > 0:
        invoice["Status"] = "AUTHORISED"
        invoice.pop("FullyPaidOnDate", None)
    work.stamp(invoice)
    work.event("INVOICE", invoice_id, "UPDATE")


def _number(work: UnitOfWork, invoice: Record, raw: Record) -> None:
    number = raw.get("InvoiceNumber")
    if number:
        for other in work.book.table("Invoices").values():
            same = (
                other["InvoiceID"] != invoice["InvoiceID"] and other.get("InvoiceNumber") == number
            )
            if same and other["Type"] == "ACCREC" and invoice["Type"] == "ACCREC":
                raise ValidationFailed(["Invoice # must be unique."])
        invoice["InvoiceNumber"] = number
    elif invoice["Type"] == "ACCREC" and not invoice.get("InvoiceNumber"):
        invoice["InvoiceNumber"] = work.book.next_number("INV")


def new_invoice(work: UnitOfWork, raw: Record) -> Record:
    invoice_type = raw.get("Type")
    if invoice_type not in TYPES:
        raise ValidationFailed(["Invoice Type must be ACCREC or ACCPAY"])
    status = raw.get("Status") or "DRAFT"
    if status not in CREATE_STATUSES:
        raise ValidationFailed([f"Invoice status {status} is not valid for a new invoice"])
    invoice: Record = {
        "InvoiceID": new_id(),
        "Type": invoice_type,
        "Status": status,
        "SentToContact": False,
    }
    common_fields(work, invoice, raw, status)
    invoice.setdefault("DueDate", invoice["Date"] + timedelta(days=30))
    _number(work, invoice, raw)
    invoice.update(AmountPaid=ZERO, AmountCredited=ZERO, AmountDue=invoice["Total"])
    work.book.add("Invoices", work.stamp(invoice))
    kind = "Invoice" if invoice_type == "ACCREC" else "Bill"
    work.history(
        invoice["InvoiceID"], "Created", f"{kind} {invoice.get('InvoiceNumber', '')} created."
    )
    if status == "AUTHORISED":
        work.history(invoice["InvoiceID"], "Approved", f"{kind} approved.")
    work.event("INVOICE", invoice["InvoiceID"], "CREATE")
    work.created("Invoices", invoice)
    return invoice


def update_invoice(work: UnitOfWork, invoice: Record, raw: Record) -> Record:
    current, wanted = invoice["Status"], raw.get("Status") or invoice["Status"]
    has_money = invoice["AmountPaid"] > 0 or invoice["AmountCredited"] > 0
    if wanted == "DELETED":
        if current not in ("DRAFT", "SUBMITTED"):
            raise ValidationFailed(["Invoice not of valid status for modification"])
        invoice["Status"] = "DELETED"
        work.history(invoice["InvoiceID"], "Deleted", "Invoice deleted.")
    elif wanted == "VOIDED":
        if current != "AUTHORISED" or has_money:
            raise ValidationFailed(
                ["Invoice not of valid status for modification"]
                if current != "AUTHORISED"
                else [CANNOT_VOID]
            )
        invoice["Status"] = "VOIDED"
        invoice["AmountDue"] = ZERO
        work.history(invoice["InvoiceID"], "Voided", "Invoice voided.")
    else:
        if current not in EDITABLE_STATUSES:
            raise ValidationFailed(
                [CANNOT_EDIT]
                if current == "PAID"
                else ["Invoice not of valid status for modification"]
            )
        if has_money and "LineItems" in raw:
            raise ValidationFailed([CANNOT_EDIT])
        if wanted not in EDITABLE_STATUSES or (current == "AUTHORISED" and wanted != "AUTHORISED"):
            raise ValidationFailed([f"Invoice status cannot change from {current} to {wanted}"])
        common_fields(work, invoice, raw, wanted)
        _number(work, invoice, raw)
        copy_fields(invoice, raw, ("ExpectedPaymentDate", "PlannedPaymentDate"))
        if wanted != current:
            invoice["Status"] = wanted
            work.history(
                invoice["InvoiceID"],
                "Approved" if wanted == "AUTHORISED" else "Updated",
                f"Invoice status changed to {wanted}.",
            )
        else:
            work.history(invoice["InvoiceID"], "Edited", "Invoice edited.")
        invoice["AmountDue"] = invoice["Total"] - invoice["AmountPaid"] - invoice["AmountCredited"]
    work.stamp(invoice)
    work.event("INVOICE", invoice["InvoiceID"], "UPDATE")
    return invoice


def find_invoice(book: TenantBook, ref: str) -> Record:
    """By InvoiceID, or by InvoiceNumber (Xero accepts either in the path)."""
    invoice = book.table("Invoices").get(ref.lower()) or book.find_by(
        "Invoices", "InvoiceNumber", ref
    )
    if invoice is None:
        raise NotFound(f"Invoice {ref}")
    return invoice


def _create_or_update(work: UnitOfWork, raw: Record) -> Record:
    if raw.get("InvoiceID"):
        invoice = work.book.table("Invoices").get(str(raw["InvoiceID"]).lower())
        if invoice is None:
            raise ValidationFailed([f"Invoice {raw['InvoiceID']} could not be found"])
        return update_invoice(work, invoice, raw)
    return new_invoice(work, raw)


def register(bp: Blueprint, sim: SimContext) -> None:
    serve(
        bp,
        sim,
        Resource(
            "Invoices",
            render_invoice,
            find=find_invoice,
            list_filters={
                "InvoiceNumbers": "InvoiceNumber",
                "ContactIDs": "Contact.ContactID",
                "Statuses": "Status",
            },
            put=new_invoice,
            post=_create_or_update,
            update=update_invoice,
            update_find=find_invoice,
        ),
    )

    @bp.post("/Invoices/<invoice_id>/Email")
    def email_invoice(invoice_id: str) -> Response:
        with unit_of_work(sim) as work:
            invoice = get_record(work.book, "Invoices", invoice_id)
            contact = work.book.table("Contacts").get(invoice["Contact"]["ContactID"], {})
            problems = []
            if invoice["Type"] != "ACCREC" or invoice["Status"] not in ("AUTHORISED", "PAID"):
                problems.append("Only approved sales invoices can be emailed")
            if not contact.get("EmailAddress"):
                problems.append("The contact does not have an email address")
            if problems:
                raise ValidationFailed(problems, {"InvoiceID": invoice["InvoiceID"]})
            invoice["SentToContact"] = True
            work.history(
                invoice["InvoiceID"], "Emailed", f"Invoice emailed to {contact['EmailAddress']}."
            )
            work.stamp(invoice)
            work.event("INVOICE", invoice["InvoiceID"], "UPDATE")
        return Response(status=204)
