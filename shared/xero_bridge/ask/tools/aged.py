"""aged_receivables and aged_payables: what is owed, per contact and currency, in buckets
of days overdue, from the outstanding (AUTHORISED) invoices or bills."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import Field

from xero_bridge.ask.source import BooksSource, money
from xero_bridge.ask.tools.compact import Totals, add_to_totals, cents, contact_ref, rounded_totals
from xero_bridge.ask.tools.definition import Args, SourceRecord, ToolContext, ToolResult
from xero_bridge.ask.tools.invoices import OUTSTANDING, days_overdue, fetch_invoices

# (name, last day overdue in it); the last bucket is open-ended.
BUCKETS = (("current", 0), ("1_30", 30), ("31_60", 60), ("61_90", 90), ("over_90", None))
INVOICES_PER_CONTACT = 8  # the most overdue ones, as evidence


def _bucket(days: int) -> str:
    if days <= 0:
        return "current"
    for name, upper in BUCKETS[1:]:
        if upper is None or days <= upper:
            return name
    return "over_90"


class AgedArgs(Args):
    min_days_overdue: int = Field(
        0, ge=0, le=3650, description="only contacts owing amounts overdue by more than N days"
    )
    limit: int = Field(15, ge=1, le=50, description="how many contacts to list")


def _new_balance(contact: dict[str, Any], currency: str) -> dict[str, Any]:
    return {
        "contact": contact,
        "currency": currency,
        "buckets": {name: Decimal("0") for name, _ in BUCKETS},
        "total_due": Decimal("0"),
        "overdue_beyond_min_days": Decimal("0"),
        "oldest_days_overdue": 0,
        "invoices": [],
    }


def _balances(
    invoices: list[dict[str, Any]], min_days_overdue: int, today: date
) -> list[dict[str, Any]]:
    """One balance per (contact, currency) over the invoices with something due, unrounded."""
    per_contact: dict[str, dict[str, Any]] = {}
    for inv in invoices:
        due = money(inv.get("AmountDue"))
        if due <= 0:
            continue
        days = days_overdue(inv, today)
        contact = contact_ref(inv)
        currency = inv.get("CurrencyCode") or "?"
        entry = per_contact.setdefault(
            f"{contact['id']}|{currency}", _new_balance(contact, currency)
        )
        entry["buckets"][_bucket(days)] += due
        entry["total_due"] += due
        if days > min_days_overdue:
            entry["overdue_beyond_min_days"] += due
        entry["oldest_days_overdue"] = max(entry["oldest_days_overdue"], days)
        entry["invoices"].append(
            {
                "id": inv.get("InvoiceID"),
                "number": inv.get("InvoiceNumber"),
                "amount_due": cents(due),
                "days_overdue": days,
            }
        )
    return list(per_contact.values())


def _round_balance(entry: dict[str, Any]) -> None:
    """To the cent, with only the most overdue invoices kept (in place)."""
    entry["buckets"] = {k: cents(v) for k, v in entry["buckets"].items()}
    entry["total_due"] = cents(entry["total_due"])
    entry["overdue_beyond_min_days"] = cents(entry["overdue_beyond_min_days"])
    entry["invoices"].sort(key=lambda item: item["days_overdue"], reverse=True)
    entry["invoices"] = entry["invoices"][:INVOICES_PER_CONTACT]


def _aged(source: BooksSource, xero_type: str, args: AgedArgs, ctx: ToolContext) -> ToolResult:
    invoices, truncated = fetch_invoices(source, xero_type, OUTSTANDING, None, None, None)
    rows = [
        e
        for e in _balances(invoices, args.min_days_overdue, ctx.today)
        if args.min_days_overdue == 0 or e["overdue_beyond_min_days"] > 0
    ]
    totals: Totals = {}
    for e in rows:
        # Totals from the exact sums, before each balance is rounded.
        add_to_totals(
            totals,
            e["currency"],
            total_due=e["total_due"],
            overdue_beyond_min_days=e["overdue_beyond_min_days"],
        )
        _round_balance(e)
    rows.sort(key=lambda e: e["overdue_beyond_min_days"], reverse=True)
    shown = rows[: args.limit]
    kind = "bill" if xero_type == "ACCPAY" else "invoice"
    data = {
        "as_of": ctx.today,
        "basis": "outstanding (AUTHORISED) "
        + ("bills" if kind == "bill" else "sales invoices")
        + " by due date; buckets are days overdue",
        "min_days_overdue": args.min_days_overdue,
        "contacts": shown,
        "contacts_not_listed": len(rows) - len(shown),
        "totals_by_currency": rounded_totals(totals),
        "incomplete": truncated,
    }
    records = [
        SourceRecord(kind, str(i["id"]), i["number"])
        for e in shown
        for i in e["invoices"]
        if i["id"]
    ]
    return ToolResult(data, records)


def aged_receivables(source: BooksSource, args: AgedArgs, ctx: ToolContext) -> ToolResult:
    return _aged(source, "ACCREC", args, ctx)


def aged_payables(source: BooksSource, args: AgedArgs, ctx: ToolContext) -> ToolResult:
    return _aged(source, "ACCPAY", args, ctx)
