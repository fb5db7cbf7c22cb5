"""profit_and_loss: income, expenses and net profit for a period, optionally against another.

From Xero's Profit and Loss report when the organisation has it (for every period asked);
otherwise computed from approved sales invoices and bills by account, with the contacts
behind each account's amount, or behind its change, so "why did expenses rise?" has an
answer either way.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import Field, model_validator

from xero_bridge.ask.source import BooksSource, money
from xero_bridge.ask.tools.compact import cents, contact_ref, short_text
from xero_bridge.ask.tools.definition import Args, SourceRecord, ToolContext, ToolResult
from xero_bridge.ask.tools.invoices import fetch_invoices, invoice_kind
from xero_bridge.ask.tools.reports import flatten_report, report_records

ACCOUNTS_SHOWN = 25
RECORDS_CITED = 60
CONTACTS_PER_ACCOUNT = 3

Period = tuple[date, date]
# Per account code: {account_code, account, class, amount, by_contact: {name: amount}}
AccountAmounts = dict[str, dict[str, Any]]


class ProfitAndLossArgs(Args):
    date_from: date = Field(..., description="first day of the period (YYYY-MM-DD)")
    date_to: date = Field(..., description="last day of the period (YYYY-MM-DD)")
    compare_date_from: date | None = Field(None, description="first day of a period to compare")
    compare_date_to: date | None = Field(None, description="last day of the period to compare")

    @model_validator(mode="after")
    def _check(self) -> ProfitAndLossArgs:
        if self.date_from > self.date_to:
            raise ValueError("date_from is after date_to")
        if (self.compare_date_from is None) != (self.compare_date_to is None):
            raise ValueError("give both compare_date_from and compare_date_to, or neither")
        if (
            self.compare_date_from
            and self.compare_date_to
            and (self.compare_date_from > self.compare_date_to)
        ):
            raise ValueError("compare_date_from is after compare_date_to")
        return self


def profit_and_loss(source: BooksSource, args: ProfitAndLossArgs, ctx: ToolContext) -> ToolResult:
    periods = [(args.date_from, args.date_to)]
    if args.compare_date_from and args.compare_date_to:
        periods.append((args.compare_date_from, args.compare_date_to))
    reports = _reports(source, periods)
    if reports is not None:
        return _from_reports(args, periods, reports)
    return _computed_from_invoices(source, args, periods)


# ---------------------------------------------------------------- from the report


def _reports(source: BooksSource, periods: list[Period]) -> list[dict[str, Any]] | None:
    """The report of every period, or None as soon as one is not available."""
    reports = []
    for start, end in periods:
        report = source.report(
            "ProfitAndLoss", {"fromDate": start.isoformat(), "toDate": end.isoformat()}
        )
        if report is None:
            return None
        reports.append(report)
    return reports


def _from_reports(
    args: ProfitAndLossArgs, periods: list[Period], reports: list[dict[str, Any]]
) -> ToolResult:
    data: dict[str, Any] = {"basis": "Xero Profit and Loss report"}
    records: list[SourceRecord] = []
    for (start, end), report in zip(periods, reports, strict=True):
        key = "period" if start == args.date_from and end == args.date_to else "compare"
        data[key] = {"from": start, "to": end, **flatten_report(report)}
        records += report_records("ProfitAndLoss", report, f"Profit and Loss {start}..{end}")
    return ToolResult(data, records)


# ---------------------------------------------------------------- computed from invoices


def _amounts_by_account(
    source: BooksSource, period: Period, names: dict[str, dict[str, Any]]
) -> tuple[AccountAmounts, list[SourceRecord]]:
    """Amounts per account code from approved invoices and bills dated in the period."""
    per_account: AccountAmounts = {}
    records = []
    for xero_type in ("ACCREC", "ACCPAY"):
        invoices, _ = fetch_invoices(
            source, xero_type, ("AUTHORISED", "PAID"), None, *period, summary_only=False
        )
        for inv in invoices:
            records.append(
                SourceRecord(invoice_kind(inv), str(inv.get("InvoiceID")), inv.get("InvoiceNumber"))
            )
            contact = contact_ref(inv)["name"] or "?"
            for line in inv.get("LineItems") or []:
                code = str(line.get("AccountCode") or "?")
                account = names.get(code, {})
                entry = per_account.setdefault(
                    code,
                    {
                        "account_code": code,
                        "account": short_text(account.get("Name")) or code,
                        "class": account.get("Class")
                        or ("REVENUE" if xero_type == "ACCREC" else "EXPENSE"),
                        "amount": Decimal("0"),
                        "by_contact": defaultdict(Decimal),
                    },
                )
                amount = money(line.get("LineAmount"))
                entry["amount"] += amount
                entry["by_contact"][contact] += amount
    return per_account, records


def _period_totals(per_account: AccountAmounts) -> dict[str, Any]:
    income = sum(
        (e["amount"] for e in per_account.values() if e["class"] == "REVENUE"), Decimal("0")
    )
    expenses = sum(
        (e["amount"] for e in per_account.values() if e["class"] != "REVENUE"), Decimal("0")
    )
    return {
        "income": cents(income),
        "expenses": cents(expenses),
        "net_profit": cents(income - expenses),
    }


def _changes_by_contact(
    now: dict[str, Any] | None, before: dict[str, Any] | None
) -> list[dict[str, Any]]:
    """The contacts whose amounts on an account changed most between the periods."""
    contacts_now = now["by_contact"] if now else {}
    contacts_before = before["by_contact"] if before else {}
    changes = {
        name: contacts_now.get(name, Decimal("0")) - contacts_before.get(name, Decimal("0"))
        for name in set(contacts_now) | set(contacts_before)
    }
    top = sorted(changes.items(), key=lambda kv: abs(kv[1]), reverse=True)[:CONTACTS_PER_ACCOUNT]
    return [{"contact": name, "change": cents(delta)} for name, delta in top if delta]


def _account_line(
    code: str, now: dict[str, Any] | None, before: dict[str, Any] | None, comparing: bool
) -> dict[str, Any]:
    entry = now or before or {}
    amount = now["amount"] if now else Decimal("0")
    line: dict[str, Any] = {
        "account_code": code,
        "account": entry.get("account"),
        "class": entry.get("class"),
        "amount": cents(amount),
    }
    if comparing:
        prior = before["amount"] if before else Decimal("0")
        line["compare_amount"] = cents(prior)
        line["change"] = cents(amount - prior)
        line["biggest_changes_by_contact"] = _changes_by_contact(now, before)
    else:
        top_now = sorted(
            (now or {}).get("by_contact", {}).items(), key=lambda kv: kv[1], reverse=True
        )[:CONTACTS_PER_ACCOUNT]
        line["top_contacts"] = [{"contact": n, "amount": cents(v)} for n, v in top_now]
    return line


def _computed_from_invoices(
    source: BooksSource, args: ProfitAndLossArgs, periods: list[Period]
) -> ToolResult:
    names = {str(a.get("Code")): a for a in source.accounts() if a.get("Code")}
    results = []
    all_records: list[SourceRecord] = []
    for period in periods:
        per_account, records = _amounts_by_account(source, period, names)
        results.append(per_account)
        all_records += records
    current = results[0]
    previous = results[1] if len(results) > 1 else None
    comparing = previous is not None
    lines = [
        _account_line(code, current.get(code), (previous or {}).get(code), comparing)
        for code in sorted(set(current) | set(previous or {}))
    ]
    if comparing:
        lines.sort(key=lambda item: abs(item["change"]), reverse=True)
    else:
        lines.sort(key=lambda item: item["amount"], reverse=True)
    data: dict[str, Any] = {
        "basis": "computed from approved sales invoices and bills by account (the report is "
        "not available; bank transactions and journals are not included)",
        "period": {"from": args.date_from, "to": args.date_to, **_period_totals(current)},
        "accounts": lines[:ACCOUNTS_SHOWN],
    }
    if previous is not None:
        data["compare"] = {
            "from": args.compare_date_from,
            "to": args.compare_date_to,
            **_period_totals(previous),
        }
    return ToolResult(data, all_records[:RECORDS_CITED])
