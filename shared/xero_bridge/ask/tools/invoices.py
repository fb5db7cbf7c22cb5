"""list_invoices and get_invoice: sales invoices (ACCREC) and bills (ACCPAY).

`fetch_invoices` and the per-invoice helpers are shared with the aged balances and the
computed profit and loss, which read the same invoices another way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any, Literal

from pydantic import Field

from xero_bridge.ask.source import BooksSource, InvoiceFilter, money
from xero_bridge.ask.tools.compact import (
    Totals,
    add_to_totals,
    cents,
    contact_ref,
    rounded_totals,
    short_text,
)
from xero_bridge.ask.tools.definition import (
    GUID,
    Args,
    DateRangeArgs,
    SourceRecord,
    ToolContext,
    ToolError,
    ToolResult,
)
from xero_bridge.ask.tools.reading import date_where, in_range, read_pages
from xero_bridge.xero.dates import parse_xero_date

InvoiceStatus = Literal["DRAFT", "SUBMITTED", "AUTHORISED", "PAID", "VOIDED"]
OUTSTANDING = ("AUTHORISED",)
LINE_ITEMS_SHOWN = 30  # of one invoice's lines


def invoice_kind(invoice: dict[str, Any]) -> str:
    """The SourceRecord type: a bill (ACCPAY) or an invoice (ACCREC)."""
    return "bill" if invoice.get("Type") == "ACCPAY" else "invoice"


def invoice_date(invoice: dict[str, Any]) -> date | None:
    return parse_xero_date(invoice.get("Date") or invoice.get("DateString"))


def due_date(invoice: dict[str, Any]) -> date | None:
    return parse_xero_date(invoice.get("DueDate") or invoice.get("DueDateString"))


def days_overdue(invoice: dict[str, Any], today: date) -> int:
    """Days past the due date of an unpaid invoice; 0 when paid, not yet due or undated."""
    due = due_date(invoice)
    if due is None or money(invoice.get("AmountDue")) <= 0:
        return 0
    return max(0, (today - due).days)


def fetch_invoices(
    source: BooksSource,
    xero_type: str,
    statuses: Iterable[str],
    contact_id: str | None,
    date_from: date | None,
    date_to: date | None,
    summary_only: bool = True,
) -> tuple[list[dict[str, Any]], bool]:
    """The invoices of one type matching the filters (never DELETED); True if truncated."""
    where = " AND ".join([f'Type=="{xero_type}"', *date_where("Date", date_from, date_to)])
    status_list = list(statuses)
    contact_ids = [contact_id] if contact_id else []
    items, truncated = read_pages(
        lambda page: source.invoices(
            InvoiceFilter(where, status_list, contact_ids, page=page, summary_only=summary_only)
        )
    )
    # Filter again here: the answer must hold even if a filter was not applied upstream.
    kept = [
        inv
        for inv in items
        if inv.get("Type") == xero_type
        and (not status_list or inv.get("Status") in status_list)
        and inv.get("Status") != "DELETED"
        and (not contact_id or (inv.get("Contact") or {}).get("ContactID") == contact_id)
        and in_range(invoice_date(inv), date_from, date_to)
    ]
    return kept, truncated


def invoice_summary(invoice: dict[str, Any], today: date) -> dict[str, Any]:
    summary = {
        "id": invoice.get("InvoiceID"),
        "number": invoice.get("InvoiceNumber"),
        "contact": contact_ref(invoice),
        "date": invoice_date(invoice),
        "due_date": due_date(invoice),
        "status": invoice.get("Status"),
        "currency": invoice.get("CurrencyCode"),
        "total": cents(money(invoice.get("Total"))),
        "amount_due": cents(money(invoice.get("AmountDue"))),
        "amount_paid": cents(money(invoice.get("AmountPaid"))),
        "days_overdue": days_overdue(invoice, today),
    }
    reference = short_text(invoice.get("Reference"))
    if reference:
        summary["reference"] = reference
    return summary


# ---------------------------------------------------------------- list_invoices


class ListInvoicesArgs(DateRangeArgs):
    kind: Literal["sales", "bills"] = Field(
        "sales", description="sales: invoices to customers (ACCREC); bills: from suppliers"
    )
    statuses: list[InvoiceStatus] | None = Field(
        None, description="only these statuses (default: all but DELETED)"
    )
    contact_id: str | None = Field(None, pattern=GUID, description="only this contact")
    overdue_by_more_than_days: int | None = Field(
        None, ge=0, le=3650, description="only unpaid ones whose due date passed over N days ago"
    )
    sort_by: Literal["amount_due", "total", "date", "days_overdue"] = "amount_due"
    limit: int = Field(15, ge=1, le=50, description="how many to list (totals cover all)")


def _matching_invoices(
    source: BooksSource, xero_type: str, args: ListInvoicesArgs, today: date
) -> tuple[list[dict[str, Any]], bool]:
    statuses: list[str] = list(args.statuses or [])
    overdue_by = args.overdue_by_more_than_days
    if overdue_by is not None and not statuses:
        statuses = list(OUTSTANDING)  # "overdue" means unpaid, unless told otherwise
    invoices, truncated = fetch_invoices(
        source, xero_type, statuses, args.contact_id, args.date_from, args.date_to
    )
    if overdue_by is not None:
        invoices = [
            inv
            for inv in invoices
            if money(inv.get("AmountDue")) > 0 and days_overdue(inv, today) > overdue_by
        ]
    return invoices, truncated


def list_invoices(source: BooksSource, args: ListInvoicesArgs, ctx: ToolContext) -> ToolResult:
    xero_type = "ACCREC" if args.kind == "sales" else "ACCPAY"
    invoices, truncated = _matching_invoices(source, xero_type, args, ctx.today)
    summaries = [invoice_summary(inv, ctx.today) for inv in invoices]
    totals: Totals = {}
    by_status: dict[str, int] = defaultdict(int)
    for item in summaries:
        add_to_totals(
            totals,
            item["currency"] or "?",
            total=item["total"],
            amount_due=item["amount_due"],
            amount_paid=item["amount_paid"],
        )
        by_status[item["status"] or "?"] += 1
    key = args.sort_by
    summaries.sort(key=lambda item: (item[key] is None, item[key] or 0), reverse=True)
    shown = summaries[: args.limit]
    kind = "bill" if xero_type == "ACCPAY" else "invoice"
    data = {
        "kind": args.kind,
        "count": len(summaries),
        "count_by_status": dict(by_status),
        "totals_by_currency": rounded_totals(totals),
        "items": shown,
        "not_listed": len(summaries) - len(shown),
        "incomplete": truncated,
    }
    records = [SourceRecord(kind, str(item["id"]), item["number"]) for item in shown if item["id"]]
    return ToolResult(data, records)


# ---------------------------------------------------------------- get_invoice


class GetInvoiceArgs(Args):
    invoice_id: str = Field(..., pattern=GUID, description="the InvoiceID of an invoice or bill")


def _line_item(line: dict[str, Any]) -> dict[str, Any]:
    return {
        "description": short_text(line.get("Description")),
        "quantity": money(line.get("Quantity")),
        "unit_amount": money(line.get("UnitAmount")),
        "account_code": line.get("AccountCode"),
        "line_amount": cents(money(line.get("LineAmount"))),
    }


def get_invoice(source: BooksSource, args: GetInvoiceArgs, ctx: ToolContext) -> ToolResult:
    found = source.invoices(InvoiceFilter(ids=[args.invoice_id], summary_only=False))
    invoice = next((inv for inv in found if inv.get("InvoiceID") == args.invoice_id), None)
    if invoice is None:
        raise ToolError(f"no invoice or bill with id {args.invoice_id}")
    data = invoice_summary(invoice, ctx.today)
    data["type"] = invoice_kind(invoice)
    lines = (invoice.get("LineItems") or [])[:LINE_ITEMS_SHOWN]
    data["line_items"] = [_line_item(line) for line in lines]
    data["sub_total"] = cents(money(invoice.get("SubTotal")))
    data["total_tax"] = cents(money(invoice.get("TotalTax")))
    record = SourceRecord(data["type"], args.invoice_id, invoice.get("InvoiceNumber"))
    return ToolResult(data, [record])
