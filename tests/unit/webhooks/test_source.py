"""XeroChangeSource: one list call per chunk with the IDs filter, amounts parsed as Decimal."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from xero_bridge.webhooks.source import XeroChangeSource, fetch_arguments

RAW = b'{"Invoices":[{"InvoiceID":"a","Total":1234.57,"AmountDue":0.10,"LineItems":[]}]}'


class RecordingApi:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str, dict[str, Any]]] = []

    def __getattr__(self, operation: str) -> Any:
        def call(tenant_id: str, **kwargs: Any) -> Any:
            self.calls.append((operation, tenant_id, kwargs))
            return SimpleNamespace(data=RAW)

        return call


def test_invoices_are_fetched_by_ids_with_full_records_and_exact_amounts():
    api, through_call = RecordingApi(), []

    def call(fn: Any) -> Any:
        through_call.append(fn)
        return fn()

    source = XeroChangeSource(api_for=lambda tenant: api, call=call)
    [invoice] = source.fetch("tenant-1", "INVOICE", ["a", "b"])
    assert api.calls == [
        (
            "get_invoices",
            "tenant-1",
            {"_preload_content": False, "i_ds": ["a", "b"], "page": 1, "unitdp": 4},
        )
    ]
    assert len(through_call) == 1  # through the shared client's error mapping
    assert invoice["Total"] == Decimal("1234.57") and isinstance(invoice["Total"], Decimal)
    assert str(invoice["AmountDue"]) == "0.10"


def test_contacts_include_archived_ones_and_credit_notes_use_a_where_clause():
    assert fetch_arguments("CONTACT", ["x"]) == {"i_ds": ["x"], "page": 1, "include_archived": True}
    where = fetch_arguments("CREDITNOTE", ["x", "y"])["where"]
    assert where == 'CreditNoteID==guid("x") OR CreditNoteID==guid("y")'


def test_a_connection_that_needs_reconnect_counts_as_none():
    from types import SimpleNamespace

    from xero_bridge.webhooks.source import XeroChangeSource

    connections = {
        "active": SimpleNamespace(status="active"),
        "stale": SimpleNamespace(status="needs_reconnect"),
    }
    source = XeroChangeSource(connection_of=connections.get)
    assert source.is_connected("active")
    assert not source.is_connected("stale")
    assert not source.is_connected("unknown")
