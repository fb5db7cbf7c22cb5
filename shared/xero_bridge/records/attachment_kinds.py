"""The documents the records API keeps attachments for, and their Xero resource names.

A module of its own, free of heavy imports: the authorizer's route policy reads it as well as
the records function.
"""

from __future__ import annotations

from typing import Literal, get_args

AttachmentKind = Literal[
    "accounts",
    "contacts",
    "invoices",
    "credit_notes",
    "bank_transactions",
    "bank_transfers",
    "manual_journals",
    "purchase_orders",
    "quotes",
    "receipts",
    "repeating_invoices",
]
ATTACHMENT_KINDS: tuple[AttachmentKind, ...] = get_args(AttachmentKind)
XERO_RESOURCE: dict[str, str] = {
    "accounts": "Accounts",
    "contacts": "Contacts",
    "invoices": "Invoices",
    "credit_notes": "CreditNotes",
    "bank_transactions": "BankTransactions",
    "bank_transfers": "BankTransfers",
    "manual_journals": "ManualJournals",
    "purchase_orders": "PurchaseOrders",
    "quotes": "Quotes",
    "receipts": "Receipts",
    "repeating_invoices": "RepeatingInvoices",
}
