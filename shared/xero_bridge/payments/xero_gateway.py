"""Payments' view of Xero: batched reads, one PUT for many payments, reversal, look-ups.

Calls go through the shared client (`accounting_api`, `xero_call`), so tokens, the tenant
binding, the shared call budget and the error mapping are the shared library's. Responses are
read as raw JSON with ``parse_float=Decimal`` (``_preload_content=False``): xero-python's model
deserialiser would turn every amount into a float. Request bodies are plain dicts whose
amounts go through `money.to_wire`, which proves the float xero-python serialises is exactly
the decimal we mean.

Reads are batched: invoices by ``IDs`` / ``InvoiceNumbers`` 50 per call, accounts once per
request, payments by invoice (for the unknown-outcome look-up) or by id (for status joins) with
a ``where`` of OR-ed GUIDs built only from GUIDs we validated — never from caller text.
Writes fence the paid invoices' snapshots (`xero_bridge.snapshot_fences`), so a GET of an
invoice after a payment is never answered from a snapshot taken before it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from xero_bridge import snapshot_fences as fences
from xero_bridge.errors import ValidationFailedError
from xero_bridge.payments.money import rate_to_wire, to_wire
from xero_bridge.xero.client import accounting_api, raw_json, xero_call

# Re-exported: the payments service reads Xero's dates through this module.
from xero_bridge.xero.dates import parse_xero_date as parse_xero_date

CHUNK = 50  # GUIDs per IDs filter (Xero's URL length limit)
WHERE_CHUNK = 25  # OR-ed guid() terms per where filter
_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

Record = dict[str, Any]


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def validation_messages(element: Record) -> list[dict[str, Any]]:
    messages = [
        {"message": str(e.get("Message"))}
        for e in element.get("ValidationErrors") or []
        if isinstance(e, dict) and e.get("Message")
    ]
    return messages or [{"message": "Xero rejected the payment"}]


def _valid_guids(ids: Iterable[str]) -> list[str]:
    """The distinct ids that are GUIDs, lower case and sorted (caller text is never sent)."""
    return sorted({i.lower() for i in ids if _GUID.match(i.lower())})


def _guid_or(field: str, guids: list[str]) -> str:
    safe = [g for g in guids if _GUID.match(g)]
    return " OR ".join(f'{field}==guid("{g}")' for g in safe)


def _call(method: Any, *args: Any, **kwargs: Any) -> Any:
    """One Xero call through the shared error mapping, its body as exact JSON."""
    return xero_call(lambda: raw_json(method(*args, _preload_content=False, **kwargs)))


class XeroPayments:
    """The Xero calls payments make, for one tenant."""

    def __init__(self, tenant_id: str, api: Any = None) -> None:
        self.tenant_id = tenant_id
        self.api = api if api is not None else accounting_api(tenant_id)

    # ------------------------------------------------------------------ reads
    def _by_ids(
        self, get: Any, ids: Iterable[str], collection: str, id_field: str
    ) -> dict[str, Record]:
        """Xero's elements of `collection` ("Invoices"…) by their `id_field`, in lower case:
        `get` with an IDs filter, CHUNK GUIDs a call."""
        found: dict[str, Record] = {}
        for chunk in _chunks(_valid_guids(ids), CHUNK):
            body = _call(get, self.tenant_id, i_ds=chunk, page=1)
            for element in body.get(collection) or []:
                found[str(element.get(id_field, "")).lower()] = element
        return found

    def invoices_by_ids(self, invoice_ids: Iterable[str]) -> dict[str, Record]:
        return self._by_ids(self.api.get_invoices, invoice_ids, "Invoices", "InvoiceID")

    def invoices_by_numbers(self, numbers: Iterable[str]) -> dict[str, Record]:
        wanted = sorted({n for n in numbers if n and "," not in n})
        found: dict[str, Record] = {}
        for chunk in _chunks(wanted, CHUNK):
            body = _call(self.api.get_invoices, self.tenant_id, invoice_numbers=chunk, page=1)
            for invoice in body.get("Invoices") or []:
                number = invoice.get("InvoiceNumber")
                if number in wanted:
                    found[str(number)] = invoice
        return found

    def contacts_by_ids(self, contact_ids: Iterable[str]) -> dict[str, Record]:
        """Contacts by id (their bank details: a money-moving rail pays them)."""
        return self._by_ids(self.api.get_contacts, contact_ids, "Contacts", "ContactID")

    def accounts(self) -> list[Record]:
        body = _call(self.api.get_accounts, self.tenant_id)
        return list(body.get("Accounts") or [])

    def payments_for_invoices(self, invoice_ids: Iterable[str]) -> list[Record]:
        """Every payment (any status) against these invoices."""
        wanted = _valid_guids(invoice_ids)
        payments: list[Record] = []
        for chunk in _chunks(wanted, WHERE_CHUNK):
            where = _guid_or("Invoice.InvoiceID", chunk)
            body = _call(self.api.get_payments, self.tenant_id, where=where)
            payments.extend(body.get("Payments") or [])
        return payments

    def payments_by_ids(self, payment_ids: Iterable[str]) -> dict[str, Record]:
        wanted = _valid_guids(payment_ids)
        found: dict[str, Record] = {}
        for chunk in _chunks(wanted, WHERE_CHUNK):
            where = _guid_or("PaymentID", chunk)
            body = _call(self.api.get_payments, self.tenant_id, where=where)
            for payment in body.get("Payments") or []:
                found[str(payment.get("PaymentID", "")).lower()] = payment
        return found

    def payment(self, xero_payment_id: str) -> Record | None:
        body = _call(self.api.get_payment, self.tenant_id, xero_payment_id)
        found = body.get("Payments") or []
        return found[0] if found else None

    # ------------------------------------------------------------------ writes
    def create_payments(self, payments: list[Record], idempotency_key: str) -> list[Record]:
        """PUT /Payments?summarizeErrors=false: one element back per payment, in order."""
        paid = [("INVOICE", p.get("Invoice", {}).get("InvoiceID")) for p in payments]
        with fences.writing(self.tenant_id, paid):  # amounts due change
            body = _call(
                self.api.create_payments,
                self.tenant_id,
                {"Payments": payments},
                summarize_errors=False,
                idempotency_key=idempotency_key,
            )
        elements = list(body.get("Payments") or [])
        if len(elements) != len(payments):
            raise ValidationFailedError(
                "Xero answered an unexpected number of payments",
                [{"sent": len(payments), "answered": len(elements)}],
            )
        return elements

    def reverse(self, xero_payment_id: str, invoice_id: str | None, idempotency_key: str) -> Record:
        with fences.writing(self.tenant_id, [("INVOICE", invoice_id)]):
            body = _call(
                self.api.delete_payment,
                self.tenant_id,
                xero_payment_id,
                {"Status": "DELETED"},
                idempotency_key=idempotency_key,
            )
        found = body.get("Payments") or [{}]
        return dict(found[0])


def payment_body(
    *,
    invoice_id: str,
    account_id: str,
    amount: Decimal,
    payment_date: str,
    reference: str,
    currency_rate: Decimal | None,
) -> Record:
    """One Payment as Xero's API takes it (amount proven exact by `to_wire`)."""
    body: Record = {
        "Invoice": {"InvoiceID": invoice_id},
        "Account": {"AccountID": account_id},
        "Amount": to_wire(amount),
        "Date": payment_date,
        "Reference": reference,
    }
    if currency_rate is not None:
        body["CurrencyRate"] = rate_to_wire(currency_rate)
    return body


def is_ok(element: Record) -> bool:
    return (
        element.get("StatusAttributeString", "OK") != "ERROR"
        and not element.get("HasValidationErrors")
        and bool(element.get("PaymentID"))
    )
