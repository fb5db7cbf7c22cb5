"""The read-only tools the model may call: small typed functions over a BooksSource.

Each tool has a pydantic arguments model (its JSON schema is what the model sees) and
returns a ToolResult: a compact summary with totals and ids — never a raw dump — and the
records it read (the answer's `sources`). Amounts are Decimal (sent as strings).

There is no tool that writes, and the registry is closed: `TOOLS` is the whole list.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from xero_bridge.ask.source import BooksSource, money, xero_datetime
from xero_bridge.xero.dates import parse_xero_date

MAX_PAGES = 5  # at most 500 invoices/payments/contacts per tool call (5 Xero calls)
TEXT_LIMIT = 160  # characters of any free text (descriptions, references) sent to the model
CENT = Decimal("0.01")
GUID = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"


class ToolError(Exception):
    """A tool could not answer (bad arguments, data unavailable): told to the model."""


@dataclass(frozen=True)
class SourceRecord:
    type: str  # organisation | invoice | bill | contact | payment | account | report
    id: str
    label: str | None = None

    def as_dict(self) -> dict[str, str]:
        out = {"type": self.type, "id": self.id}
        if self.label:
            out["label"] = self.label
        return out


@dataclass
class ToolResult:
    data: dict[str, Any]
    records: list[SourceRecord] = field(default_factory=list)


@dataclass(frozen=True)
class ToolContext:
    today: date


class Args(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass(frozen=True)
class Tool:
    name: str
    description: str
    args: type[Args]
    run: Callable[[BooksSource, Any, ToolContext], ToolResult]

    def schema(self) -> dict[str, Any]:
        """The OpenAI `tools` entry (type function) for this tool."""
        return {
            "type": "function",
            "function": {
                "name": self.name,
                "description": self.description,
                "parameters": _clean_schema(self.args.model_json_schema()),
            },
        }


def _clean_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """Drop pydantic's titles (noise in the prompt); keep types, enums, bounds, descriptions."""

    def clean(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: clean(v) for k, v in node.items() if k != "title"}
        if isinstance(node, list):
            return [clean(item) for item in node]
        return node

    cleaned: dict[str, Any] = clean(schema)
    cleaned.setdefault("properties", {})
    cleaned["additionalProperties"] = False
    return cleaned


# ---------------------------------------------------------------- helpers


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT)


def _text(value: Any) -> str | None:
    if value in (None, ""):
        return None
    text = re.sub(r"\s+", " ", str(value)).strip()
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1] + "…"


def _paged(fetch: Callable[[int], list[dict[str, Any]]]) -> tuple[list[dict[str, Any]], bool]:
    """Every page up to MAX_PAGES; True when more pages were left unread."""
    items: list[dict[str, Any]] = []
    for page in range(1, MAX_PAGES + 1):
        batch = fetch(page)
        items.extend(batch)
        if len(batch) < 100:
            return items, False
    return items, True


def _invoice_kind(invoice: dict[str, Any]) -> str:
    return "bill" if invoice.get("Type") == "ACCPAY" else "invoice"


def _contact(item: dict[str, Any]) -> dict[str, Any]:
    contact = item.get("Contact") or {}
    return {"id": contact.get("ContactID"), "name": _text(contact.get("Name"))}


def _days_overdue(invoice: dict[str, Any], today: date) -> int:
    due = parse_xero_date(invoice.get("DueDate") or invoice.get("DueDateString"))
    if due is None or money(invoice.get("AmountDue")) <= 0:
        return 0
    return max(0, (today - due).days)


def _add(totals: dict[str, dict[str, Decimal]], currency: str, **amounts: Decimal) -> None:
    bucket = totals.setdefault(currency, {})
    for key, amount in amounts.items():
        bucket[key] = bucket.get(key, Decimal("0")) + amount


def _rounded(totals: dict[str, dict[str, Decimal]]) -> dict[str, dict[str, Decimal]]:
    return {cur: {k: _cents(v) for k, v in sums.items()} for cur, sums in totals.items()}


def _date_where(field_name: str, date_from: date | None, date_to: date | None) -> list[str]:
    clauses = []
    if date_from:
        clauses.append(f"{field_name}>={xero_datetime(date_from)}")
    if date_to:
        clauses.append(f"{field_name}<={xero_datetime(date_to)}")
    return clauses


def _in_range(day: date | None, date_from: date | None, date_to: date | None) -> bool:
    if day is None:
        return date_from is None and date_to is None
    return (date_from is None or day >= date_from) and (date_to is None or day <= date_to)


class _DateRange(Args):
    date_from: date | None = Field(None, description="first day, inclusive (YYYY-MM-DD)")
    date_to: date | None = Field(None, description="last day, inclusive (YYYY-MM-DD)")

    @model_validator(mode="after")
    def _ordered(self) -> _DateRange:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError("date_from is after date_to")
        return self


# ---------------------------------------------------------------- organisation


class NoArgs(Args):
    pass


def get_organisation(source: BooksSource, args: NoArgs, ctx: ToolContext) -> ToolResult:
    org = source.organisation()
    fy_day, fy_month = org.get("FinancialYearEndDay"), org.get("FinancialYearEndMonth")
    data = {
        "name": _text(org.get("Name")),
        "base_currency": org.get("BaseCurrency"),
        "country": org.get("CountryCode"),
        "organisation_type": org.get("OrganisationType"),
        "financial_year_end": f"{fy_day}/{fy_month} (day/month)" if fy_day and fy_month else None,
        "timezone": org.get("Timezone"),
        "today": ctx.today,
    }
    org_id = str(org.get("OrganisationID") or "organisation")
    return ToolResult(data, [SourceRecord("organisation", org_id, _text(org.get("Name")))])


# ---------------------------------------------------------------- invoices and bills

InvoiceStatus = Literal["DRAFT", "SUBMITTED", "AUTHORISED", "PAID", "VOIDED"]
OUTSTANDING = ("AUTHORISED",)


class ListInvoicesArgs(_DateRange):
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


def _invoice_summary(invoice: dict[str, Any], today: date) -> dict[str, Any]:
    summary = {
        "id": invoice.get("InvoiceID"),
        "number": invoice.get("InvoiceNumber"),
        "contact": _contact(invoice),
        "date": parse_xero_date(invoice.get("Date") or invoice.get("DateString")),
        "due_date": parse_xero_date(invoice.get("DueDate") or invoice.get("DueDateString")),
        "status": invoice.get("Status"),
        "currency": invoice.get("CurrencyCode"),
        "total": _cents(money(invoice.get("Total"))),
        "amount_due": _cents(money(invoice.get("AmountDue"))),
        "amount_paid": _cents(money(invoice.get("AmountPaid"))),
        "days_overdue": _days_overdue(invoice, today),
    }
    reference = _text(invoice.get("Reference"))
    if reference:
        summary["reference"] = reference
    return summary


def _fetch_invoices(
    source: BooksSource,
    xero_type: str,
    statuses: Iterable[str],
    contact_id: str | None,
    date_from: date | None,
    date_to: date | None,
    summary_only: bool = True,
) -> tuple[list[dict[str, Any]], bool]:
    where = " AND ".join([f'Type=="{xero_type}"', *_date_where("Date", date_from, date_to)])
    status_list = list(statuses)
    contact_ids = [contact_id] if contact_id else []
    items, truncated = _paged(
        lambda page: source.invoices(
            where=where,
            statuses=status_list,
            contact_ids=contact_ids,
            page=page,
            summary_only=summary_only,
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
        and _in_range(parse_xero_date(inv.get("Date") or inv.get("DateString")), date_from, date_to)
    ]
    return kept, truncated


def list_invoices(source: BooksSource, args: ListInvoicesArgs, ctx: ToolContext) -> ToolResult:
    xero_type = "ACCREC" if args.kind == "sales" else "ACCPAY"
    statuses: list[str] = list(args.statuses or [])
    if args.overdue_by_more_than_days is not None and not statuses:
        statuses = list(OUTSTANDING)
    invoices, truncated = _fetch_invoices(
        source, xero_type, statuses, args.contact_id, args.date_from, args.date_to
    )
    if args.overdue_by_more_than_days is not None:
        invoices = [
            inv
            for inv in invoices
            if money(inv.get("AmountDue")) > 0
            and _days_overdue(inv, ctx.today) > args.overdue_by_more_than_days
        ]
    summaries = [_invoice_summary(inv, ctx.today) for inv in invoices]
    totals: dict[str, dict[str, Decimal]] = {}
    by_status: dict[str, int] = defaultdict(int)
    for item in summaries:
        _add(
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
        "totals_by_currency": _rounded(totals),
        "items": shown,
        "not_listed": len(summaries) - len(shown),
        "incomplete": truncated,
    }
    records = [SourceRecord(kind, str(item["id"]), item["number"]) for item in shown if item["id"]]
    return ToolResult(data, records)


class GetInvoiceArgs(Args):
    invoice_id: str = Field(..., pattern=GUID, description="the InvoiceID of an invoice or bill")


def get_invoice(source: BooksSource, args: GetInvoiceArgs, ctx: ToolContext) -> ToolResult:
    found = source.invoices(ids=[args.invoice_id], summary_only=False)
    invoice = next((inv for inv in found if inv.get("InvoiceID") == args.invoice_id), None)
    if invoice is None:
        raise ToolError(f"no invoice or bill with id {args.invoice_id}")
    data = _invoice_summary(invoice, ctx.today)
    data["type"] = _invoice_kind(invoice)
    lines = []
    for line in (invoice.get("LineItems") or [])[:30]:
        lines.append(
            {
                "description": _text(line.get("Description")),
                "quantity": money(line.get("Quantity")),
                "unit_amount": money(line.get("UnitAmount")),
                "account_code": line.get("AccountCode"),
                "line_amount": _cents(money(line.get("LineAmount"))),
            }
        )
    data["line_items"] = lines
    data["sub_total"] = _cents(money(invoice.get("SubTotal")))
    data["total_tax"] = _cents(money(invoice.get("TotalTax")))
    record = SourceRecord(data["type"], args.invoice_id, invoice.get("InvoiceNumber"))
    return ToolResult(data, [record])


# ---------------------------------------------------------------- aged receivables/payables

_BUCKETS = (("current", 0), ("1_30", 30), ("31_60", 60), ("61_90", 90), ("over_90", None))


def _bucket(days: int) -> str:
    if days <= 0:
        return "current"
    for name, upper in _BUCKETS[1:]:
        if upper is None or days <= upper:
            return name
    return "over_90"


class AgedArgs(Args):
    min_days_overdue: int = Field(
        0, ge=0, le=3650, description="only contacts owing amounts overdue by more than N days"
    )
    limit: int = Field(15, ge=1, le=50, description="how many contacts to list")


def _aged(source: BooksSource, xero_type: str, args: AgedArgs, ctx: ToolContext) -> ToolResult:
    invoices, truncated = _fetch_invoices(source, xero_type, OUTSTANDING, None, None, None)
    per_contact: dict[str, dict[str, Any]] = {}
    totals: dict[str, dict[str, Decimal]] = {}
    for inv in invoices:
        due = money(inv.get("AmountDue"))
        if due <= 0:
            continue
        days = _days_overdue(inv, ctx.today)
        contact = _contact(inv)
        currency = inv.get("CurrencyCode") or "?"
        entry = per_contact.setdefault(
            f"{contact['id']}|{currency}",
            {
                "contact": contact,
                "currency": currency,
                "buckets": {name: Decimal("0") for name, _ in _BUCKETS},
                "total_due": Decimal("0"),
                "overdue_beyond_min_days": Decimal("0"),
                "oldest_days_overdue": 0,
                "invoices": [],
            },
        )
        entry["buckets"][_bucket(days)] += due
        entry["total_due"] += due
        if days > args.min_days_overdue:
            entry["overdue_beyond_min_days"] += due
        entry["oldest_days_overdue"] = max(entry["oldest_days_overdue"], days)
        entry["invoices"].append(
            {
                "id": inv.get("InvoiceID"),
                "number": inv.get("InvoiceNumber"),
                "amount_due": _cents(due),
                "days_overdue": days,
            }
        )
    rows = [
        e
        for e in per_contact.values()
        if args.min_days_overdue == 0 or e["overdue_beyond_min_days"] > 0
    ]
    for e in rows:
        _add(
            totals,
            e["currency"],
            total_due=e["total_due"],
            overdue_beyond_min_days=e["overdue_beyond_min_days"],
        )
        e["buckets"] = {k: _cents(v) for k, v in e["buckets"].items()}
        e["total_due"] = _cents(e["total_due"])
        e["overdue_beyond_min_days"] = _cents(e["overdue_beyond_min_days"])
        e["invoices"].sort(key=lambda item: item["days_overdue"], reverse=True)
        e["invoices"] = e["invoices"][:8]
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
        "totals_by_currency": _rounded(totals),
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


# ---------------------------------------------------------------- contacts


class ListContactsArgs(Args):
    search: str | None = Field(None, max_length=100, description="part of a name")
    role: Literal["customer", "supplier", "any"] = "any"
    limit: int = Field(20, ge=1, le=50)


def list_contacts(source: BooksSource, args: ListContactsArgs, ctx: ToolContext) -> ToolResult:
    contacts, truncated = _paged(lambda page: source.contacts(search_term=args.search, page=page))
    needle = (args.search or "").lower()
    rows = []
    for c in contacts:
        if needle and needle not in str(c.get("Name") or "").lower():
            continue
        if args.role == "customer" and not c.get("IsCustomer"):
            continue
        if args.role == "supplier" and not c.get("IsSupplier"):
            continue
        row: dict[str, Any] = {
            "id": c.get("ContactID"),
            "name": _text(c.get("Name")),
            "status": c.get("ContactStatus"),
            "is_customer": bool(c.get("IsCustomer")),
            "is_supplier": bool(c.get("IsSupplier")),
        }
        balances = c.get("Balances") or {}
        for side, label in (("AccountsReceivable", "receivable"), ("AccountsPayable", "payable")):
            if balances.get(side):
                row[f"{label}_outstanding"] = _cents(money(balances[side].get("Outstanding")))
                row[f"{label}_overdue"] = _cents(money(balances[side].get("Overdue")))
        rows.append(row)
    shown = rows[: args.limit]
    data = {
        "count": len(rows),
        "contacts": shown,
        "not_listed": len(rows) - len(shown),
        "incomplete": truncated,
    }
    return ToolResult(data, [SourceRecord("contact", str(r["id"]), r["name"]) for r in shown])


# ---------------------------------------------------------------- payments


class ListPaymentsArgs(_DateRange):
    kind: Literal["received", "made", "any"] = Field(
        "any", description="received: from customers; made: to suppliers"
    )
    contact_id: str | None = Field(None, pattern=GUID)
    limit: int = Field(15, ge=1, le=50)


def list_payments(source: BooksSource, args: ListPaymentsArgs, ctx: ToolContext) -> ToolResult:
    where = " AND ".join(_date_where("Date", args.date_from, args.date_to)) or None
    payments, truncated = _paged(lambda page: source.payments(where=where, page=page))
    rows = []
    totals: dict[str, dict[str, Decimal]] = {}
    for p in payments:
        invoice = p.get("Invoice") or {}
        received = invoice.get("Type") == "ACCREC" or p.get("PaymentType") == "ACCRECPAYMENT"
        if args.kind == "received" and not received:
            continue
        if args.kind == "made" and received:
            continue
        day = parse_xero_date(p.get("Date"))
        if not _in_range(day, args.date_from, args.date_to) or p.get("Status") == "DELETED":
            continue
        contact = _contact(invoice)
        if args.contact_id and contact["id"] != args.contact_id:
            continue
        amount = _cents(money(p.get("Amount")))
        currency = invoice.get("CurrencyCode") or "?"
        _add(
            totals,
            currency,
            received=amount if received else Decimal("0"),
            made=Decimal("0") if received else amount,
        )
        row = {
            "id": p.get("PaymentID"),
            "date": day,
            "amount": amount,
            "currency": currency,
            "direction": "received" if received else "made",
            "invoice": {"id": invoice.get("InvoiceID"), "number": invoice.get("InvoiceNumber")},
            "contact": contact,
        }
        reference = _text(p.get("Reference"))
        if reference:
            row["reference"] = reference
        rows.append(row)
    rows.sort(key=lambda r: (r["date"] is None, r["date"] or date.min), reverse=True)
    shown = rows[: args.limit]
    data = {
        "count": len(rows),
        "totals_by_currency": _rounded(totals),
        "payments": shown,
        "not_listed": len(rows) - len(shown),
        "incomplete": truncated,
    }
    return ToolResult(data, [SourceRecord("payment", str(r["id"]), None) for r in shown])


# ---------------------------------------------------------------- accounts

AccountClass = Literal["ASSET", "EQUITY", "EXPENSE", "LIABILITY", "REVENUE"]


class ListAccountsArgs(Args):
    account_class: AccountClass | None = None
    search: str | None = Field(None, max_length=100, description="part of a name or code")


def list_accounts(source: BooksSource, args: ListAccountsArgs, ctx: ToolContext) -> ToolResult:
    needle = (args.search or "").lower()
    rows = []
    for a in source.accounts():
        if args.account_class and a.get("Class") != args.account_class:
            continue
        text = f"{a.get('Name', '')} {a.get('Code', '')}".lower()
        if needle and needle not in text:
            continue
        rows.append(
            {
                "id": a.get("AccountID"),
                "code": a.get("Code"),
                "name": _text(a.get("Name")),
                "type": a.get("Type"),
                "class": a.get("Class"),
                "status": a.get("Status"),
            }
        )
    rows = rows[:80]
    return ToolResult(
        {"count": len(rows), "accounts": rows},
        [SourceRecord("account", str(r["id"]), r["code"] or r["name"]) for r in rows[:30]],
    )


# ---------------------------------------------------------------- reports


def _flatten_report(report: dict[str, Any], row_limit: int = 40) -> dict[str, Any]:
    """A Xero report's rows as {title, columns, sections: [{title, rows, total}]}."""
    columns: list[str] = []
    sections: list[dict[str, Any]] = []
    for row in report.get("Rows") or []:
        kind = row.get("RowType")
        if kind == "Header":
            columns = [str(c.get("Value") or "") for c in row.get("Cells") or []][1:]
        elif kind == "Section":
            section: dict[str, Any] = {"title": _text(row.get("Title")), "rows": []}
            for inner in row.get("Rows") or []:
                cells = inner.get("Cells") or []
                if not cells:
                    continue
                values = [money(c.get("Value")) for c in cells[1:]]
                entry: dict[str, Any] = {"label": _text(cells[0].get("Value")), "values": values}
                for attribute in cells[0].get("Attributes") or []:
                    if attribute.get("Id") == "account":
                        entry["account_id"] = attribute.get("Value")
                if inner.get("RowType") == "SummaryRow":
                    section["total"] = entry
                elif len(section["rows"]) < row_limit:
                    section["rows"].append(entry)
            sections.append(section)
    return {
        "report": report.get("ReportName"),
        "titles": [_text(t) for t in report.get("ReportTitles") or []],
        "columns": columns,
        "sections": sections,
    }


def _report_records(name: str, report: dict[str, Any], label: str) -> list[SourceRecord]:
    return [SourceRecord("report", str(report.get("ReportID") or name), label)]


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


def _pnl_from_invoices(
    source: BooksSource, date_from: date, date_to: date, names: dict[str, dict[str, Any]]
) -> tuple[dict[str, dict[str, Any]], list[SourceRecord]]:
    """Amounts per account code from approved invoices and bills dated in the period."""
    per_account: dict[str, dict[str, Any]] = {}
    records = []
    for xero_type in ("ACCREC", "ACCPAY"):
        invoices, _ = _fetch_invoices(
            source, xero_type, ("AUTHORISED", "PAID"), None, date_from, date_to, summary_only=False
        )
        for inv in invoices:
            records.append(
                SourceRecord(
                    _invoice_kind(inv), str(inv.get("InvoiceID")), inv.get("InvoiceNumber")
                )
            )
            contact = _contact(inv)["name"] or "?"
            for line in inv.get("LineItems") or []:
                code = str(line.get("AccountCode") or "?")
                account = names.get(code, {})
                entry = per_account.setdefault(
                    code,
                    {
                        "account_code": code,
                        "account": _text(account.get("Name")) or code,
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


def _summarise_accounts(per_account: dict[str, dict[str, Any]]) -> dict[str, Any]:
    income = sum(
        (e["amount"] for e in per_account.values() if e["class"] == "REVENUE"), Decimal("0")
    )
    expenses = sum(
        (e["amount"] for e in per_account.values() if e["class"] != "REVENUE"), Decimal("0")
    )
    return {
        "income": _cents(income),
        "expenses": _cents(expenses),
        "net_profit": _cents(income - expenses),
    }


def profit_and_loss(source: BooksSource, args: ProfitAndLossArgs, ctx: ToolContext) -> ToolResult:
    periods = [(args.date_from, args.date_to)]
    if args.compare_date_from and args.compare_date_to:
        periods.append((args.compare_date_from, args.compare_date_to))
    reports = []
    for start, end in periods:
        report = source.report(
            "ProfitAndLoss", {"fromDate": start.isoformat(), "toDate": end.isoformat()}
        )
        if report is None:
            break
        reports.append(report)
    if len(reports) == len(periods):
        data: dict[str, Any] = {"basis": "Xero Profit and Loss report"}
        records: list[SourceRecord] = []
        for (start, end), report in zip(periods, reports, strict=True):
            key = "period" if start == args.date_from and end == args.date_to else "compare"
            data[key] = {"from": start, "to": end, **_flatten_report(report)}
            records += _report_records("ProfitAndLoss", report, f"Profit and Loss {start}..{end}")
        return ToolResult(data, records)

    # No report endpoint: compute from approved invoices and bills by account.
    names = {str(a.get("Code")): a for a in source.accounts() if a.get("Code")}
    results = []
    all_records: list[SourceRecord] = []
    for start, end in periods:
        per_account, records = _pnl_from_invoices(source, start, end, names)
        results.append(per_account)
        all_records += records
    current = results[0]
    previous = results[1] if len(results) > 1 else None
    lines = []
    for code in sorted(set(current) | set(previous or {})):
        now = current.get(code)
        before = (previous or {}).get(code)
        entry = now or before or {}
        amount = now["amount"] if now else Decimal("0")
        line: dict[str, Any] = {
            "account_code": code,
            "account": entry.get("account"),
            "class": entry.get("class"),
            "amount": _cents(amount),
        }
        if previous is not None:
            prior = before["amount"] if before else Decimal("0")
            line["compare_amount"] = _cents(prior)
            line["change"] = _cents(amount - prior)
            contacts_now = now["by_contact"] if now else {}
            contacts_before = before["by_contact"] if before else {}
            changes = {
                name: contacts_now.get(name, Decimal("0")) - contacts_before.get(name, Decimal("0"))
                for name in set(contacts_now) | set(contacts_before)
            }
            top = sorted(changes.items(), key=lambda kv: abs(kv[1]), reverse=True)[:3]
            line["biggest_changes_by_contact"] = [
                {"contact": name, "change": _cents(delta)} for name, delta in top if delta
            ]
        else:
            top_now = sorted(
                (now or {}).get("by_contact", {}).items(), key=lambda kv: kv[1], reverse=True
            )[:3]
            line["top_contacts"] = [{"contact": n, "amount": _cents(v)} for n, v in top_now]
        lines.append(line)
    if previous is not None:
        lines.sort(key=lambda item: abs(item["change"]), reverse=True)
    else:
        lines.sort(key=lambda item: item["amount"], reverse=True)
    data = {
        "basis": "computed from approved sales invoices and bills by account (the report is "
        "not available; bank transactions and journals are not included)",
        "period": {"from": args.date_from, "to": args.date_to, **_summarise_accounts(current)},
        "accounts": lines[:25],
    }
    if previous is not None:
        data["compare"] = {
            "from": args.compare_date_from,
            "to": args.compare_date_to,
            **_summarise_accounts(previous),
        }
    return ToolResult(data, all_records[:60])


class BalanceSheetArgs(Args):
    as_at: date | None = Field(None, description="as at this day (default today)")


def balance_sheet(source: BooksSource, args: BalanceSheetArgs, ctx: ToolContext) -> ToolResult:
    day = args.as_at or ctx.today
    report = source.report("BalanceSheet", {"date": day.isoformat()})
    if report is None:
        raise ToolError("the balance sheet report is not available for this organisation")
    return ToolResult(
        {"as_at": day, **_flatten_report(report)},
        _report_records("BalanceSheet", report, f"Balance Sheet {day}"),
    )


class BankSummaryArgs(_DateRange):
    pass


def bank_summary(source: BooksSource, args: BankSummaryArgs, ctx: ToolContext) -> ToolResult:
    start = args.date_from or ctx.today.replace(day=1)
    end = args.date_to or ctx.today
    report = source.report(
        "BankSummary", {"fromDate": start.isoformat(), "toDate": end.isoformat()}
    )
    if report is None:
        raise ToolError("the bank summary report is not available for this organisation")
    return ToolResult(
        {"from": start, "to": end, **_flatten_report(report)},
        _report_records("BankSummary", report, f"Bank Summary {start}..{end}"),
    )


# ---------------------------------------------------------------- the registry

TOOLS: dict[str, Tool] = {
    tool.name: tool
    for tool in (
        Tool(
            "get_organisation",
            "The organisation: name, base currency, country, financial year end, and today's date.",
            NoArgs,
            get_organisation,
        ),
        Tool(
            "list_invoices",
            "Sales invoices or bills filtered by status, contact, date range "
            "or days overdue: totals by currency and the largest items with ids.",
            ListInvoicesArgs,
            list_invoices,
        ),
        Tool(
            "get_invoice", "One invoice or bill with its line items.", GetInvoiceArgs, get_invoice
        ),
        Tool(
            "aged_receivables",
            "What customers owe, by contact, in buckets of days overdue "
            "(current, 1-30, 31-60, 61-90, over 90).",
            AgedArgs,
            aged_receivables,
        ),
        Tool(
            "aged_payables",
            "What we owe suppliers, by contact, in buckets of days overdue.",
            AgedArgs,
            aged_payables,
        ),
        Tool(
            "list_contacts",
            "Customers and suppliers by name, with outstanding balances.",
            ListContactsArgs,
            list_contacts,
        ),
        Tool(
            "list_payments",
            "Payments received or made in a date range, with totals.",
            ListPaymentsArgs,
            list_payments,
        ),
        Tool(
            "list_accounts",
            "The chart of accounts (code, name, type, class).",
            ListAccountsArgs,
            list_accounts,
        ),
        Tool(
            "profit_and_loss",
            "Income, expenses and net profit for a period, optionally "
            "compared with another period, by account.",
            ProfitAndLossArgs,
            profit_and_loss,
        ),
        Tool(
            "balance_sheet",
            "Assets, liabilities and equity as at a date.",
            BalanceSheetArgs,
            balance_sheet,
        ),
        Tool(
            "bank_summary",
            "Opening balance, cash in and out and closing balance of each "
            "bank account for a period.",
            BankSummaryArgs,
            bank_summary,
        ),
    )
}


def tool_schemas() -> list[dict[str, Any]]:
    return [tool.schema() for tool in TOOLS.values()]
