"""The simulator's in-memory books: one ``TenantBook`` per organisation, behind one lock."""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

Record = dict[str, Any]

# Resource collection name -> the field holding its id.
ID_FIELDS = {
    "Accounts": "AccountID",
    "Contacts": "ContactID",
    "Items": "ItemID",
    "Invoices": "InvoiceID",
    "Payments": "PaymentID",
    "CreditNotes": "CreditNoteID",
    "TaxRates": "TaxType",
    # Kept only so attachments can hang off them (no routes of their own): tests and
    # benches put records here directly with `book.add`.
    "BankTransactions": "BankTransactionID",
    "BankTransfers": "BankTransferID",
    "ManualJournals": "ManualJournalID",
    "PurchaseOrders": "PurchaseOrderID",
    "Quotes": "QuoteID",
    "Receipts": "ReceiptID",
    "RepeatingInvoices": "RepeatingInvoiceID",
}


@dataclass
class Attachment:
    attachment_id: str
    file_name: str
    mime_type: str
    content: bytes
    include_online: bool = False


@dataclass
class TenantBook:
    tenant_id: str
    name: str
    organisation: Record
    records: dict[str, dict[str, Record]] = field(
        default_factory=lambda: {kind: {} for kind in ID_FIELDS}
    )
    history: dict[str, list[Record]] = field(default_factory=dict)
    attachments: dict[str, list[Attachment]] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=dict)
    # Currencies enabled besides the base currency (GET /Currencies), code -> description.
    currencies: dict[str, str] = field(default_factory=dict)

    def table(self, kind: str) -> dict[str, Record]:
        return self.records[kind]

    def add(self, kind: str, record: Record) -> Record:
        self.records[kind][record[ID_FIELDS[kind]]] = record
        return record

    def next_number(self, prefix: str) -> str:
        self.counters[prefix] = self.counters.get(prefix, 0) + 1
        return f"{prefix}-{self.counters[prefix]:04d}"

    def find_by(self, kind: str, field_name: str, value: Any) -> Record | None:
        for record in self.records[kind].values():
            if value is not None and record.get(field_name) == value:
                return record
        return None


@dataclass
class CallRecord:
    method: str
    path: str
    tenant_id: str | None
    status: int


class Store:
    """Everything mutable about the organisations. Hold ``lock`` while reading or writing."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.books: dict[str, TenantBook] = {}
        self.created: dict[str, list[tuple[str, Record]]] = {}
        self.call_log: list[CallRecord] = []

    def book(self, tenant_id: str) -> TenantBook | None:
        return self.books.get(tenant_id)

    def record_created(self, kind: str, tenant_id: str, record: Record) -> None:
        self.created.setdefault(kind, []).append((tenant_id, record))


def new_id() -> str:
    return str(uuid.uuid4())
