"""The BooksSource over the live Accounting API, through the shared Xero client — read only.

`read_only(api)` gives the tools a copy of the AccountingApi whose API client refuses every
method but GET before anything is sent, and `XeroBooksSource` itself only calls `get_*`
operations. Responses are read raw and parsed with Decimal, so no amount ever passes
through a binary float (xero-python's models would make floats of them).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from xero_bridge.ask.source import InvoiceFilter, ReportName
from xero_bridge.errors import ForbiddenError, NotFoundError
from xero_bridge.xero.answer_json import answer_object


def _refuse_unless_get(method: str) -> None:
    if str(method).upper() != "GET":
        raise ForbiddenError(f"the ask tools are read-only: {method} is not allowed")


class ReadOnlyApiClient:
    """Wraps xero-python's ApiClient: `call_api` refuses non-GET methods; the rest delegates."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def call_api(self, resource_path: str, method: str, *args: Any, **kwargs: Any) -> Any:
        _refuse_unless_get(method)
        return self._inner.call_api(resource_path, method, *args, **kwargs)

    def request(self, method: str, *args: Any, **kwargs: Any) -> Any:
        _refuse_unless_get(method)
        return self._inner.request(method, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def read_only(api: Any) -> Any:
    """A shallow copy of an AccountingApi whose client can only GET (the original is untouched)."""
    guarded = copy.copy(api)
    guarded.api_client = ReadOnlyApiClient(api.api_client)
    return guarded


def _decode(result: Any) -> dict[str, Any]:
    """A raw response's JSON with Decimal numbers (or a model, serialised as a fallback)."""
    decoded = answer_object(result)
    if decoded is not None:
        return decoded
    from xero_python.api_client.serializer import serialize

    serialised = serialize(result)
    return json.loads(json.dumps(serialised), parse_float=Decimal)


def _iso(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


class XeroBooksSource:
    """BooksSource for one tenant over a (read-only) AccountingApi."""

    def __init__(
        self,
        tenant_id: str,
        api: Any,
        call: Callable[[Callable[[], Any]], Any] | None = None,
    ) -> None:
        self.tenant_id = tenant_id
        self.api = read_only(api)
        self._call = call or (lambda fn: fn())

    def _get(self, operation: str, **kwargs: Any) -> dict[str, Any]:
        if not operation.startswith("get_"):
            raise ForbiddenError("the ask tools are read-only")
        method = getattr(self.api, operation)
        clean = {k: v for k, v in kwargs.items() if v not in (None, [], ())}
        result = self._call(lambda: method(self.tenant_id, _preload_content=False, **clean))
        return _decode(result)

    def organisation(self) -> dict[str, Any]:
        organisations = self._get("get_organisations").get("Organisations") or [{}]
        return dict(organisations[0])

    def invoices(self, wanted: InvoiceFilter) -> list[dict[str, Any]]:
        body = self._get(
            "get_invoices",
            where=wanted.where,
            statuses=list(wanted.statuses),
            contact_i_ds=list(wanted.contact_ids),
            i_ds=list(wanted.ids),
            page=wanted.page,
            summary_only=wanted.summary_only if not wanted.ids else None,
        )
        return list(body.get("Invoices") or [])

    def contacts(
        self, *, search_term: str | None = None, ids: Sequence[str] = (), page: int = 1
    ) -> list[dict[str, Any]]:
        body = self._get(
            "get_contacts", search_term=search_term, i_ds=list(ids), page=page, summary_only=True
        )
        return list(body.get("Contacts") or [])

    def payments(self, *, where: str | None = None, page: int = 1) -> list[dict[str, Any]]:
        return list(self._get("get_payments", where=where, page=page).get("Payments") or [])

    def accounts(self, *, where: str | None = None) -> list[dict[str, Any]]:
        return list(self._get("get_accounts", where=where).get("Accounts") or [])

    def report(self, name: ReportName, params: dict[str, str]) -> dict[str, Any] | None:
        operation, kwargs = {
            "ProfitAndLoss": (
                "get_report_profit_and_loss",
                {"from_date": _iso(params.get("fromDate")), "to_date": _iso(params.get("toDate"))},
            ),
            "BalanceSheet": ("get_report_balance_sheet", {"date": _iso(params.get("date"))}),
            "BankSummary": (
                "get_report_bank_summary",
                {"from_date": _iso(params.get("fromDate")), "to_date": _iso(params.get("toDate"))},
            ),
        }[name]
        try:
            body = self._get(operation, **kwargs)
        except NotFoundError:
            return None  # the organisation (or the simulator) has no such report
        reports = body.get("Reports") or []
        return dict(reports[0]) if reports else None
