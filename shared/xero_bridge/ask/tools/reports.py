"""Xero's reports as the model sees them (rows flattened into sections), and the
balance_sheet and bank_summary tools, which are those reports and nothing else.

profit_and_loss (profit_and_loss.py) uses the same flattening when its report exists.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import Field

from xero_bridge.ask.source import BooksSource, money
from xero_bridge.ask.tools.compact import short_text
from xero_bridge.ask.tools.definition import (
    Args,
    DateRangeArgs,
    SourceRecord,
    ToolContext,
    ToolError,
    ToolResult,
)

ROWS_PER_SECTION = 40


def _report_row(cells: list[dict[str, Any]]) -> dict[str, Any]:
    """A row's label, its values as amounts, and the account it is of (when it says)."""
    values = [money(c.get("Value")) for c in cells[1:]]
    entry: dict[str, Any] = {"label": short_text(cells[0].get("Value")), "values": values}
    for attribute in cells[0].get("Attributes") or []:
        if attribute.get("Id") == "account":
            entry["account_id"] = attribute.get("Value")
    return entry


def _section(row: dict[str, Any], row_limit: int) -> dict[str, Any]:
    section: dict[str, Any] = {"title": short_text(row.get("Title")), "rows": []}
    for inner in row.get("Rows") or []:
        cells = inner.get("Cells") or []
        if not cells:
            continue
        entry = _report_row(cells)
        if inner.get("RowType") == "SummaryRow":
            section["total"] = entry
        elif len(section["rows"]) < row_limit:
            section["rows"].append(entry)
    return section


def flatten_report(report: dict[str, Any], row_limit: int = ROWS_PER_SECTION) -> dict[str, Any]:
    """A Xero report's rows as {title, columns, sections: [{title, rows, total}]}."""
    columns: list[str] = []
    sections: list[dict[str, Any]] = []
    for row in report.get("Rows") or []:
        kind = row.get("RowType")
        if kind == "Header":
            columns = [str(c.get("Value") or "") for c in row.get("Cells") or []][1:]
        elif kind == "Section":
            sections.append(_section(row, row_limit))
    return {
        "report": report.get("ReportName"),
        "titles": [short_text(t) for t in report.get("ReportTitles") or []],
        "columns": columns,
        "sections": sections,
    }


def report_records(name: str, report: dict[str, Any], label: str) -> list[SourceRecord]:
    return [SourceRecord("report", str(report.get("ReportID") or name), label)]


class BalanceSheetArgs(Args):
    as_at: date | None = Field(None, description="as at this day (default today)")


def balance_sheet(source: BooksSource, args: BalanceSheetArgs, ctx: ToolContext) -> ToolResult:
    day = args.as_at or ctx.today
    report = source.report("BalanceSheet", {"date": day.isoformat()})
    if report is None:
        raise ToolError("the balance sheet report is not available for this organisation")
    return ToolResult(
        {"as_at": day, **flatten_report(report)},
        report_records("BalanceSheet", report, f"Balance Sheet {day}"),
    )


class BankSummaryArgs(DateRangeArgs):
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
        {"from": start, "to": end, **flatten_report(report)},
        report_records("BankSummary", report, f"Bank Summary {start}..{end}"),
    )
