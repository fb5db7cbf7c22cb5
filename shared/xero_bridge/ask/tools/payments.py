"""list_payments: payments received from customers and made to suppliers in a date range."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import Field

from xero_bridge.ask.source import BooksSource, money
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
    DateRangeArgs,
    SourceRecord,
    ToolContext,
    ToolResult,
)
from xero_bridge.ask.tools.reading import date_where, in_range, read_pages
from xero_bridge.xero.dates import parse_xero_date


class ListPaymentsArgs(DateRangeArgs):
    kind: Literal["received", "made", "any"] = Field(
        "any", description="received: from customers; made: to suppliers"
    )
    contact_id: str | None = Field(None, pattern=GUID)
    limit: int = Field(15, ge=1, le=50)


def _payment_row(payment: dict[str, Any], received: bool) -> dict[str, Any]:
    """The payment as the model sees it, in its invoice's currency and with its contact."""
    invoice = payment.get("Invoice") or {}
    row = {
        "id": payment.get("PaymentID"),
        "date": parse_xero_date(payment.get("Date")),
        "amount": cents(money(payment.get("Amount"))),
        "currency": invoice.get("CurrencyCode") or "?",
        "direction": "received" if received else "made",
        "invoice": {"id": invoice.get("InvoiceID"), "number": invoice.get("InvoiceNumber")},
        "contact": contact_ref(invoice),
    }
    reference = short_text(payment.get("Reference"))
    if reference:
        row["reference"] = reference
    return row


def _is_received(payment: dict[str, Any]) -> bool:
    invoice = payment.get("Invoice") or {}
    return invoice.get("Type") == "ACCREC" or payment.get("PaymentType") == "ACCRECPAYMENT"


def _wanted(payment: dict[str, Any], received: bool, args: ListPaymentsArgs) -> bool:
    if args.kind == "received" and not received:
        return False
    if args.kind == "made" and received:
        return False
    day = parse_xero_date(payment.get("Date"))
    if not in_range(day, args.date_from, args.date_to) or payment.get("Status") == "DELETED":
        return False
    contact_id = contact_ref(payment.get("Invoice") or {})["id"]
    return not (args.contact_id and contact_id != args.contact_id)


def list_payments(source: BooksSource, args: ListPaymentsArgs, ctx: ToolContext) -> ToolResult:
    where = " AND ".join(date_where("Date", args.date_from, args.date_to)) or None
    payments, truncated = read_pages(lambda page: source.payments(where=where, page=page))
    rows = []
    totals: Totals = {}
    for payment in payments:
        received = _is_received(payment)
        if not _wanted(payment, received, args):
            continue
        row = _payment_row(payment, received)
        add_to_totals(
            totals,
            row["currency"],
            received=row["amount"] if received else Decimal("0"),
            made=Decimal("0") if received else row["amount"],
        )
        rows.append(row)
    rows.sort(key=lambda r: (r["date"] is None, r["date"] or date.min), reverse=True)
    shown = rows[: args.limit]
    data = {
        "count": len(rows),
        "totals_by_currency": rounded_totals(totals),
        "payments": shown,
        "not_listed": len(rows) - len(shown),
        "incomplete": truncated,
    }
    return ToolResult(data, [SourceRecord("payment", str(r["id"]), None) for r in shown])
