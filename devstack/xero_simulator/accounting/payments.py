"""Payments against invoices: create (one or many), reverse (Status DELETED), list, get."""

from __future__ import annotations

from flask import Blueprint

from ..context import SimContext
from ..problems import ValidationFailed
from ..state import ID_FIELDS, Record, TenantBook, new_id
from ..wire import parse_date, parse_decimal
from .common import UnitOfWork
from .currency import payment_amounts
from .documents import contact_summary
from .invoices import settle
from .resource import Resource, serve

PAYMENT_TYPES = {"ACCREC": "ACCRECPAYMENT", "ACCPAY": "ACCPAYPAYMENT"}


def render_payment(book: TenantBook, payment: Record) -> Record:
    invoice = book.table("Invoices").get(payment["Invoice"]["InvoiceID"], {})
    account = book.table("Accounts").get(payment["Account"]["AccountID"], {})
    return {
        **payment,
        "Invoice": {
            "InvoiceID": payment["Invoice"]["InvoiceID"],
            "InvoiceNumber": invoice.get("InvoiceNumber"),
            "Type": invoice.get("Type"),
            "Contact": contact_summary(book, invoice["Contact"]["ContactID"]) if invoice else None,
            "CurrencyCode": invoice.get("CurrencyCode"),
        },
        "Account": {
            "AccountID": account.get("AccountID"),
            "Code": account.get("Code"),
            "Name": account.get("Name"),
        },
    }


def _referenced(
    book: TenantBook, raw: Record, plural: str, alt_field: str
) -> tuple[Record | None, bool]:
    """The record a payment names, e.g. {"Invoice": {"InvoiceID": …}}, by id or else by
    ``alt_field`` (in that object or beside it); and whether it named one at all."""
    ref = raw.get(plural[:-1])
    ref = ref if isinstance(ref, dict) else {}
    record_id = str(ref.get(ID_FIELDS[plural]) or "").lower()
    alt = ref.get(alt_field) or raw.get(alt_field)
    record = book.table(plural).get(record_id) if record_id else None
    if record is None and alt:
        record = book.find_by(plural, alt_field, alt)
    return record, bool(record_id or alt)


def _unknown(noun: str, other_key: str, named: bool) -> ValidationFailed:
    """Xero's refusal of a payment whose Invoice or Account is not found, or not named."""
    if named:
        return ValidationFailed([f"{noun} could not be found"])
    return ValidationFailed([f"You must specify either an {noun} ID or {noun} {other_key}"])


def _invoice(book: TenantBook, raw: Record) -> Record:
    invoice, named = _referenced(book, raw, "Invoices", "InvoiceNumber")
    if invoice is None:
        if raw.get("CreditNote"):
            raise ValidationFailed(["The simulator supports payments against invoices only"])
        raise _unknown("Invoice", "Number", named)
    return invoice


def _account(book: TenantBook, raw: Record) -> Record:
    account, named = _referenced(book, raw, "Accounts", "Code")
    if account is None:
        raise _unknown("Account", "Code", named)
    return account


def new_payment(work: UnitOfWork, raw: Record) -> Record:
    book = work.book
    invoice = _invoice(book, raw)
    account = _account(book, raw)
    errors: list[str] = []
    try:
        amount = parse_decimal(raw.get("Amount"))
        payment_date = parse_date(raw.get("Date")) or work.now.date()
    except ValueError as exc:
        raise ValidationFailed([str(exc)]) from exc
    if invoice["Status"] != "AUTHORISED":
        errors.append("Payments can only be made against Authorised documents")
    if account["Type"] != "BANK" and not account.get("EnablePaymentsToAccount"):
        errors.append("Account type is invalid for making a payment to/from")
    if account.get("Status") != "ACTIVE":
        errors.append("The account is archived")
    if amount is None or amount <= 0:
        errors.append("Payment amount must be greater than zero")
    elif amount.as_tuple().exponent < -2:  # type: ignore[operator]
        errors.append("Payment amount must have at most 2 decimal places")
    elif invoice["Status"] == "AUTHORISED" and amount > invoice["AmountDue"]:
        errors.append("Payment amount exceeds the amount outstanding on this document")
    if errors:
        raise ValidationFailed(errors)
    assert amount is not None
    rate, bank_amount = payment_amounts(book, invoice, account, amount, raw.get("CurrencyRate"))
    payment: Record = {
        "PaymentID": new_id(),
        "Date": payment_date,
        "Amount": amount,
        "BankAmount": bank_amount,
        "CurrencyRate": rate,
        "Reference": raw.get("Reference"),
        "IsReconciled": bool(raw.get("IsReconciled", False)),
        "Status": "AUTHORISED",
        "PaymentType": PAYMENT_TYPES[invoice["Type"]],
        "HasAccount": True,
        "HasValidationErrors": False,
        "Invoice": {"InvoiceID": invoice["InvoiceID"]},
        "Account": {"AccountID": account["AccountID"]},
    }
    book.add("Payments", work.stamp(payment))
    work.history(payment["PaymentID"], "Created", f"Payment of {amount} created.")
    work.history(invoice["InvoiceID"], "Payment Applied", f"Payment of {amount} applied.")
    settle(work, invoice)
    work.created("Payments", payment)
    return payment


def reverse_payment(work: UnitOfWork, payment: Record, raw: Record) -> Record:
    if raw.get("Status") != "DELETED":
        raise ValidationFailed(["Only Status DELETED can be set on an existing payment"])
    if payment["Status"] == "DELETED":
        raise ValidationFailed(["This payment has already been deleted"])
    payment["Status"] = "DELETED"
    work.stamp(payment)
    invoice = work.book.table("Invoices")[payment["Invoice"]["InvoiceID"]]
    work.history(payment["PaymentID"], "Deleted", "Payment deleted.")
    work.history(
        invoice["InvoiceID"], "Payment Removed", f"Payment of {payment['Amount']} removed."
    )
    settle(work, invoice)
    return payment


def register(bp: Blueprint, sim: SimContext) -> None:
    serve(
        bp,
        sim,
        Resource(
            "Payments",
            render_payment,
            put=new_payment,
            post=new_payment,
            single=("POST",),  # POST /Payments creates one payment
            update=reverse_payment,
        ),
    )
