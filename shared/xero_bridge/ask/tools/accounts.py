"""list_accounts: the chart of accounts, filtered by class or by part of a name or code."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from xero_bridge.ask.source import BooksSource
from xero_bridge.ask.tools.compact import short_text
from xero_bridge.ask.tools.definition import Args, SourceRecord, ToolContext, ToolResult

AccountClass = Literal["ASSET", "EQUITY", "EXPENSE", "LIABILITY", "REVENUE"]
ACCOUNTS_SHOWN = 80
ACCOUNTS_CITED = 30  # of those shown, as the answer's sources


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
                "name": short_text(a.get("Name")),
                "type": a.get("Type"),
                "class": a.get("Class"),
                "status": a.get("Status"),
            }
        )
    rows = rows[:ACCOUNTS_SHOWN]
    return ToolResult(
        {"count": len(rows), "accounts": rows},
        [
            SourceRecord("account", str(r["id"]), r["code"] or r["name"])
            for r in rows[:ACCOUNTS_CITED]
        ],
    )
