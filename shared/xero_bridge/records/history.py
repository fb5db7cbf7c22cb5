"""History and notes of a record (a note is a history entry a person writes)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from xero_bridge.records import mapping
from xero_bridge.records import models as m
from xero_bridge.xero.client import accounting_api, xero_call

# Xero keeps history for these of our kinds (accounts have none).
HistoryKind = Literal["contacts", "invoices", "items"]

_GET: dict[str, str] = {
    "contacts": "get_contact_history",
    "invoices": "get_invoice_history",
    "items": "get_item_history",
}
_ADD: dict[str, str] = {
    "contacts": "create_contact_history",
    "invoices": "create_invoice_history",
    "items": "create_item_history",
}


def _method(tenant_id: str, table: dict[str, str], kind: str) -> Callable[..., Any]:
    return getattr(accounting_api(tenant_id), table[kind])


def get_history(tenant_id: str, kind: HistoryKind, record_id: str) -> m.HistoryList:
    fetch = _method(tenant_id, _GET, kind)
    answer = xero_call(lambda: fetch(tenant_id, record_id))
    records = [mapping.history_from_xero(r) for r in (answer.history_records or [])]
    return m.HistoryList(history=records)


def add_note(
    tenant_id: str, kind: HistoryKind, record_id: str, note: m.NoteCreate
) -> m.HistoryList:
    add = _method(tenant_id, _ADD, kind)
    body = mapping.note_to_xero(note)
    answer = xero_call(lambda: add(tenant_id, record_id, body))
    records = [mapping.history_from_xero(r) for r in (answer.history_records or [])]
    return m.HistoryList(history=records)
