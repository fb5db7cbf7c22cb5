"""Builders for the records the demo organisations are seeded with (`seed` and the payment
rails' `seed_rails`, `seed_cards`, `seed_direct_debit`): accounts, contacts, invoices and bills,
each as Xero would answer it, last updated at SEED_TIME."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from .accounting.currency import DESCRIPTIONS
from .accounting.documents import apply_totals, build_lines
from .state import Record, TenantBook

SEED_TIME = datetime(2024, 1, 1, tzinfo=UTC)


def ledger_account(
    account_id: str, code: str, name: str, kind: str, cls: str, tax: str, **extra: Any
) -> Record:
    return {
        "AccountID": account_id,
        "Code": code,
        "Name": name,
        "Type": kind,
        "Class": cls,
        "Status": "ACTIVE",
        "TaxType": tax,
        "EnablePaymentsToAccount": False,
        "ShowInExpenseClaims": False,
        **extra,
        "UpdatedDateUTC": SEED_TIME,
    }


def bank_account(account_id: str, code: str, name: str, currency: str, **extra: Any) -> Record:
    return ledger_account(
        account_id,
        code,
        name,
        "BANK",
        "ASSET",
        "NONE",
        CurrencyCode=currency,
        **extra,
        BankAccountType="BANK",
    )


def add_foreign_bank_account(
    book: TenantBook, account_id: str, code: str, name: str, currency: str, number: str
) -> None:
    """A rail's bank account in `currency`, the currency added to the organisation with it."""
    book.currencies[currency] = DESCRIPTIONS[currency]
    book.add("Accounts", bank_account(account_id, code, name, currency, BankAccountNumber=number))


def contact(contact_id: str, name: str, customer: bool, **extra: Any) -> Record:
    return {
        "ContactID": contact_id,
        "Name": name,
        "ContactStatus": "ACTIVE",
        "IsCustomer": customer,
        "IsSupplier": not customer,
        "Addresses": [],
        "Phones": [],
        "ContactGroups": [],
        "ContactPersons": [],
        "UpdatedDateUTC": SEED_TIME,
        **extra,
    }


def invoice(
    book: TenantBook,
    invoice_id: str,
    kind: str,
    status: str,
    contact_id: str,
    number: str | None,
    issued: date,
    due: date,
    lines: list[Record],
) -> Record:
    """An invoice (ACCREC) or bill (ACCPAY) in the base currency, added to ``book`` with its
    history; nothing paid or credited yet."""
    document: Record = {
        "InvoiceID": invoice_id,
        "Type": kind,
        "Status": status,
        "Contact": {"ContactID": contact_id},
        "Date": issued,
        "DueDate": due,
        "LineAmountTypes": "Exclusive",
        "CurrencyCode": book.organisation["BaseCurrency"],
        "CurrencyRate": Decimal("1.0000000000"),
        "SentToContact": False,
        "UpdatedDateUTC": SEED_TIME,
    }
    if number:
        document["InvoiceNumber"] = number
    document["LineItems"] = build_lines(book, lines, "Exclusive", kind == "ACCREC", True)
    apply_totals(document)
    document.update(
        AmountPaid=Decimal("0.00"), AmountCredited=Decimal("0.00"), AmountDue=document["Total"]
    )
    book.add("Invoices", document)
    book.history[invoice_id] = [
        {
            "Changes": "Created",
            "DateUTC": SEED_TIME,
            "User": "System Generated",
            "Details": "Seeded.",
        }
    ]
    return document


# The untaxed account a rail's one-line document is on: Sales, or General Expenses for bills.
RAIL_LINE_ACCOUNTS = {"ACCREC": "200", "ACCPAY": "429"}
# A rail's document: id, number, amount (in the rail's currency), contact id.
RailDocument = tuple[str, str, Decimal, str]


def rail_documents(
    book: TenantBook,
    today: date,
    kind: str,
    description: str,
    currency: tuple[str, Decimal],
    documents: Iterable[RailDocument],
    days: tuple[int, int] = (5, 25),
) -> None:
    """AUTHORISED one-line sales (ACCREC) or bills (ACCPAY) in a foreign currency, for a
    payment rail to collect or pay: ``currency`` is (code, rate per base currency); each was
    issued ``days[0]`` days ago and is due in ``days[1]``; its line, "{description}
    ({number})", untaxed."""
    issued, due = today - timedelta(days=days[0]), today + timedelta(days=days[1])
    for document_id, number, amount, contact_id in documents:
        line = {
            "Description": f"{description} ({number})",
            "Quantity": 1,
            "UnitAmount": str(amount),
            "AccountCode": RAIL_LINE_ACCOUNTS[kind],
            "TaxType": "NONE",
        }
        seeded = invoice(
            book, document_id, kind, "AUTHORISED", contact_id, number, issued, due, [line]
        )
        seeded.update(CurrencyCode=currency[0], CurrencyRate=currency[1])
