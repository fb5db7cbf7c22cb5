"""Invoices and bills: list, get, create, update, void, delete (drafts), email.

Unit prices keep 4 decimals (every call passes Xero's `unitdp=4`); amounts are Decimal
end to end and reach Xero as exact JSON numbers (the shared client's exact encoder).

A GET of one invoice may be answered from the webhook worker's snapshot when it is fresh
(`read_invoice`, see `records.snapshot_reads`); every write fences the snapshots it may
change, so none of ours is followed by an older answer.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from xero_python.accounting import models as xm

from xero_bridge import snapshot_fences as fences
from xero_bridge.records import mapping
from xero_bridge.records import models as m
from xero_bridge.records import snapshot_reads as reads
from xero_bridge.records.query import (
    InvoiceQuery,
    invoice_args,
    invoice_query_is_empty,
)
from xero_bridge.records.results import idempotency, listed, only, record_json
from xero_bridge.xero.client import accounting_api, xero_call

UNITDP = reads.UNITDP


def list_invoices(tenant_id: str, query: InvoiceQuery) -> m.InvoiceList:
    if invoice_query_is_empty(query):
        return m.InvoiceList(invoices=[], page=query.page, next_page=None)
    # "Overdue" is judged by the UTC date; Xero's own due dates are the organisation's dates.
    args = invoice_args(query, datetime.now(UTC).date())
    invoices, following = listed(
        tenant_id, "get_invoices", args, "invoices", mapping.invoice_from_xero, query
    )
    return m.InvoiceList(invoices=invoices, page=query.page, next_page=following)


def read_invoice(
    tenant_id: str, invoice_id: str, policy: reads.ReadPolicy
) -> reads.Sourced[m.Invoice]:
    """One invoice, from a fresh snapshot when `policy` allows, else from Xero."""
    return reads.read_one(
        tenant_id,
        "INVOICE",
        invoice_id,
        policy,
        # GET /Invoices/{id}?unitdp=4
        lambda: record_json(
            tenant_id, "get_invoice", invoice_id, "Invoices", "invoice", unitdp=UNITDP
        ),
        invoice_from_json,
    )


def get_invoice(tenant_id: str, invoice_id: str) -> m.Invoice:
    """One invoice from Xero (no snapshot)."""
    return read_invoice(tenant_id, invoice_id, reads.LIVE).value


def invoice_from_json(record: dict[str, Any]) -> m.Invoice:
    """Our invoice from Xero's JSON of one (a live answer or a snapshot's data)."""
    answer = reads.xero_models("INVOICE", record)
    return mapping.invoice_from_xero(only(answer.invoices, "invoice"))


def create_invoice(
    tenant_id: str, data: m.InvoiceCreate, idempotency_key: str | None = None
) -> m.Invoice:
    api = accounting_api(tenant_id)
    body = xm.Invoices(invoices=[mapping.invoice_to_xero(data)])
    extra = idempotency(idempotency_key)
    # Xero marks the contact a customer (or supplier) once it has an invoice (or a bill).
    with fences.writing(tenant_id, [("CONTACT", data.contact_id)]):
        answer = xero_call(lambda: api.create_invoices(tenant_id, body, unitdp=UNITDP, **extra))
    return mapping.invoice_from_xero(only(answer.invoices, "invoice"))


def update_invoice(tenant_id: str, invoice_id: str, data: m.InvoiceUpdate) -> m.Invoice:
    contact_id = data.contact_id if "contact_id" in data.model_fields_set else None
    return _post(
        tenant_id, invoice_id, mapping.invoice_to_xero(data, invoice_id), contact_id=contact_id
    )


def void_invoice(tenant_id: str, invoice_id: str) -> m.Invoice:
    """Only an AUTHORISED invoice without payments can be voided (else Xero's 422)."""
    return _post(tenant_id, invoice_id, mapping.invoice_status(invoice_id, "VOIDED"))


def delete_invoice(tenant_id: str, invoice_id: str) -> m.Invoice:
    """Xero deletes only DRAFT and SUBMITTED invoices (status DELETED); others are a 422."""
    return _post(tenant_id, invoice_id, mapping.invoice_status(invoice_id, "DELETED"))


def email_invoice(tenant_id: str, invoice_id: str) -> None:
    """Xero emails an approved sales invoice to its contact (an email address is needed)."""
    api = accounting_api(tenant_id)
    with fences.writing(tenant_id, [("INVOICE", invoice_id)]):  # SentToContact changes
        xero_call(lambda: api.email_invoice(tenant_id, invoice_id, xm.RequestEmpty()))


def _post(
    tenant_id: str, invoice_id: str, invoice: xm.Invoice, contact_id: str | None = None
) -> m.Invoice:
    api = accounting_api(tenant_id)
    body = xm.Invoices(invoices=[invoice])
    with fences.writing(tenant_id, [("INVOICE", invoice_id), ("CONTACT", contact_id)]):
        answer = xero_call(lambda: api.update_invoice(tenant_id, invoice_id, body, unitdp=UNITDP))
    return mapping.invoice_from_xero(only(answer.invoices, "invoice"))
