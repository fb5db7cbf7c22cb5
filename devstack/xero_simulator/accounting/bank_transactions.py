"""Bank transactions: spend money (SPEND) and receive money (RECEIVE) on a bank account.

As Xero takes them: a BankAccount (by AccountID or Code) that is an ACTIVE bank account, a
Contact (by ContactID, else by Name — an unknown name creates the contact), line items on
accounts, a Reference; the transaction is in the bank account's currency (a CurrencyCode that
differs is refused) and AUTHORISED. Listed and read like every resource (where, order, page).
"""

from __future__ import annotations

from flask import Blueprint

from ..context import SimContext
from ..problems import ValidationFailed
from ..state import ID_FIELDS, Record, TenantBook, new_id
from ..wire import parse_date
from .common import UnitOfWork
from .currency import base, day_rate
from .documents import apply_totals, build_lines, contact_summary, resolve_contact
from .resource import Resource, serve

TYPES = ("SPEND", "RECEIVE")
LINE_AMOUNT_TYPES = ("Exclusive", "Inclusive", "NoTax")


def render_bank_transaction(book: TenantBook, transaction: Record) -> Record:
    account = book.table("Accounts").get(transaction["BankAccount"]["AccountID"], {})
    return {
        **transaction,
        "Contact": contact_summary(book, transaction["Contact"]["ContactID"]),
        "BankAccount": {
            "AccountID": account.get("AccountID"),
            "Code": account.get("Code"),
            "Name": account.get("Name"),
        },
    }


def _bank_account(book: TenantBook, raw: Record) -> Record:
    named = raw.get("BankAccount")
    ref: Record = named if isinstance(named, dict) else {}
    account_id = str(ref.get(ID_FIELDS["Accounts"]) or "").lower()
    account = book.table("Accounts").get(account_id) if account_id else None
    if account is None and ref.get("Code"):
        account = book.find_by("Accounts", "Code", ref["Code"])
    if account is None:
        raise ValidationFailed(["A valid BankAccount must be specified"])
    if account.get("Type") != "BANK":
        raise ValidationFailed(["The BankAccount must be a bank account"])
    if account.get("Status") != "ACTIVE":
        raise ValidationFailed(["The bank account is archived"])
    return account


def new_bank_transaction(work: UnitOfWork, raw: Record) -> Record:
    book = work.book
    kind = raw.get("Type")
    if kind not in TYPES:
        raise ValidationFailed(["Type must be SPEND or RECEIVE"])
    account = _bank_account(book, raw)
    currency = str(account.get("CurrencyCode") or base(book))
    if raw.get("CurrencyCode") and raw["CurrencyCode"] != currency:
        raise ValidationFailed(
            [f"The bank transaction must be in the bank account's currency ({currency})"]
        )
    line_types = raw.get("LineAmountTypes") or "Exclusive"
    if line_types not in LINE_AMOUNT_TYPES:
        raise ValidationFailed([f"LineAmountTypes '{line_types}' is not valid"])
    contact_id = resolve_contact(work, raw.get("Contact"))
    lines = build_lines(book, raw.get("LineItems") or [], line_types, kind == "RECEIVE", True)
    if not lines:
        raise ValidationFailed(["A bank transaction must have at least one line item"])
    try:
        day = parse_date(raw.get("Date")) or work.now.date()
    except ValueError as exc:
        raise ValidationFailed([f"Date is not valid: {exc}"]) from exc
    transaction: Record = {
        "BankTransactionID": new_id(),
        "Type": kind,
        "Contact": {"ContactID": contact_id},
        "BankAccount": {"AccountID": account["AccountID"]},
        "Date": day,
        "Reference": raw.get("Reference"),
        "LineAmountTypes": line_types,
        "LineItems": lines,
        "CurrencyCode": currency,
        "CurrencyRate": day_rate(book, currency),
        "Status": "AUTHORISED",
        "IsReconciled": bool(raw.get("IsReconciled", False)),
        "HasAttachments": False,
    }
    apply_totals(transaction)
    if transaction["Total"] <= 0:
        raise ValidationFailed(["The bank transaction's total must be greater than zero"])
    book.add("BankTransactions", work.stamp(transaction))
    work.history(
        transaction["BankTransactionID"], "Created", f"{kind} of {transaction['Total']} created."
    )
    work.created("BankTransactions", transaction)
    return transaction


def register(bp: Blueprint, sim: SimContext) -> None:
    serve(bp, sim, Resource("BankTransactions", render_bank_transaction, put=new_bank_transaction))
