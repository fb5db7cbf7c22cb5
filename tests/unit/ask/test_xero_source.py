"""XeroBooksSource over a stand-in AccountingApi: read-only client, Decimal parsing, 404s."""

from decimal import Decimal
from typing import Any

import pytest

from xero_bridge.ask.source import InvoiceFilter
from xero_bridge.ask.xero_source import XeroBooksSource, read_only
from xero_bridge.errors import ForbiddenError, NotFoundError


class Raw:
    def __init__(self, body: str) -> None:
        self.data = body.encode()


class ApiClient:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str, dict[str, Any]]] = []

    def call_api(self, path: str, method: str, **kwargs: Any) -> Any:
        self.sent.append((path, method, kwargs))
        if path == "/Reports/BalanceSheet":
            raise NotFoundError("no such report")
        return Raw('{"Invoices": [{"InvoiceID": "x", "Total": 0.1, "AmountDue": 1234567.89}]}')


class AccountingApi:
    """Shaped like xero-python's: operations call self.api_client.call_api(path, method)."""

    def __init__(self) -> None:
        self.api_client = ApiClient()

    def get_invoices(self, tenant: str, **kwargs: Any) -> Any:
        return self.api_client.call_api("/Invoices", "GET", tenant=tenant, **kwargs)

    def get_report_balance_sheet(self, tenant: str, **kwargs: Any) -> Any:
        return self.api_client.call_api("/Reports/BalanceSheet", "GET", **kwargs)

    def create_payment(self, tenant: str, payment: Any) -> Any:
        return self.api_client.call_api("/Payments", "PUT", body=payment)


def test_reads_raw_json_with_decimal_amounts_through_the_call_wrapper() -> None:
    api = AccountingApi()
    wrapped: list[str] = []

    def call(fn: Any) -> Any:
        wrapped.append("call")
        return fn()

    source = XeroBooksSource("tenant-1", api, call=call)
    [invoice] = source.invoices(InvoiceFilter(statuses=["AUTHORISED"], page=2))
    assert invoice["Total"] == Decimal("0.1") and isinstance(invoice["AmountDue"], Decimal)
    path, method, kwargs = api.api_client.sent[0]
    assert (path, method, kwargs["tenant"]) == ("/Invoices", "GET", "tenant-1")
    assert kwargs["statuses"] == ["AUTHORISED"] and kwargs["page"] == 2
    assert kwargs["_preload_content"] is False and "contact_i_ds" not in kwargs
    assert wrapped == ["call"]


def test_the_client_the_tools_use_refuses_writes_and_leaves_the_original_alone() -> None:
    api = AccountingApi()
    guarded = read_only(api)
    with pytest.raises(ForbiddenError):
        guarded.create_payment("tenant-1", {"Amount": "9999.00"})
    assert api.api_client.sent == []
    # The shared client itself is not changed: other functions may still write with it.
    assert type(api.api_client) is ApiClient
    with pytest.raises(ForbiddenError):
        XeroBooksSource("t", api)._get("create_payment")


def test_a_missing_report_is_none() -> None:
    assert (
        XeroBooksSource("t", AccountingApi()).report("BalanceSheet", {"date": "2024-03-31"}) is None
    )
