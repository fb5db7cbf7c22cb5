"""The tools the model sees, and the runner that carries out its calls.

The registry is closed and read-only: `TOOLS` is the whole list, in the order the model is
shown them, and there is no tool that writes. `ToolRunner` validates a call's arguments
against the tool's schema and runs it; whatever goes wrong becomes an error result the
model can read and explain, never an exception out of the loop.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from xero_bridge.ask.prompts import render_tool_error, render_tool_result
from xero_bridge.ask.source import BooksSource
from xero_bridge.ask.tools.accounts import ListAccountsArgs, list_accounts
from xero_bridge.ask.tools.aged import AgedArgs, aged_payables, aged_receivables
from xero_bridge.ask.tools.contacts import ListContactsArgs, list_contacts
from xero_bridge.ask.tools.definition import Args, SourceRecord, Tool, ToolContext, ToolError
from xero_bridge.ask.tools.invoices import (
    GetInvoiceArgs,
    ListInvoicesArgs,
    get_invoice,
    list_invoices,
)
from xero_bridge.ask.tools.organisation import NoArgs, get_organisation
from xero_bridge.ask.tools.payments import ListPaymentsArgs, list_payments
from xero_bridge.ask.tools.profit_and_loss import ProfitAndLossArgs, profit_and_loss
from xero_bridge.ask.tools.reports import (
    BalanceSheetArgs,
    BankSummaryArgs,
    balance_sheet,
    bank_summary,
)
from xero_bridge.errors import XeroBridgeError
from xero_bridge.observability import logger

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


def _arguments(tool: Tool, raw_arguments: str) -> Args | str:
    """The call's arguments validated against the tool's model, or what is wrong with them."""
    try:
        arguments = json.loads(raw_arguments or "{}")
    except ValueError:
        return "the arguments are not valid JSON; send a JSON object"
    if not isinstance(arguments, dict):
        return "the arguments must be a JSON object"
    try:
        return tool.args.model_validate(arguments)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'arguments'}: {e['msg']}" for e in exc.errors()
        )
        return f"invalid arguments: {problems}"


@dataclass
class ToolRunner:
    """Runs the model's tool calls against one tenant's books; never raises.

    `sources` collects, per successful call, the tool, its arguments and the records it
    read: the answer's citations.
    """

    source: BooksSource
    context: ToolContext
    sources: list[dict[str, Any]] = field(default_factory=list)

    def run(self, name: str, raw_arguments: str) -> str:
        tool = TOOLS.get(name)
        if tool is None:
            return render_tool_error(
                name, f"there is no tool named {name!r}; the tools are: {', '.join(TOOLS)}"
            )
        args = _arguments(tool, raw_arguments)
        if isinstance(args, str):
            return render_tool_error(name, args)
        try:
            result = tool.run(self.source, args, self.context)
        except ToolError as exc:
            return render_tool_error(name, str(exc))
        except XeroBridgeError as exc:
            logger.warning("ask tool failed", extra={"tool": name, "error_code": exc.code})
            return render_tool_error(name, f"Xero could not answer: {exc.message}")
        except Exception:
            logger.exception("ask tool crashed", extra={"tool": name})
            return render_tool_error(name, "the tool failed unexpectedly")
        self._record(name, args.model_dump(mode="json", exclude_none=True), result.records)
        return render_tool_result(name, result.data)

    def _record(self, tool: str, arguments: dict[str, Any], records: list[SourceRecord]) -> None:
        unique = list(dict.fromkeys(records))
        self.sources.append(
            {"tool": tool, "arguments": arguments, "records": [r.as_dict() for r in unique]}
        )
