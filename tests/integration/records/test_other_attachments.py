"""Attachments of the other documents Xero takes them on (bank transactions and transfers,
manual journals, purchase orders, quotes, receipts, repeating invoices): the same three routes
as the invoice ones, against the simulator.

The simulator has no routes of its own for these documents, so each test puts a minimal
record straight into the tenant's book.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.integration.records.conftest import OTHER_TENANT, TENANT, api
from tests.integration.records.helpers import (
    UNKNOWN_ID,
    assert_other_tenants_attachments_refused,
    assert_upload_list_download,
    upload_body,
)
from xero_bridge.auth.route_policy import is_allowed, rule_for
from xero_bridge.records.attachment_kinds import XERO_RESOURCE

# kind in our API -> (Xero's collection, its id field)
KINDS = {
    "bank_transactions": ("BankTransactions", "BankTransactionID"),
    "bank_transfers": ("BankTransfers", "BankTransferID"),
    "manual_journals": ("ManualJournals", "ManualJournalID"),
    "purchase_orders": ("PurchaseOrders", "PurchaseOrderID"),
    "quotes": ("Quotes", "QuoteID"),
    "receipts": ("Receipts", "ReceiptID"),
    "repeating_invoices": ("RepeatingInvoices", "RepeatingInvoiceID"),
}
kinds = pytest.mark.parametrize("kind", sorted(KINDS))


def _upload_body(file_name: str = "document.pdf") -> dict[str, str]:
    return upload_body(file_name)


def _document(sim: Any, kind: str, tenant: str = TENANT) -> str:
    """A minimal record of this kind in the tenant's book in the simulator; its id."""
    resource, id_field = KINDS[kind]
    record_id = str(uuid.uuid4())
    with sim.store.lock:
        book = sim.store.book(tenant)
        assert book is not None
        book.add(resource, {id_field: record_id})
    return record_id


def test_every_kind_is_served():
    assert {kind: resource for kind, (resource, _) in KINDS.items()}.items() <= (
        XERO_RESOURCE.items()
    )


@kinds
def test_attachment_upload_list_download(records, kind):
    path = f"/tenants/{TENANT}/{kind}/{_document(records, kind)}/attachments"
    assert_upload_list_download(path, "document.pdf")


@kinds
def test_unknown_record_is_404(records, kind):
    elsewhere = _document(records, kind, tenant=OTHER_TENANT)  # not in this tenant's book
    for record_id in (UNKNOWN_ID, elsewhere):
        path = f"/tenants/{TENANT}/{kind}/{record_id}/attachments"
        assert api("GET", path).status == 404
        assert api("POST", path, body=_upload_body()).status == 404
        assert api("GET", f"{path}/{UNKNOWN_ID}").status == 404
    known = f"/tenants/{TENANT}/{kind}/{_document(records, kind)}/attachments"
    assert api("GET", f"{known}/{UNKNOWN_ID}").status == 404  # no such attachment


@kinds
def test_another_tenants_attachments_are_403_and_xero_is_not_called(records, kind):
    record_id = _document(records, kind, tenant=OTHER_TENANT)
    path = f"/tenants/{OTHER_TENANT}/{kind}/{record_id}/attachments"
    assert_other_tenants_attachments_refused(records, path, "document.pdf")


@kinds
@pytest.mark.parametrize(
    ("tail", "method", "scope"),
    [
        ("/attachments", "GET", "records:read"),
        ("/attachments", "POST", "records:write"),
        ("/attachments/{attachmentId}", "GET", "records:read"),
    ],
)
def test_attachment_routes_need_the_invoice_attachment_scopes(kind, tail, method, scope):
    route_key = f"{method} /tenants/{{tenantId}}/{kind}/{{id}}{tail}"
    invoice_route = f"{method} /tenants/{{tenantId}}/invoices/{{id}}{tail}"
    assert rule_for(route_key) == rule_for(invoice_route)
    assert is_allowed(route_key, [scope], [])
    other = "records:write" if scope == "records:read" else "records:read"
    assert not is_allowed(route_key, [other], [])
